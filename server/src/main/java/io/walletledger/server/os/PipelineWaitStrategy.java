package io.walletledger.server.os;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;

import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A blocking wait strategy for a pipeline of stages, where every stage, not only the first, sleeps while it waits.
 * <p>
 * The Disruptor's {@code BlockingWaitStrategy} blocks only until the producers' cursor moves; a later stage then
 * busy-spins until the stage before it has processed the event. In this pipeline the stage before is often the
 * journaler, waiting seconds' worth of microseconds on {@code fdatasync}: on a 2-core machine two spinning stages
 * take the CPU from the very thread they wait for. Here a stage spins briefly, then waits on a monitor until the
 * sequence it depends on (the cursor or the previous stage) has moved. Stages call {@link #signalAllWhenBlocking()}
 * after publishing their progress (the node's stages do so at the end of each batch through the Disruptor's
 * sequence callback), as producers do after publishing.
 */
final class PipelineWaitStrategy implements WaitStrategy
{
    /** Short spins catch the common case of the previous stage finishing a moment later, without a wake-up. */
    private static final int SPINS = 64;

    private final Object mutex = new Object();
    private final AtomicInteger waiters = new AtomicInteger();

    @Override
    public long waitFor(
        final long sequence,
        final Sequence cursor,
        final Sequence dependentSequence,
        final SequenceBarrier barrier) throws AlertException, InterruptedException
    {
        long available;
        int spins = SPINS;
        while ((available = dependentSequence.get()) < sequence)
        {
            barrier.checkAlert();
            if (spins > 0)
            {
                spins--;
                Thread.onSpinWait();
                continue;
            }
            synchronized (mutex)
            {
                waiters.incrementAndGet();
                try
                {
                    while (dependentSequence.get() < sequence)
                    {
                        barrier.checkAlert();
                        mutex.wait();
                    }
                }
                finally
                {
                    waiters.decrementAndGet();
                }
            }
        }
        return available;
    }

    /**
     * Wakes every waiting stage; cheap when none waits. Call after publishing the progress it signals.
     * <p>
     * The fence makes this a Dekker handshake with {@link #waitFor}: a waiter first counts itself in
     * {@link #waiters}, then reads the sequence; the signaller first publishes the sequence, then reads the count.
     * Sequences are published with release stores (the Disruptor's {@code Sequence.set}, a producer's
     * {@code publish}), which a later load may overtake, on x86 too, through the store buffer. Without the fence the
     * signaller could read no waiter while the waiter still read the old sequence: the wake-up would be lost and the
     * stage would sleep until the next publish, forever if none comes.
     */
    @Override
    public void signalAllWhenBlocking()
    {
        VarHandle.fullFence();
        if (waiters.get() > 0)
        {
            synchronized (mutex)
            {
                mutex.notifyAll();
            }
        }
    }
}
