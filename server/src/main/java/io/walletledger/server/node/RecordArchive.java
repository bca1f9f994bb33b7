package io.walletledger.server.node;

import io.walletledger.engine.AppliedTransfer;
import io.walletledger.gateway.AccountHistory;
import io.walletledger.gateway.ArchiveBehindException;
import io.walletledger.gateway.ArchivedTransfer;
import io.walletledger.gateway.EventPage;
import io.walletledger.gateway.LedgerEvent;
import io.walletledger.gateway.TransferArchive;
import io.walletledger.protocol.sbe.PendingStatus;
import io.walletledger.protocol.sbe.ResultCode;
import io.walletledger.record.AccountEntry;
import io.walletledger.record.HistoryQuery;
import io.walletledger.record.RecordException;
import io.walletledger.record.RecordedTransfer;
import io.walletledger.record.StreamPage;
import io.walletledger.record.TransferRecordStore;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The HTTP API's archive: transfer lookups answered from the node's permanent record, on threads of their own (the
 * record is on disk), each once the record has reached what the engine had applied when the lookup arrived, so that
 * a transfer already acknowledged is never answered as unknown. If the record does not get there within a bound
 * (it is being rebuilt, or it stopped), the lookup fails with {@link ArchiveBehindException}: 503 and
 * {@code Retry-After}, never a wrong answer. A lookup waits for the record in a queue, not on a reader: one thread
 * hands the lookups at the head of the queue to the readers as the record reaches them (the ledger's position only
 * grows, so they become ready in arrival order), and fails those whose time is up. At most {@link #WAITING_MAX}
 * lookups wait for the record and as many for a reader; more are refused at once the same way, so a flood of lookups
 * while the record is behind holds bounded memory.
 * <p>
 * The change stream ({@link #events}) is read from the record too. A read that finds nothing new waits (a long poll)
 * apart from the lookups, without a reader: the dispatcher reads again for it once the record has moved, or answers
 * it with nothing when its time is up. At most {@link #EVENT_WAITERS_MAX} reads of the stream wait at once.
 */
public final class RecordArchive implements TransferArchive, AutoCloseable
{
    static final Duration WAIT_MAX = Duration.ofSeconds(2);
    static final int WAITING_MAX = 1024;
    static final int EVENT_WAITERS_MAX = 4096;
    /**
     * Items of the record one read of the stream looks at, at most, when a filter matches few: it then answers what
     * it found, perhaps nothing, and where it stopped.
     */
    static final int EVENT_SCAN_MAX = 1 << 18;
    private static final int READERS = 2;
    private static final long POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(200);

    private final TransferRecordStore record;
    private final StreamEvents streamEvents;
    private final LongSupplier appliedSequence;
    private final long waitNanos;
    private final ThreadPoolExecutor readers;
    private final ArrayBlockingQueue<Waiting> waiting;
    private final Thread dispatcher;
    private volatile boolean running = true;
    private final ConcurrentLinkedQueue<EventWait> eventWaits = new ConcurrentLinkedQueue<>();
    private final AtomicInteger eventWaiting = new AtomicInteger();

    /** A read of the stream that found nothing after {@code query.after()} while the record was at {@code seen}. */
    private record EventWait(EventPage.Query query, long deadline, long seen, CompletableFuture<EventPage> answer)
    {
    }

    /** A lookup waiting for the record to reach {@code target}. */
    private record Waiting(long target, long deadline, Runnable read, CompletableFuture<?> answer)
    {
    }

    /**
     * @param appliedSequence the last journal sequence the node's engine applied.
     * @param wait            how long a lookup waits for the record to reach it.
     * @param waitingMax      lookups that may wait for a reader; more are refused.
     */
    public RecordArchive(
        final TransferRecordStore record, final LongSupplier appliedSequence, final Duration wait, final int waitingMax)
    {
        this.record = record;
        this.streamEvents = new StreamEvents(record);
        this.appliedSequence = appliedSequence;
        this.waitNanos = wait.toNanos();
        this.readers = new ThreadPoolExecutor(READERS, READERS, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(waitingMax), runnable ->
            {
                final Thread thread = new Thread(runnable, "wallet-record-reads");
                thread.setDaemon(true);
                return thread;
            });
        this.waiting = new ArrayBlockingQueue<>(waitingMax);
        this.dispatcher = new Thread(this::dispatch, "wallet-record-waits");
        dispatcher.setDaemon(true);
        dispatcher.start();
    }

    @Override
    public CompletableFuture<ArchivedTransfer> find(final long idHi, final long idLo)
    {
        return read(appliedSequence.getAsLong(), () ->
        {
            final RecordedTransfer found = record.find(idHi, idLo);
            return found == null ? null : archived(found);
        });
    }

    @Override
    public CompletableFuture<AccountHistory> history(final AccountHistory.Query query)
    {
        return read(appliedSequence.getAsLong(), () ->
        {
            final List<AccountEntry> page = record.history(new HistoryQuery(query.accountId(), query.after(),
                query.limit(), query.descending(), query.parts(), query.from(), query.to()));
            final List<AccountHistory.Entry> entries = new ArrayList<>(page.size());
            for (final AccountEntry entry : page)
            {
                final RecordedTransfer transfer = record.recordedAt(entry.position());
                if (transfer == null)
                {
                    throw new RecordException("the record is inconsistent: account " + Long.toUnsignedString(
                        query.accountId()) + " names position " + entry.position() + ", which holds nothing");
                }
                entries.add(new AccountHistory.Entry(archived(transfer), entry.position(), entry.parts(), entry.timestamp(), entry.debitsPending(), entry.debitsPosted(),
                    entry.creditsPending(), entry.creditsPosted()));
            }
            return new AccountHistory(entries,
                page.size() < query.limit() ? -1 : page.get(page.size() - 1).position());
        });
    }

    /**
     * {@inheritDoc} The stream is what the record holds: it runs behind the acknowledgements by the record's lag, and
     * a long poll answers as soon as the record has the next event (unlike a lookup, it does not wait for the record
     * to reach what the ledger had applied, so a record that is behind slows the stream but never fails it).
     */
    @Override
    public CompletableFuture<EventPage> events(final EventPage.Query query)
    {
        final CompletableFuture<EventPage> answer = new CompletableFuture<>();
        final long deadline = System.nanoTime() + query.waitNanos();
        submit(() -> readEvents(query, deadline, answer), answer);
        return answer;
    }

    /**
     * On a reader: answers the events the record holds for the query, or if there are none and the query may wait,
     * leaves it to the dispatcher to read again once the record has moved.
     */
    private void readEvents(
        final EventPage.Query query, final long deadline, final CompletableFuture<EventPage> answer)
    {
        try
        {
            final long seen = record.position();
            final List<LedgerEvent> events = new ArrayList<>();
            final StreamPage read = record.stream(query.after(), query.limit(), EVENT_SCAN_MAX, item ->
            {
                final LedgerEvent event = streamEvents.event(item);
                if (query.matches(event))
                {
                    events.add(event);
                    return true;
                }
                return false;
            });
            final EventPage page = new EventPage(events, read.scannedTo());
            // A read that stopped at its bound answers at once, even with nothing: the reader goes on from there.
            if (!events.isEmpty() || !read.atEnd() || query.waitNanos() <= 0 || System.nanoTime() - deadline >= 0 ||
                !running)
            {
                answer.complete(page);
                return;
            }
            if (eventWaiting.incrementAndGet() > EVENT_WAITERS_MAX)
            {
                eventWaiting.decrementAndGet();
                answer.completeExceptionally(new ArchiveBehindException("too many readers of the change stream " +
                    "wait for events: retry shortly", 1));
                return;
            }
            final EventWait wait = new EventWait(new EventPage.Query(page.next(), query.limit(), query.waitNanos(),
                query.accounts(), query.types()), deadline, seen, answer);
            eventWaits.add(wait);
            if (!running && eventWaits.remove(wait))
            {
                // Added while the dispatcher stopped: nothing would answer it.
                eventWaiting.decrementAndGet();
                answer.complete(new EventPage(List.of(), page.next()));
            }
        }
        catch (final RuntimeException ex)
        {
            answer.completeExceptionally(ex);
        }
    }

    /**
     * @return the read, on a reader once the record has reached {@code target}; refused at once if
     * {@link #WAITING_MAX} reads wait already.
     */
    private <T> CompletableFuture<T> read(final long target, final Supplier<T> read)
    {
        final CompletableFuture<T> answer = new CompletableFuture<>();
        final Runnable task = () ->
        {
            try
            {
                answer.complete(read.get());
            }
            catch (final RuntimeException ex)
            {
                answer.completeExceptionally(ex);
            }
        };
        schedule(target, task, answer);
        return answer;
    }

    /**
     * Runs the task on a reader once the record has reached {@code target}; refused at once if
     * {@link #WAITING_MAX} reads wait already (the answer is failed).
     */
    private void schedule(final long target, final Runnable task, final CompletableFuture<?> answer)
    {
        final Waiting wait = new Waiting(target, System.nanoTime() + waitNanos, task, answer);
        final boolean queued = record.position() >= target ? submit(task, answer) : waiting.offer(wait);
        if (!queued && !answer.isDone())
        {
            answer.completeExceptionally(tooMany());
        }
        if (!running && waiting.remove(wait))
        {
            // Offered while the dispatcher stopped: nothing would hand it over.
            answer.completeExceptionally(new ArchiveBehindException("the server is stopping: retry on its successor", 1));
        }
    }

    /**
     * @return whether a reader took the task; if not, the answer is failed.
     */
    private boolean submit(final Runnable task, final CompletableFuture<?> answer)
    {
        try
        {
            readers.execute(task);
            return true;
        }
        catch (final RejectedExecutionException ex)
        {
            answer.completeExceptionally(running ? tooMany() :
                new ArchiveBehindException("the server is stopping: retry on its successor", 1));
            return false;
        }
    }

    private ArchiveBehindException tooMany()
    {
        return new ArchiveBehindException("too many lookups wait for the record (it is at journal sequence " +
            record.position() + "): retry shortly", 1);
    }

    /**
     * On the dispatcher: hands the lookups at the head of the queue to the readers as the record reaches them, and
     * fails those whose time is up.
     */
    private void dispatch()
    {
        while (running)
        {
            wakeEventWaits();
            final Waiting head = waiting.peek();
            if (head == null)
            {
                LockSupport.parkNanos(POLL_NANOS);
                continue;
            }
            final long position = record.position();
            if (position >= head.target())
            {
                waiting.poll();
                submit(head.read(), head.answer());
            }
            else if (System.nanoTime() - head.deadline() >= 0)
            {
                waiting.poll();
                head.answer().completeExceptionally(new ArchiveBehindException("the record is at journal sequence " +
                    position + ", behind the ledger's " + head.target() + " (it is catching up or being rebuilt): " +
                    "retry shortly", 1));
            }
            else
            {
                LockSupport.parkNanos(POLL_NANOS);
            }
        }
        for (Waiting left = waiting.poll(); left != null; left = waiting.poll())
        {
            left.answer().completeExceptionally(
                new ArchiveBehindException("the server is stopping: retry on its successor", 1));
        }
        for (EventWait left = eventWaits.poll(); left != null; left = eventWaits.poll())
        {
            eventWaiting.decrementAndGet();
            left.answer().complete(new EventPage(List.of(), left.query().after()));
        }
    }

    /**
     * Reads the stream again for the waits the record has moved past since they read it, and answers those whose
     * time is up with nothing new.
     */
    private void wakeEventWaits()
    {
        if (eventWaits.isEmpty())
        {
            return;
        }
        final long position = record.position();
        final long now = System.nanoTime();
        for (final java.util.Iterator<EventWait> it = eventWaits.iterator(); it.hasNext(); )
        {
            final EventWait wait = it.next();
            final boolean moved = position > wait.seen();
            if (moved || now - wait.deadline() >= 0)
            {
                it.remove();
                eventWaiting.decrementAndGet();
                if (moved)
                {
                    submit(() -> readEvents(wait.query(), wait.deadline(), wait.answer()), wait.answer());
                }
                else
                {
                    wait.answer().complete(new EventPage(List.of(), wait.query().after()));
                }
            }
        }
    }

    static ArchivedTransfer archived(final RecordedTransfer recorded)
    {
        return archived(recorded.transfer(), pendingStatus(recorded));
    }

    static ArchivedTransfer archived(final AppliedTransfer t, final PendingStatus pendingStatus)
    {
        return new ArchivedTransfer(t.idHi(), t.idLo(), t.debitAccountId(), t.creditAccountId(), t.amount(), t.fee(),
            t.feeAccountId(), t.currency(), t.code(), t.flags(), t.pendingIdHi(), t.pendingIdLo(),
            Integer.toUnsignedLong(t.timeout()), t.userData128Hi(), t.userData128Lo(), t.userData64(),
            Integer.toUnsignedLong(t.userData32()), t.timestamp(), pendingStatus, t.result());
    }

    private static PendingStatus pendingStatus(final RecordedTransfer recorded)
    {
        final AppliedTransfer t = recorded.transfer();
        if (!t.isHold() || (t.result() != ResultCode.OK &&
            t.result() != ResultCode.HELD_FOR_REVIEW))
        {
            return PendingStatus.NONE;
        }
        final AppliedTransfer closedBy = recorded.closedBy();
        if (closedBy == null)
        {
            return PendingStatus.PENDING;
        }
        return closedBy.kind() == AppliedTransfer.KIND_EXPIRED ? PendingStatus.EXPIRED :
            closedBy.isPost() ? PendingStatus.POSTED : PendingStatus.VOIDED;
    }

    /**
     * Stops the readers and waits for them, so that the record can be closed under none.
     */
    @Override
    public void close()
    {
        running = false;
        LockSupport.unpark(dispatcher);
        try
        {
            dispatcher.join(WAIT_MAX.toMillis() * 2);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        readers.shutdownNow();
        try
        {
            if (!readers.awaitTermination(WAIT_MAX.toMillis() * 2, TimeUnit.MILLISECONDS))
            {
                throw new IllegalStateException("the record's readers did not stop");
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the record's readers stopped", ex);
        }
    }
}
