package io.walletledger.server.node;

import com.lmax.disruptor.WaitStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the stages of one node's pipeline share with each other and with the node: whether it still takes requests,
 * the failure that halted it and the ring sequence from which nothing is applied, and the journal sequences the
 * stages publish (flushed as the durability mode asks; applied by the engine). Each sequence has one writer.
 */
final class PipelineState
{
    private static final Logger LOG = LoggerFactory.getLogger(PipelineState.class);

    final NodeMetrics metrics;
    private final WaitStrategy waitStrategy;

    volatile boolean accepting = true;
    /** Ring sequence from which nothing may be applied: set when the journal or a stage fails. */
    volatile long haltedFrom = Long.MAX_VALUE;
    volatile Throwable failure;
    /** The last journal sequence the engine applied; written by the engine stage at the end of each batch. */
    volatile long appliedSequence;
    /** The last journal sequence flushed as the durability mode asks: the snapshot follower stays behind it. */
    volatile long durableSequence;
    /**
     * The largest transfer id the engine's window has forgotten, as the engine stage last published it (at the end of
     * each batch): the journaler looks up in the record only ids at or below it. A hint: the engine decides.
     */
    volatile long forgottenIdHi;
    volatile long forgottenIdLo;
    /** Holds open in the engine, as the engine stage last published it (at the end of each batch): a metric. */
    volatile int openHolds;

    PipelineState(final NodeMetrics metrics, final WaitStrategy waitStrategy, final long recoveredSequence)
    {
        this.metrics = metrics;
        this.waitStrategy = waitStrategy;
        this.appliedSequence = recoveredSequence;
        this.durableSequence = recoveredSequence;
    }

    /**
     * Stops applying anything from this ring sequence on (keeping the earliest if called again) and stops taking
     * requests. Everything from there is answered INTERNAL_ERROR.
     */
    synchronized void halt(final long ringSequence, final Throwable cause)
    {
        if (ringSequence < haltedFrom)
        {
            haltedFrom = ringSequence;
        }
        accepting = false;
        if (failure == null)
        {
            failure = cause;
            LOG.error("the node is halted from ring sequence {}: every request from there on is answered " +
                "INTERNAL_ERROR and not applied", ringSequence, cause);
        }
    }

    /**
     * Wakes the stages that wait for one that has just published its progress.
     */
    void signal()
    {
        waitStrategy.signalAllWhenBlocking();
    }
}
