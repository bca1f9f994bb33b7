package io.walletledger.server;

/**
 * Thread helpers for shutting the node down.
 */
final class Threads
{
    private Threads()
    {
    }

    /**
     * Waits for a thread to end, also when this thread is interrupted meanwhile: shutting down must not go on
     * while a stage or the snapshot follower may still be writing.
     *
     * @return whether this thread was interrupted while it waited; the caller restores the flag when done.
     */
    static boolean joinUninterruptibly(final Thread thread)
    {
        boolean interrupted = false;
        while (thread != Thread.currentThread())
        {
            try
            {
                thread.join();
                break;
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
            }
        }
        return interrupted;
    }
}
