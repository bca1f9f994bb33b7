package io.walletledger.journal;

import net.openhft.chronicle.queue.ExcerptTailer;

/**
 * Tails the journal while the writer keeps appending, for a follower engine that builds snapshots: each
 * {@link #poll} delivers what the journal holds now and returns, so the follower's duty cycle decides how to idle.
 * <p>
 * Every record is verified as {@link JournalReader#replay(long, JournalEntryHandler)} verifies it, except that
 * reaching the last record is not the end of the journal: the writer may be about to append the next one, and
 * Chronicle commits a document by writing its header last, so a document is never seen half-written. A last
 * record that fails verification is therefore held, not reported: if the next record is a discard record for it
 * (a writer opened with {@link TornTailPolicy#TRUNCATE}), both are passed over; if any other record follows, poll
 * throws {@link JournalCorruptedException}, as replay does. After poll has thrown, the follower stays stopped.
 * <p>
 * Made by {@link JournalReader#follow(long)}; one thread, the one that made it, uses it. After warm-up a poll
 * allocates nothing per entry.
 */
public final class JournalFollower implements AutoCloseable
{
    private final ExcerptTailer tailer;
    private final JournalScan scan;
    private final long fromSequence;
    private Throwable failure;

    JournalFollower(final ExcerptTailer tailer, final JournalScan scan, final long fromSequence)
    {
        this.tailer = tailer;
        this.scan = scan;
        this.fromSequence = fromSequence;
    }

    /**
     * Delivers up to {@code limit} verified entries that are in the journal now, in order, continuing where the
     * previous poll stopped. Never blocks and never waits.
     *
     * @param handler receives the entries.
     * @param limit   the most entries to deliver, at least 1.
     * @return the number delivered: 0 when the follower has caught up with the writer.
     * @throws JournalCorruptedException at a record that fails verification, once what follows it shows it is not
     *                                   a torn record the writer discarded.
     * @throws IllegalStateException     if an earlier poll threw.
     */
    public int poll(final JournalEntryHandler handler, final int limit)
    {
        if (failure != null)
        {
            throw new IllegalStateException("the follower stopped at an earlier failure: " + failure, failure);
        }
        if (limit < 1)
        {
            throw new IllegalArgumentException("limit must be at least 1, not " + limit);
        }
        final ExcerptTailer tailer = this.tailer;
        final JournalScan scan = this.scan;
        int delivered = 0;
        try
        {
            while (delivered < limit && scan.read(tailer))
            {
                if (scan.onRecord(handler))
                {
                    delivered++;
                }
            }
        }
        catch (final RuntimeException | Error ex)
        {
            // The tailer has moved past the record that failed: going on would skip it.
            failure = ex;
            throw ex;
        }
        return delivered;
    }

    /**
     * @return the sequence of the last entry delivered or passed over; {@code fromSequence - 1} before any.
     */
    public long lastSequence()
    {
        return Math.max(fromSequence, scan.expected()) - 1;
    }

    /**
     * @return the Chronicle index of the last entry read (after a poll that delivered entries, the last one
     * delivered), or -1 before any.
     */
    public long lastIndex()
    {
        return scan.lastEntryIndex();
    }

    /**
     * @return null, or a description of the last record read if it failed verification: held, not reported, while a
     * live writer may still follow it with a discard record. Once the writer is gone it is a torn tail.
     */
    public String heldRecordProblem()
    {
        return scan.heldProblem();
    }

    /**
     * Closes the follower's tailer; the reader and its queue stay open.
     */
    @Override
    public void close()
    {
        tailer.close();
    }
}
