package io.walletledger.server.node;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import io.walletledger.protocol.sbe.ResultCode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * What the node counts as it runs, for {@code GET /metrics}: transfers by result code (from the engine stage),
 * journal appends, bytes and flush latency (from the journaler), snapshot duration and age, ring occupancy and
 * progress (read at each scrape). The counters of the hot path are written by one thread each with release stores,
 * so recording costs no lock and no allocation; the Prometheus registry reads them through callbacks.
 */
final class NodeMetrics
{
    /** Seconds: 50 µs to 10 s (an fsync here takes 150 to 210 µs). */
    private static final double[] FLUSH_BOUNDS = {
        0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10 };
    /** Seconds: 10 ms to 5 minutes. */
    private static final double[] SNAPSHOT_BOUNDS = { 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300 };

    private final AtomicLongArray transfersByResult;
    private final AtomicLong journalEntries = new AtomicLong();
    private final AtomicLong journalBytes = new AtomicLong();
    /** -1 while the disk is not watched. */
    private final AtomicLong diskFree = new AtomicLong(-1);
    private final Histogram flushDuration = Histogram.builder()
        .name("wallet_journal_flush_seconds")
        .help("Time to force the journal to disk per batch (durability batch).")
        .unit(Unit.SECONDS)
        .classicOnly()
        .classicUpperBounds(FLUSH_BOUNDS)
        .build();
    private final Histogram snapshotDuration = Histogram.builder()
        .name("wallet_snapshot_duration_seconds")
        .help("Time to write a snapshot (on the snapshot follower's thread, off the request path).")
        .unit(Unit.SECONDS)
        .classicOnly()
        .classicUpperBounds(SNAPSHOT_BOUNDS)
        .build();
    /** Wall-clock milliseconds of the newest snapshot written; 0 while there is none. */
    private volatile long lastSnapshotMillis;
    private final LedgerNode node;
    private final Path journalDirectory;

    NodeMetrics(final LedgerNode node, final Path journalDirectory)
    {
        this.node = node;
        this.journalDirectory = journalDirectory;
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
        flushDuration.observe(nanos / 1e9);
    }

    /**
     * On the snapshot follower's thread: a snapshot was written in {@code nanos}.
     */
    void snapshotWritten(final long nanos)
    {
        snapshotDuration.observe(nanos / 1e9);
        lastSnapshotMillis = System.currentTimeMillis();
    }

    /**
     * @param epochMillis when the snapshot the node recovered from was written (its file's time).
     */
    void recoveredSnapshot(final long epochMillis)
    {
        lastSnapshotMillis = epochMillis;
    }

