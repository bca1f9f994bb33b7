package io.walletledger.server.node;

import io.walletledger.server.os.Threads;
import io.walletledger.engine.LedgerConfig;
import io.walletledger.engine.LedgerEngine;
import io.walletledger.journal.JournalDurability;
import io.walletledger.journal.JournalEntryHandler;
import io.walletledger.journal.JournalFollower;
import io.walletledger.journal.JournalReader;
import io.walletledger.record.RecordWriter;
import io.walletledger.record.TransferRecordStore;
import io.walletledger.snapshot.SnapshotInfo;
import io.walletledger.snapshot.SnapshotStore;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.concurrent.locks.LockSupport;

/**
 * Takes periodic snapshots without stopping the primary engine: a second engine, on its own thread, loads the
 * newest snapshot, tails the journal (the same code path as recovery) and writes a snapshot of its own state every
 * N commands or T seconds. The primary engine never waits for it; the journal is the buffer between them.
 * <p>
 * It also feeds the permanent record, when there is one: the engine reports every transfer it decides to a
 * {@link RecordWriter}, which commits them after each poll of the journal with the sequence they reach. A snapshot is
 * taken only after that commit, so there is always a snapshot at or before the record's position to resume from; if
 * the record is behind every snapshot (new, or rebuilt), the follower starts from the newest snapshot at or before
 * it, or from an empty ledger and the whole journal.
 * <p>
 * The cost is a second copy of the state in memory and the CPU to apply every command twice. If the follower
 * fails (a journal entry that does not verify, a disk error) it logs, stops taking snapshots and reports the
 * failure through {@link #failure()}; the node keeps serving.
 */
