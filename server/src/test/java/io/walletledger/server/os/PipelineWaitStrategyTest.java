package io.walletledger.server.os;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

class PipelineWaitStrategyTest
{
    private static final long RUN_NANOS = TimeUnit.SECONDS.toNanos(15);
    /** Far beyond any scheduling delay: a thread still waiting after this lost its wake-up. */
    private static final long STUCK_MILLIS = TimeUnit.SECONDS.toMillis(60);
    /** Pairs of stages at once. More pairs made the race rarer here, not likelier: one pair. */
    private static final int PAIRS = 1;

    /**
     * Two stages hand a sequence back and forth through one strategy, publishing as the pipeline does (the
     * Disruptor's release store, then a signal), each waiting for the other most of the time. A wake-up lost between
     * a publish and a waiter going to sleep leaves both asleep for ever.
     * <p>
     * The race is narrow. Without the signal's fence the pair hung in each of five 20-second runs on a 2-core machine,
     * after 60,000 to 350,000 rounds, and in none of three 3-second runs; so a 15-second run catches it in most runs,
     * not all: a stress test of the handshake, not a proof.
     */
    @Test
    void noWakeUpIsLostBetweenAPublishAndAWaiterGoingToSleep() throws InterruptedException
    {
        final long deadline = System.nanoTime() + RUN_NANOS;
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Pair[] pairs = new Pair[PAIRS];
        for (int i = 0; i < PAIRS; i++)
        {
            pairs[i] = new Pair(i, deadline, failure);
        }
        for (final Pair pair : pairs)
        {
            pair.first.join(RUN_NANOS / 1_000_000 + STUCK_MILLIS);
            pair.second.join(STUCK_MILLIS);
        }

        assertNull(failure.get());
        for (final Pair pair : pairs)
        {
            assertFalse(pair.first.isAlive() || pair.second.isAlive(),
                "a stage slept through its wake-up; rounds done: " + pair.pong.get());
            assertEquals(pair.rounds.get() - 1, pair.pong.get(), "every round was answered");
        }
    }

    private static final class Pair
    {
        final PipelineWaitStrategy strategy = new PipelineWaitStrategy();
        final Sequence ping = new Sequence(-1);
        final Sequence pong = new Sequence(-1);
        final AtomicLong rounds = new AtomicLong(-1);
        final Thread first;
        final Thread second;

        Pair(final int n, final long deadline, final AtomicReference<Throwable> failure)
        {
            first = new Thread(() -> run(failure, () ->
            {
                final SplittableRandom random = new SplittableRandom(2L * n);
                long round = 0;
                while (System.nanoTime() < deadline)
                {
                    pause(random);
                    ping.set(round);
                    strategy.signalAllWhenBlocking();
                    strategy.waitFor(round, pong, pong, NeverAlerted.BARRIER);
                    round++;
                }
                rounds.set(round);
                ping.set(Long.MAX_VALUE);
                strategy.signalAllWhenBlocking();
            }), "ping-" + n);
            second = new Thread(() -> run(failure, () ->
            {
                final SplittableRandom random = new SplittableRandom(2L * n + 1);
                for (long round = 0; ; round++)
                {
                    if (strategy.waitFor(round, ping, ping, NeverAlerted.BARRIER) == Long.MAX_VALUE)
                    {
                        return;
                    }
                    pause(random);
                    pong.set(round);
                    strategy.signalAllWhenBlocking();
                }
            }), "pong-" + n);
            first.setDaemon(true);
            second.setDaemon(true);
            first.start();
            second.start();
        }
    }

    /** A few hundred nanoseconds or none, so the other stage sometimes just went to sleep and sometimes not yet. */
    private static void pause(final SplittableRandom random)
    {
        for (int i = random.nextInt(200); i > 0; i--)
        {
            Thread.onSpinWait();
        }
    }

    private interface Stage
    {
        void run() throws AlertException, InterruptedException;
    }

    private static void run(final AtomicReference<Throwable> failure, final Stage stage)
    {
        try
        {
            stage.run();
        }
        catch (final Throwable ex)
        {
            failure.compareAndSet(null, ex);
        }
    }

    /** The barrier a stage checks for alerts while it waits: nothing here ever alerts. */
    private enum NeverAlerted implements SequenceBarrier
    {
        BARRIER;

        @Override
        public long waitFor(final long sequence)
        {
            throw new UnsupportedOperationException("the test waits through the strategy");
        }

        @Override
        public long getCursor()
        {
            return -1;
        }

        @Override
        public boolean isAlerted()
        {
            return false;
        }

        @Override
        public void alert()
        {
            // Nothing in this test halts a stage; a call would mean the strategy alerts on its own, which it must not.
            throw new IllegalStateException("the wait strategy alerted a barrier; only a halting pipeline does");
        }

        @Override
        public void clearAlert()
        {
        }

        @Override
        public void checkAlert()
        {
        }
    }
}