    /**
     * Registers the node's metrics: the single-writer counters above as callbacks, read at each scrape, and the
     * histograms.
     */
    void register(final PrometheusRegistry registry)
    {
        CounterWithCallback.builder()
            .name("wallet_transfers_total")
            .help("Transfers decided by the engine, by result code (OK, EXISTS, rejections).")
            .labelNames("result")
            .callback(callback ->
            {
                for (final ResultCode code : ResultCode.values())
                {
                    if (code == ResultCode.NULL_VAL)
                    {
                        continue;
                    }
                    final long count = transfersByResult.get(code.value());
                    if (count != 0 || code == ResultCode.OK)
                    {
                        callback.call(count, code.name());
                    }
                }
            })
            .register(registry);
        gauge(registry, "wallet_ring_occupancy", "Requests in the ring now.",
            () -> node.ringSize() - node.ringRemaining());
        gauge(registry, "wallet_ring_size", "Slots in the ring.", node::ringSize);
        gauge(registry, "wallet_applied_sequence", "Journal sequence of the last command applied.",
            node::appliedSequence);
        counter(registry, "wallet_journal_entries_total", "Commands appended to the journal since start.",
            journalEntries::get);
        counter(registry, "wallet_journal_bytes_total", "Bytes appended to the journal since start.",
            journalBytes::get);
        registry.register(flushDuration);
        registry.register(snapshotDuration);
        GaugeWithCallback.builder()
            .name("wallet_record_sequence")
            .help("Journal sequence the permanent record has reached; wallet_applied_sequence minus this is its lag " +
                "(a rebuild from the journal shows here). Absent without a record.")
            .callback(callback ->
            {
                final long sequence = node.recordSequence();
                if (sequence >= 0)
                {
                    callback.call(sequence);
                }
            })
            .register(registry);
        GaugeWithCallback.builder()
            .name("wallet_journal_disk_bytes")
            .help("Bytes of the files in the journal directory now (what wallet journal archive would move out " +
                "is counted until it does).")
            .callback(callback -> callback.call(directoryBytes(journalDirectory)))
            .register(registry);
        GaugeWithCallback.builder()
            .name("wallet_snapshot_age_seconds")
            .help("Seconds since the newest snapshot was written (the one recovered from, until the first of " +
                "this run); absent while there is none. It grows past wallet.snapshot.interval if snapshots stop.")
            .callback(callback ->
            {
                final long last = lastSnapshotMillis;
                if (last > 0)
                {
                    callback.call(Math.max(0, System.currentTimeMillis() - last) / 1e3);
                }
            })
            .register(registry);
        GaugeWithCallback.builder()
            .name("wallet_disk_free_bytes")
            .help("Free bytes on the data directory's file system at the last read (every 250 ms); below " +
                "wallet.disk.min-free, changes are refused DISK_FULL. Absent while the disk is not watched.")
            .callback(callback ->
            {
                if (diskFree.get() >= 0)
                {
                    callback.call(diskFree.get());
                }
            })
            .register(registry);
        gauge(registry, "wallet_holds_open", "Holds (pending transfers) open now; one more than " +
            "wallet_holds_capacity is refused PENDING_TRANSFERS_FULL, and one more than " +
            "wallet.policies.holds-per-account-max on one account HOLDS_PER_ACCOUNT_FULL (counted in " +
            "wallet_transfers_total).", node::openHolds);
        gauge(registry, "wallet_holds_capacity", "Holds the ledger may have open at once " +
            "(wallet.ledger.pending-transfers-max).", node::holdsCapacity);
        GaugeWithCallback.builder()
            .name("wallet_clock_offset_seconds")
            .help("Wall clock minus engine time at the last command journaled: after a jump of the wall clock, " +
                "engine time walks towards it (wallet.journal.clock-slew-percent).")
            .callback(callback -> callback.call(node.clockOffsetNanos() / 1e9))
            .register(registry);
        counter(registry, "wallet_clock_jumps_total", "Times the wall clock came more than a second away from " +
            "engine time since start.", node::clockJumps);
        gauge(registry, "wallet_halted", "1 once the node halted after a failure.",
            () -> node.haltCause() == null ? 0 : 1);
        gauge(registry, "wallet_snapshots_failing", "1 once the snapshot follower stopped after a failure.",
            () -> node.failure() != null && node.haltCause() == null ? 1 : 0);
    }

    private static void gauge(
        final PrometheusRegistry registry, final String name, final String help, final LongSupplier value)
    {
        GaugeWithCallback.builder().name(name).help(help).callback(callback -> callback.call(value.getAsLong()))
            .register(registry);
    }

    private static void counter(
        final PrometheusRegistry registry, final String name, final String help, final LongSupplier value)
    {
        CounterWithCallback.builder().name(name).help(help).callback(callback -> callback.call(value.getAsLong()))
            .register(registry);
    }

    private static long directoryBytes(final Path directory)
    {
        try (Stream<Path> files = Files.list(directory))
        {
            long bytes = 0;
            for (final Path file : (Iterable<Path>)files::iterator)
            {
                try
                {
                    bytes += Files.isRegularFile(file) ? Files.size(file) : 0;
                }
                catch (final NoSuchFileException ignored)
                {
                    // Archived or rolled away while listed.
                }
            }
            return bytes;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot list " + directory, ex);
        }
    }
}
