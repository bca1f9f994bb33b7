package io.walletledger.server.os;

import java.util.concurrent.TimeUnit;

/**
 * Thread helpers for shutting the node down.
 */
public final class Threads
{
    private Threads()
    {
    }

    /**
     * Waits up to a deadline for a thread to end, also when this thread is interrupted meanwhile: shutting down
     * must not go on while a stage or the snapshot follower may still be writing.
     *
     * @param deadlineNanos in {@link System#nanoTime()} terms.
     * @return whether this thread was interrupted while it waited; the caller restores the flag when done.
     */
    public static boolean joinUninterruptibly(final Thread thread, final long deadlineNanos)
    {
        boolean interrupted = false;
        while (thread != Thread.currentThread() && thread.isAlive())
        {
            final long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
            if (remainingMillis <= 0)
            {
                break;
            }
            try
            {
                thread.join(remainingMillis);
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        return interrupted;
    }
}