final class SnapshotFollower implements JournalEntryHandler, Runnable
{
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotFollower.class);
    private static final int POLL_LIMIT = 256;
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final NodeConfig config;
    /** The settings the ledger was created with: the follower replays the journal from them, as recovery does. */
    private final LedgerConfig created;
    private final SnapshotStore store;
    private final long snapshotIntervalNanos;
    private final LongSupplier durableSequence;
    /** Null without a record. */
    private final TransferRecordStore record;
    /** Whether the disk is below its minimum free space: periodic snapshots wait then. */
    private final BooleanSupplier diskLow;
    private final NodeMetrics metrics;
    private volatile boolean running = true;
    private volatile Throwable failure;
    /** Done once the follower has its engine (loaded from the newest snapshot), or failed before. */
    private final CompletableFuture<Void> engineReady = new CompletableFuture<>();
    private volatile SnapshotInfo lastSnapshot;
    private volatile long snapshotSequence;
    private Thread thread;

    private LedgerEngine engine;
    private UnsafeBuffer response;
    private RecordWriter recordWriter;
    private long applied;

    /**
     * @param created                   the settings the ledger was created with.
     * @param recoveredSnapshotSequence the sequence of the snapshot the node recovered from, -1 if none.
     * @param durableSequence           the last journal sequence flushed as the durability mode asks: the
     *                                  follower applies nothing after it, so a snapshot never gets ahead of what a
     *                                  restart finds in the journal.
     * @param record                    the record to feed, or null.
     * @param metrics                   where each snapshot's duration and time go.
     */
    SnapshotFollower(
        final NodeConfig config,
        final LedgerConfig created,
        final SnapshotStore store,
        final long recoveredSnapshotSequence,
        final LongSupplier durableSequence,
        final TransferRecordStore record,
        final BooleanSupplier diskLow,
        final NodeMetrics metrics)
    {
        this.metrics = metrics;
        this.record = record;
        this.diskLow = diskLow;
        this.config = config;
        this.created = created;
        this.store = store;
        this.snapshotIntervalNanos = config.snapshotInterval().toNanos();
        this.snapshotSequence = recoveredSnapshotSequence;
        this.durableSequence = durableSequence;
    }

    void start()
    {
        thread = new Thread(this, "wallet-snapshots");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Waits until the follower has loaded its snapshot into an engine of its own, which needs as much memory as the
     * node's: a follower that cannot (too little memory for a second engine, a snapshot it cannot read) fails the
     * node's start, rather than stopping once the server says it is ready. Catching up with the journal goes on
     * after this, on the follower's thread.
     *
     * @throws IllegalStateException why the follower could not start.
     */
    void awaitLoaded()
    {
        try
        {
            engineReady.get();
        }
        catch (final ExecutionException ex)
        {
            throw new IllegalStateException("the snapshot follower cannot start: " + ex.getCause().getMessage(),
                ex.getCause());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the snapshot follower started", ex);
        }
    }

    @Override
    public void run()
    {
        try
        {
            final Recovery.Loaded loaded = Recovery.loadNewestSnapshot(created, config.snapshotDirectory(),
                false, record == null ? Long.MAX_VALUE : record.position() + 1);
            engine = loaded.engine();
            if (record != null)
            {
                recordWriter = new RecordWriter(record);
                engine.appliedTransferListener(recordWriter);
                LOG.info("the record is at sequence {}; following the journal from sequence {}", record.position(),
                    loaded.sequence() + 1);
            }
            response = new UnsafeBuffer(new byte[engine.responseLengthMax()]);
            engineReady.complete(null);
            applied = loaded.sequence();
            snapshotSequence = Math.max(snapshotSequence, applied);
            long lastSnapshotAt = System.nanoTime();
            try (JournalReader reader = JournalReader.open(config.journalDirectory());
                JournalFollower follower = reader.follow(applied + 1))
            {
                while (running)
                {
                    final long durable = durableSequence.getAsLong();
                    final int polled = applied < durable ?
                        follower.poll(this, (int)Math.min(POLL_LIMIT, durable - applied)) : 0;
                    if (polled > 0 && recordWriter != null)
                    {
                        recordWriter.commit(applied, engine.lastTimestamp());
                    }
                    final long now = System.nanoTime();
                    if (isDue(now - lastSnapshotAt))
                    {
                        if (diskLow.getAsBoolean())
                        {
                            LOG.warn("the disk is below wallet.disk.min-free: skipping the periodic snapshot at " +
                                "sequence {}", applied);
                        }
                        else
                        {
                            snapshot(follower.lastIndex());
                        }
                        lastSnapshotAt = System.nanoTime();
                    }
                    if (polled == 0)
                    {
                        LockSupport.parkNanos(IDLE_PARK_NANOS);
                    }
                }
            }
        }
        catch (final RuntimeException | Error ex)
        {
            failure = ex;
            if (engineReady.completeExceptionally(ex))
            {
                // The node's start reports it and stops: nothing more to say here.
                return;
            }
            LOG.error("the snapshot follower stopped; no more periodic snapshots{} until restart",
                record == null ? "" : " and no more records", ex);
        }
        finally
        {
            if (recordWriter != null)
            {
                recordWriter.close();
            }
        }
    }

    @Override
    public void onEntry(
        final long sequence,
        final long timestamp,
        final int templateId,
        final DirectBuffer command,
        final int offset,
        final int length,
        final int noteLength)
    {
        if (recordWriter != null)
        {
            recordWriter.beginCommand(sequence);
        }
        if (noteLength > 0)
        {
            engine.recall(command, offset + length, noteLength);
        }
        engine.execute(timestamp, command, offset, length, response, 0);
        if (recordWriter != null)
        {
            recordWriter.afterCommand(engine, timestamp, command, offset);
        }
        applied = sequence;
    }

    private boolean isDue(final long sinceLastNanos)
    {
        final long pending = applied - snapshotSequence;
        if (pending <= 0)
        {
            return false;
        }
        return (config.snapshotEveryCommands() > 0 && pending >= config.snapshotEveryCommands()) ||
            (snapshotIntervalNanos > 0 && sinceLastNanos >= snapshotIntervalNanos);
    }

    private void snapshot(final long journalIndex)
    {
        final long start = System.nanoTime();
        // In durability none the journal may still be only in memory, so after a power loss this snapshot may hold
        // commands the journal lost. Forcing the journal first would prevent that, but it writes back everything
        // written since the last force (up to a minute of journal) and stalls the pipeline's threads for tens of
        // milliseconds on a small machine. Instead the snapshot says the journal was not forced, and recovery
        // passes over such a snapshot if it is ahead of the journal: those commands were acknowledged without
        // a promise to survive power loss. In BATCH the follower applies only flushed entries, so its snapshots are
        // never ahead of the durable journal.
        final boolean journalForced = config.durability() != JournalDurability.NONE;
        if (record != null)
        {
            // A restart resumes the record from a snapshot at or before its position on disk: flush it first.
            record.flush();
        }
        final SnapshotInfo info = store.write(engine, applied, journalIndex, journalForced);
        lastSnapshot = info;
        snapshotSequence = info.sequence();
        metrics.snapshotWritten(System.nanoTime() - start);
        LOG.info("snapshot {} at sequence {}: {} accounts, {} MiB in {} ms", info.file().getFileName(),
            info.sequence(), info.accounts(), info.length() >> 20, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    /**
     * @return the sequence of the newest snapshot on disk that this follower knows of.
     */
    long snapshotSequence()
    {
        return snapshotSequence;
    }

    SnapshotInfo lastSnapshot()
    {
        return lastSnapshot;
    }

    Throwable failure()
    {
        return failure;
    }

    /**
     * Stops the follower and waits for it, up to a deadline; a snapshot being written is finished first.
     *
     * @return whether the calling thread was interrupted while it waited (the caller restores the flag).
     */
    boolean close(final long deadlineNanos)
    {
        running = false;
        if (thread == null)
        {
            return false;
        }
        LockSupport.unpark(thread);
        return Threads.joinUninterruptibly(thread, deadlineNanos);
    }

    /**
     * @return whether the follower's thread has ended (or never started).
     */
    boolean isStopped()
    {
        return thread == null || !thread.isAlive();
    }
}
