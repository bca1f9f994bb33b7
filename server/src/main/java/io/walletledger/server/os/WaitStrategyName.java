package io.walletledger.server.os;

import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;

/**
 * How the pipeline's threads wait for work. Only {@link #BLOCKING} and {@link #SLEEPING} leave the CPU to others
 * when idle; the spinning ones each keep a core busy and belong on machines with cores to spare.
 */
public enum WaitStrategyName
{
    /**
     * Every stage spins a few dozen times, then sleeps on a monitor until the stage before it (or a producer) moves
     * on: idle and waiting threads use no CPU, a wake-up costs a few microseconds. The default.
     */
    BLOCKING,
    /** Spins briefly, then yields, then sleeps 100 microseconds at a time: little CPU, some added latency. */
    SLEEPING,
    /** Spins, then yields: low latency, one busy core per stage. */
    YIELDING,
    /** Spins: lowest latency, one fully busy core per stage. */
    BUSY_SPIN;

    public WaitStrategy create()
    {
        return switch (this)
        {
            case BLOCKING -> new PipelineWaitStrategy();
            case SLEEPING -> new SleepingWaitStrategy();
            case YIELDING -> new YieldingWaitStrategy();
            case BUSY_SPIN -> new BusySpinWaitStrategy();
        };
    }
}
