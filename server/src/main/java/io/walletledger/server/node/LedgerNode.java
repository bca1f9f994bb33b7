package io.walletledger.server.node;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.walletledger.server.os.JitStarvationGuard;
import io.walletledger.server.os.RealtimeScheduling;
import io.walletledger.server.os.Threads;
import io.walletledger.protocol.ReplyHandler;
import io.walletledger.protocol.Submission;
import io.walletledger.protocol.RequestSubmitter;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.TimeoutException;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.walletledger.engine.LedgerConfig;
import io.walletledger.engine.LedgerEngine;
import io.walletledger.gateway.TransferArchive;
import io.walletledger.journal.CommandJournal;
import io.walletledger.journal.JournalReader;
import io.walletledger.journal.JournalDurability;
import io.walletledger.journal.JournalTailDrop;
import io.walletledger.protocol.ProtocolLimits;
import io.walletledger.record.RecordException;
import io.walletledger.record.TransferRecordStore;
import io.walletledger.snapshot.SnapshotInfo;
import io.walletledger.snapshot.SnapshotStore;
import org.agrona.DirectBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ledger in one process, without a network: requests enter a Disruptor ring, state-changing ones are journaled,
 * every one is applied by the single-threaded engine, and the reply goes back through the submitter's handler.
 *
 * <pre>
 *  submit() ──► ring (one slot per request batch, preallocated)
 *                 │
 *   [journaler]   sequence + timestamp, append to the journal; at the end of each Disruptor batch, flush
 *                 (batch durability: forced to disk) before the engine may see the batch
 *   [engine]      LedgerEngine.execute, response written into the slot
 *   [responder]   ReplyHandler.onReply
 *
 *  snapshot follower thread: its own engine, tailing the journal, writes snapshots every N commands / T seconds
 * </pre>
 *
 * {@link #start} recovers the state first (newest valid snapshot, then the journal after it). {@link #close} stops
 * taking requests, drains the ring, writes a final snapshot and closes the journal.
 * <p>
 * A journal append or flush that fails halts the node: that request and every later one is answered with
 * {@code INTERNAL_ERROR} and not applied, and {@link #submit} answers {@link Submission#CLOSED} from then on. The
 * journal then holds what really reached it, which is what a restart recovers.
 */
public final class LedgerNode implements RequestSubmitter, AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(LedgerNode.class);
    private static final long SHUTDOWN_TIMEOUT_SECONDS = 60;

    private final NodeConfig config;
    private final CommandJournal journal;
    private final LedgerEngine engine;
    private final SnapshotStore snapshots;
    private final Disruptor<NodeEvent> disruptor;
    private final RingBuffer<NodeEvent> ring;
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final SnapshotFollower follower;
    /** Null without a record. */
    private final TransferRecordStore record;
    /** Null without a disk watch. */
    private final DiskSpace disk;
    /** Null without a record. */
    private final RecordArchive archive;
    private final EngineClock clock;
    /** With a real-time priority: raises the JIT compiler threads while real-time threads starve them. */
    private volatile JitStarvationGuard jitGuard;
    private final Recovery.Recovered recovered;
    private final int requestLengthMax;
    private final NodeMetrics metrics;
    private final PipelineState state;

    private final AtomicInteger submitsInProgress = new AtomicInteger();
    private volatile boolean closed;

    private LedgerNode(
        final NodeConfig config, final LedgerConfig created, final CommandJournal journal,
        final Recovery.Recovered recovered, final TransferRecordStore record)
    {
        this.config = config;
        this.record = record;
        this.journal = journal;
        this.recovered = recovered;
        this.engine = recovered.engine();
        this.metrics = new NodeMetrics(this, config.journalDirectory());
        if (recovered.snapshot() != null)
        {
            metrics.recoveredSnapshot(lastModifiedMillis(recovered.snapshot().file()));
        }
        // The node's own SetLedgerSettings lists every currency: longer than a request of a small batch limit.
        this.requestLengthMax = Math.max(ProtocolLimits.messageLengthMax(config.ledger().batchEventsMax()),
            ProtocolLimits.settingsLengthMax());
        this.snapshots = SnapshotStore.open(config.snapshotDirectory(), config.snapshotRetain());
        final WaitStrategy waitStrategy = config.waitStrategy().create();
        this.state = new PipelineState(metrics, waitStrategy, recovered.sequence());
        this.disk = config.diskMinFree() > 0 ? new DiskSpace(config.journalDirectory(), config.diskMinFree(), state) :
            null;
        this.disruptor = new Disruptor<>(
            NodeEvent::new, config.ringSize(), this::newThread, ProducerType.MULTI, waitStrategy);
        disruptor.setDefaultExceptionHandler(new FatalExceptionHandler());
        this.clock = new EngineClock(config.wallClock(), config.monotonicClock(), config.clockSlewPercent(),
            engine.lastTimestamp());
        disruptor.handleEventsWith(
                new Journaler(journal, config, state, clock, engine.lastTimestamp(),
                    record == null ? null : new RecallNotes(record, state), disk))
            .then(new EngineStage(engine, state))
            .then(new Responder());
        this.ring = disruptor.getRingBuffer();
        this.archive = record == null ? null :
            new RecordArchive(record, () -> state.appliedSequence, RecordArchive.WAIT_MAX, RecordArchive.WAITING_MAX);
        this.follower = config.follows() ? new SnapshotFollower(config, created, snapshots,
            recovered.snapshot() == null ? -1 : recovered.snapshot().sequence(), () -> state.durableSequence, record,
            () -> disk != null && disk.isLow(), metrics) : null;
    }

    /**
     * Opens the record, if the node keeps one. A record ahead of the journal (a journal that lost its tail, which
     * {@code none} durability allows on power loss) or one that cannot be read is set aside and rebuilt from the
     * journal: it is never served wrong. A record that needs journal entries that were archived
     * ({@code wallet journal archive}) cannot be brought up to date: the node refuses to start, saying so.
     *
     * @param journalFirst the sequence of the journal's first entry.
     * @return the record, or null.
     */
    private static TransferRecordStore openRecord(
        final NodeConfig config, final long journalSequence, final long journalFirst)
    {
        if (!config.record())
        {
            return null;
        }
        TransferRecordStore record = null;
        try
        {
            record = TransferRecordStore.open(config.recordDirectory());
            if (record.position() <= journalSequence)
            {
                return requireJournalFor(record, journalFirst);
            }
            LOG.warn("the record reaches journal sequence {}, beyond the journal's last entry {}: rebuilding it " +
                "from the journal", record.position(), journalSequence);
            record.close();
        }
        catch (final RecordException ex)
        {
            LOG.warn("the record cannot be used ({}): rebuilding it from the journal", ex.getMessage());
            if (record != null)
            {
                record.close();
            }
        }
        setAside(config.recordDirectory());
        return requireJournalFor(TransferRecordStore.open(config.recordDirectory()), journalFirst);
    }

    private static long journalFirstSequence(final NodeConfig config)
    {
        try (JournalReader reader = JournalReader.open(config.journalDirectory()))
        {
            return reader.firstSequence();
        }
    }

    /**
     * @return the record, if the journal still holds every entry after its position.
     */
    private static TransferRecordStore requireJournalFor(final TransferRecordStore record, final long journalFirst)
    {
        if (record.position() >= journalFirst - 1)
        {
            return record;
        }
        final long position = record.position();
        record.close();
        throw new IllegalStateException("the permanent record reaches journal sequence " + position + ", but the " +
            "journal starts at sequence " + journalFirst + ": the entries between were archived (wallet journal " +
            "archive). Put the archived journal files back into the journal directory and start again, so that the " +
            "record can catch up from the journal");
    }

    /**
     * Renames a record that must not be used to {@code record.set-aside-<epoch millis>}, kept for inspection.
     */
    private static void setAside(final Path directory)
    {
        final Path aside =
            directory.resolveSibling(directory.getFileName() + ".set-aside-" + System.currentTimeMillis());
        try
        {
            Files.move(directory, aside);
            LOG.warn("moved the unusable record to {}; delete it once it is no longer of interest", aside);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(
                "cannot move the unusable record " + directory + " away: move it by hand", ex);
        }
    }

    /**
     * Recovers the ledger in the configured data directory and starts the pipeline.
     *
     * @throws io.walletledger.journal.JournalCorruptedException if the journal fails verification.
     * @throws IllegalStateException if another writer has the journal open, or journal files are missing, or the
     *                               system refuses the configured real-time priority.
     */
    public static LedgerNode start(final NodeConfig config)
    {
        if (config.realtimePriority() > 0)
        {
            // Before anything is opened: a node configured for it does not run without it.
            RealtimeScheduling.check(config.realtimePriority());
            RealtimeScheduling.applyToVmThread(config.realtimePriority());
        }
        try
        {
            Files.createDirectories(config.dataDirectory());
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create data directory " + config.dataDirectory(), ex);
        }
        final CommandJournal journal = CommandJournal.open(config.journalDirectory(), config.durability(),
            config.tornTailPolicy(), config.journalClock(), config.journalWriteBehind());
        try
        {
            final LedgerConfig created =
                LedgerSettingsFile.created(config.dataDirectory(), config.ledger(), journal.lastSequence() > 0);
            final Recovery.Recovered recovered = Recovery.recover(
                created, config.snapshotDirectory(), config.journalDirectory(), true);
            if (recovered.sequence() != journal.lastSequence())
            {
                throw new IllegalStateException("recovery replayed the journal up to sequence " +
                    recovered.sequence() + " but the journal's last entry is " + journal.lastSequence());
            }
            LOG.info("recovered {} accounts, {} remembered transfers at journal sequence {} ({} commands replayed" +
                " after {}) in {} ms", recovered.engine().accountCount(), recovered.engine().rememberedTransferCount(),
                recovered.sequence(), recovered.replayedCommands(),
                recovered.snapshot() == null ? "no snapshot" : "snapshot " + recovered.snapshot().sequence(),
                TimeUnit.NANOSECONDS.toMillis(recovered.nanos()));
            final LedgerNode node =
                new LedgerNode(config, created, journal, recovered, openRecord(config, journal.lastSequence(),
                    journalFirstSequence(config)));
            node.disruptor.start();
            if (node.follower != null)
            {
                node.follower.start();
            }
            if (config.realtimePriority() > 0)
            {
                node.jitGuard = JitStarvationGuard.start(config.realtimePriority());
            }
            try
            {
                if (node.follower != null)
                {
                    node.follower.awaitLoaded();
                }
                LedgerSettingsChange.apply(node, recovered.engine(), config.ledger());
            }
            catch (final RuntimeException ex)
            {
                node.close();
                throw ex;
            }
            return node;
        }
        catch (final RuntimeException | Error ex)
        {
            journal.close();
            throw ex;
        }
    }

    /**
     * Offers a request to the ring without blocking.
     *
     * @param request one SBE request message (header and body). The node reads it until the handler has been
     *                called, so it must not change before then.
     * @param offset  of the message header in {@code request}.
     * @param length  of the message.
     * @param handler called once with the response, on the responder thread, if the request is accepted.
     * @return {@link Submission#ACCEPTED}, or why not (nothing was taken and the handler will not be called).
     * @throws IllegalArgumentException if the message is longer than any request can be (the gateway's framing
     *                                  refuses such frames first), or does not lie within {@code request}.
     * @throws NullPointerException     if the request or the handler is null.
     */
    @Override
    public Submission submit(final DirectBuffer request, final int offset, final int length, final ReplyHandler handler)
    {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(handler, "handler");
        if (length < 0 || length > requestLengthMax || offset < 0 || (long)offset + length > request.capacity())
        {
            throw new IllegalArgumentException("request of " + length + " bytes at offset " + offset + " in a buffer of " +
                request.capacity() + ": the length must be within 0.." + requestLengthMax + " and lie in the buffer");
        }
        submitsInProgress.incrementAndGet();
        try
        {
            if (!state.accepting)
            {
                return Submission.CLOSED;
            }
            final long slot;
            try
            {
                slot = ring.tryNext();
            }
            catch (final InsufficientCapacityException ex)
            {
                return Submission.BUSY;
            }
            ring.get(slot).set(request, offset, length, handler);
            ring.publish(slot);
            return Submission.ACCEPTED;
        }
        finally
        {
            submitsInProgress.decrementAndGet();
        }
    }

    /**
     * @return wall clock minus engine time at the last command journaled, in nanoseconds ({@link EngineClock}).
     */
    public long clockOffsetNanos()
    {
        return clock.offsetNanos();
    }

    /**
     * @return how many times the wall clock jumped more than a second away from engine time since start.
     */
    public long clockJumps()
    {
        return clock.jumps();
    }

    /**
     * @return the holds open in the engine at the end of its last batch.
     */
    public int openHolds()
    {
        return state.openHolds;
    }

    /**
     * @return the most holds the engine may have open at once.
     */
    public int holdsCapacity()
    {
        return config.ledger().pendingTransfersMax();
    }

    /**
     * @return the sequence of the last journal entry the engine has applied.
     */
    public long appliedSequence()
    {
        return state.appliedSequence;
    }

    /**
     * @return how the state was recovered at start.
     */
    public Recovery.Recovered recovered()
    {
        return recovered;
    }

    /**
     * @return what opening the journal dropped at start: a torn tail written with durability batch after the last
     * completed fdatasync, never acknowledged (the journal logs it and records it); null if nothing.
     */
    public JournalTailDrop droppedAtStart()
    {
        return journal.droppedAtOpen();
    }

    /**
     * @return free ring slots right now.
     */
    public long ringRemaining()
    {
        return ring.remainingCapacity();
    }

    public int ringSize()
    {
        return ring.getBufferSize();
    }

    /**
     * @return the newest snapshot written by the follower since start, or null.
     */
    public SnapshotInfo lastSnapshot()
    {
        return follower == null ? null : follower.lastSnapshot();
    }

    /**
     * Stops the record's readers, then closes the record (flushed), unless the follower that writes it or the journaler
     * that looks ids up in it is stuck.
     */
    private void closeRecord()
    {
        if (archive != null)
        {
            archive.close();
        }
        if (record != null && (follower == null || follower.isStopped()) && threads.stream().noneMatch(Thread::isAlive))
        {
            record.close();
        }
    }

    /**
     * @return the permanent record, or null if the node keeps none.
     */
    public TransferRecordStore record()
    {
        return record;
    }

    /**
     * @return lookups of transfers at any age, from the record; {@link TransferArchive#NONE} without one.
     */
    public TransferArchive archive()
    {
        return archive == null ? TransferArchive.NONE : archive;
    }

    /**
     * @return the failure that halted the node (journal or a stage): it serves no more. Null while it serves.
     */
    public Throwable haltCause()
    {
        return state.failure;
    }

    /**
     * @return the failure that halted the node (journal) or stopped its snapshots (follower), or null.
     */
    public Throwable failure()
    {
        final Throwable halted = state.failure;
        return halted != null ? halted : follower == null ? null : follower.failure();
    }

    public NodeConfig config()
    {
        return config;
    }

    /**
     * Registers the node's metrics (transfers by result, ring, journal, snapshots, holds, clock, disk) in the
     * server's registry, which the HTTP API's {@code GET /metrics} writes.
     */
    public void registerMetrics(final PrometheusRegistry registry)
    {
        metrics.register(registry);
    }

    /**
     * @return the journal sequence the permanent record has reached, or -1 for a node that keeps none.
     */
    public long recordSequence()
    {
        return record == null ? -1 : record.position();
    }

    private static long lastModifiedMillis(final Path file)
    {
        try
        {
            return Files.getLastModifiedTime(file).toMillis();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read the time of " + file, ex);
        }
    }

    /**
     * @return the primary engine: only for reading once the node is closed (tests, tools).
     */
    public LedgerEngine engine()
    {
        if (!closed)
        {
            throw new IllegalStateException("the engine belongs to the pipeline until the node is closed");
        }
        return engine;
    }

    /**
     * Stops taking requests, answers every request already in the ring, writes a final snapshot (unless the node
     * halted) and closes the journal. Idempotent.
     */
    @Override
    public synchronized void close()
    {
        if (threads.contains(Thread.currentThread()))
        {
            throw new IllegalStateException("a node cannot be closed from its own threads (a reply handler): it " +
                "would wait for itself");
        }
        if (closed)
        {
            return;
        }
        closed = true;
        state.accepting = false;
        while (submitsInProgress.get() != 0)
        {
            Thread.onSpinWait();
        }
        try
        {
            disruptor.shutdown(SHUTDOWN_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        catch (final TimeoutException ex)
        {
            LOG.error("the pipeline did not drain in {} s; halting it", SHUTDOWN_TIMEOUT_SECONDS);
            disruptor.halt();
        }
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SHUTDOWN_TIMEOUT_SECONDS);
        boolean interrupted = false;
        for (final Thread thread : threads)
        {
            interrupted |= Threads.joinUninterruptibly(thread, deadline);
        }
        if (follower != null)
        {
            interrupted |= follower.close(deadline);
        }
        closeRecord();
        if (disk != null)
        {
            disk.close();
        }
        if (jitGuard != null)
        {
            jitGuard.close();
            RealtimeScheduling.applyToVmThread(0);
        }
        if (threads.stream().anyMatch(Thread::isAlive) || (follower != null && !follower.isStopped()))
        {
            // A thread stuck in a reply handler or in I/O: the journal and the engine may still be in use, so
            // neither the snapshot nor closing the journal is safe. What is journaled is recovered at restart.
            LOG.error("node threads did not stop within {} s; closing without a final snapshot",
                SHUTDOWN_TIMEOUT_SECONDS);
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
            return;
        }
        final long appliedSequence = state.appliedSequence;
        final long journalIndex = journal.lastSequence() == appliedSequence ? journal.lastIndex() : -1;
        // The journal reaches the disk before a snapshot that depends on it (in BATCH, close flushes).
        journal.close();
        try
        {
            final long snapshotted = follower != null ? follower.snapshotSequence() :
                recovered.snapshot() != null ? recovered.snapshot().sequence() : -1;
            if (config.finalSnapshot() && state.failure == null && appliedSequence > snapshotted)
            {
                final long start = System.nanoTime();
                if (config.durability() == JournalDurability.NONE)
                {
                    CommandJournal.force(config.journalDirectory());
                }
                final SnapshotInfo info = snapshots.write(engine, appliedSequence, journalIndex);
                LOG.info("final snapshot {} at sequence {} in {} ms", info.file().getFileName(), info.sequence(),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            }
        }
        finally
        {
            if (interrupted)
            {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Thread newThread(final Runnable runnable)
    {
        final Thread thread = new Thread(
            RealtimeScheduling.runAt(config.realtimePriority(), runnable), "wallet-node-" + threads.size());
        thread.setDaemon(true);
        threads.add(thread);
        return thread;
    }

    /**
     * An exception escaping a stage is a bug: halt, since skipping an event could skip a command.
     */
    private final class FatalExceptionHandler implements ExceptionHandler<NodeEvent>
    {
        @Override
        public void handleEventException(final Throwable ex, final long sequence, final NodeEvent event)
        {
            // The stages catch everything themselves; reaching here is a bug in a stage. Halting keeps any later
            // request from being applied; the stage thread goes on, so every request still gets its reply.
            state.halt(sequence, ex);
        }

        @Override
        public void handleOnStartException(final Throwable ex)
        {
            LOG.error("pipeline stage failed to start", ex);
        }

        @Override
        public void handleOnShutdownException(final Throwable ex)
        {
            LOG.error("pipeline stage failed to shut down", ex);
        }
    }
}
