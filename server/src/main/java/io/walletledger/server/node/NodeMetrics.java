package io.walletledger.server.node;

import io.walletledger.gateway.MetricsWriter;
import io.walletledger.protocol.sbe.ResultCode;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What the node counts as it runs, for {@code GET /metrics}: transfers by result code (from the engine stage),
 * journal appends, bytes and flush latency (from the journaler), ring occupancy and progress (read when written).
 * Counters are written by one thread each with release stores, so recording costs no lock and no allocation.
 */
final class NodeMetrics implements MetricsWriter
{
    private static final long FLUSH_HIGHEST_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final double[] QUANTILES = { 0.5, 0.9, 0.99, 0.999, 1.0 };

    private final AtomicLongArray transfersByResult;
    private final AtomicLong journalEntries = new AtomicLong();
    private final AtomicLong journalBytes = new AtomicLong();
    /** -1 while the disk is not watched. */
    private final AtomicLong diskFree = new AtomicLong(-1);
    private final Recorder flushes = new Recorder(FLUSH_HIGHEST_NANOS, 3);
    private final Histogram flushTotal = new Histogram(FLUSH_HIGHEST_NANOS, 3);
    private final LedgerNode node;

    NodeMetrics(final LedgerNode node)
    {
        this.node = node;
        int max = 0;
        for (final ResultCode code : ResultCode.values())
        {
            max = Math.max(max, code.value());
        }
        this.transfersByResult = new AtomicLongArray(max + 1);
    }

    /**
     * On the engine thread: {@code events} transfers were applied, {@code failures} of them listed by code.
     */
    void countTransfers(final int okCount)
    {
        transfersByResult.lazySet(ResultCode.OK.value(), transfersByResult.get(ResultCode.OK.value()) + okCount);
    }

    void countTransferResult(final int code)
    {
        if (code >= 0 && code < transfersByResult.length())
        {
            transfersByResult.lazySet(code, transfersByResult.get(code) + 1);
        }
    }

    /**
     * On the journaler thread.
     */
    void countAppend(final int bytes)
    {
        journalEntries.lazySet(journalEntries.get() + 1);
        journalBytes.lazySet(journalBytes.get() + bytes);
    }

    /**
     * @return the bytes appended to the journal since start (any thread).
     */
    long journalBytes()
    {
        return journalBytes.get();
    }

    /**
     * On the disk watch's thread: the free bytes it last read.
     */
    void diskFree(final long bytes)
    {
        diskFree.lazySet(bytes);
    }

    void recordFlush(final long nanos)
    {
        flushes.recordValue(Math.min(nanos, FLUSH_HIGHEST_NANOS));
    }

    @Override
    public synchronized void write(final StringBuilder out)
    {
        out.append("# HELP wallet_transfers_total Transfers decided by the engine, by result code (OK, EXISTS, rejections).\n");
        out.append("# TYPE wallet_transfers_total counter\n");
        for (final ResultCode code : ResultCode.values())
        {
            if (code == ResultCode.NULL_VAL)
            {
                continue;
            }
            final long count = transfersByResult.get(code.value());
            if (count != 0 || code == ResultCode.OK)
            {
                out.append("wallet_transfers_total{result=\"").append(code.name()).append("\"} ")
                    .append(count).append('\n');
            }
        }
        gauge(out, "wallet_ring_occupancy", "Requests in the ring now.", node.ringSize() - node.ringRemaining());
        gauge(out, "wallet_ring_size", "Slots in the ring.", node.ringSize());
        gauge(out, "wallet_applied_sequence", "Journal sequence of the last command applied.", node.appliedSequence());
        counter(out, "wallet_journal_entries_total", "Commands appended to the journal since start.",
            journalEntries.get());
        counter(out, "wallet_journal_bytes_total", "Bytes appended to the journal since start.", journalBytes.get());
        flushTotal.add(flushes.getIntervalHistogram());
        out.append("# HELP wallet_journal_flush_seconds Time to force the journal to disk per batch (durability " +
            "batch).\n# TYPE wallet_journal_flush_seconds summary\n");
        for (final double quantile : QUANTILES)
        {
            out.append("wallet_journal_flush_seconds{quantile=\"").append(quantile).append("\"} ")
                .append(flushTotal.getValueAtPercentile(quantile * 100.0) / 1e9).append('\n');
        }
        out.append("wallet_journal_flush_seconds_count ").append(flushTotal.getTotalCount()).append('\n');
        if (diskFree.get() >= 0)
        {
            gauge(out, "wallet_disk_free_bytes", "Free bytes on the data directory's file system at the last read " +
                "(every 250 ms); below wallet.disk.min-free, changes are refused DISK_FULL.", diskFree.get());
        }
        gauge(out, "wallet_holds_open", "Holds (pending transfers) open now; one more than wallet_holds_capacity is " +
            "refused PENDING_TRANSFERS_FULL, and one more than wallet.policies.holds-per-account-max on one account " +
            "HOLDS_PER_ACCOUNT_FULL (counted in wallet_transfers_total).", node.openHolds());
        gauge(out, "wallet_holds_capacity", "Holds the ledger may have open at once (wallet.ledger.pending-transfers-max).",
            node.holdsCapacity());
        gauge(out, "wallet_clock_offset_seconds", "Wall clock minus engine time at the last command journaled: " +
            "after a jump of the wall clock, engine time walks towards it (wallet.journal.clock-slew-percent).",
            node.clockOffsetNanos() / 1e9);
        counter(out, "wallet_clock_jumps_total", "Times the wall clock came more than a second away from engine " +
            "time since start.", node.clockJumps());
        gauge(out, "wallet_halted", "1 once the node halted after a failure.", node.haltCause() == null ? 0 : 1);
        gauge(out, "wallet_snapshots_failing", "1 once the snapshot follower stopped after a failure.",
            node.failure() != null && node.haltCause() == null ? 1 : 0);
    }

    private static void gauge(final StringBuilder out, final String name, final String help, final long value)
    {
        gauge(out, name, help, Long.toString(value));
    }

    private static void gauge(final StringBuilder out, final String name, final String help, final double value)
    {
        gauge(out, name, help, Double.toString(value));
    }

    private static void gauge(final StringBuilder out, final String name, final String help, final String value)
    {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
            .append("# TYPE ").append(name).append(" gauge\n").append(name).append(' ').append(value).append('\n');
    }

    private static void counter(final StringBuilder out, final String name, final String help, final long value)
    {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
            .append("# TYPE ").append(name).append(" counter\n").append(name).append(' ').append(value).append('\n');
    }
}
