package io.walletledger.engine;

import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * A permanent record for the engine's tests and the recall notes a journaler writes from it: it keeps the first
 * transfer the engine reported under each id (as the server's record does), lags behind the engine by a random number
 * of requests, and looks up the ids a journaler would (those not above the engine's largest forgotten id), plus or
 * minus a few at random (a look-up that failed, one more than needed).
 */
final class TestRecord implements AppliedTransferListener
{
    private final Map<ReferenceLedger.Id, byte[]> firsts = new HashMap<>();
    /** The engine's timestamp after each request, oldest first. */
    private final List<Long> timestamps = new ArrayList<>();
    private final Random random;
    private final LedgerEngine engine;
    private final AppliedTransferListener next;

    TestRecord(final LedgerEngine engine, final Random random)
    {
        this(engine, random, transfer -> { });
    }

    /**
     * @param next also told every transfer, after the record.
     */
    TestRecord(final LedgerEngine engine, final Random random, final AppliedTransferListener next)
    {
        this.engine = engine;
        this.random = random;
        this.next = next;
        engine.appliedTransferListener(this);
    }

    @Override
    public void onTransfer(final AppliedTransfer transfer)
    {
        if (transfer.kind() == AppliedTransfer.KIND_EVENT)
        {
            final byte[] copy = new byte[AppliedTransfer.LENGTH];
            final UnsafeBuffer to = new UnsafeBuffer(copy);
            transfer.copyTo(to, 0);
            firsts.putIfAbsent(new ReferenceLedger.Id(transfer.idLo(), transfer.idHi()), copy);
        }
        next.onTransfer(transfer);
    }

    /**
     * Call after each request the engine executed.
     */
    void executed()
    {
        timestamps.add(engine.lastTimestamp());
    }

    /**
     * @param ids the transfer ids of the next request's events, in order.
     * @return what the record says of them: how far it has come, which ids it looked up.
     */
    ReferenceLedger.RecallPlan plan(final List<ReferenceLedger.Id> ids)
    {
        final int lag = new int[] {0, 0, 0, 1, 2, 5, 40}[random.nextInt(7)];
        final long recordTimestamp = random.nextInt(25) == 0 || timestamps.size() <= lag ? -1 :
            timestamps.get(timestamps.size() - 1 - lag);
        final ReferenceLedger.Id forgotten = new ReferenceLedger.Id(engine.forgottenIdLo(), engine.forgottenIdHi());
        final Set<Integer> lookedUp = new TreeSet<>();
        for (int i = 0; i < ids.size(); i++)
        {
            final ReferenceLedger.Id id = ids.get(i);
            final boolean wanted = !id.isZero() && !RecallNote.isAbove(id.hi(), id.lo(), forgotten.hi(), forgotten.lo());
            if (wanted ? random.nextInt(12) != 0 : random.nextInt(20) == 0)
            {
                lookedUp.add(i);
            }
        }
        return new ReferenceLedger.RecallPlan(recordTimestamp, lookedUp);
    }

    /**
     * @return the recall note of a plan: each looked-up id with the first transfer under it if the record had reached
     * it ({@code recordTimestamp}).
     */
    byte[] note(final ReferenceLedger.RecallPlan plan, final List<ReferenceLedger.Id> ids)
    {
        final List<byte[]> found = new ArrayList<>();
        final int[] entries = new int[plan.lookedUp().size()];
        int entry = 0;
        for (final int i : plan.lookedUp())
        {
            final byte[] first = ids.get(i).isZero() ? null : firsts.get(ids.get(i));
            if (first != null && new AppliedTransfer().wrap(new UnsafeBuffer(first), 0).timestamp() <=
                plan.recordTimestamp())
            {
                entries[entry++] = found.size();
                found.add(first);
            }
            else
            {
                entries[entry++] = RecallNote.NOT_IN_RECORD;
            }
        }
        final byte[] note = new byte[RecallNote.length(entries.length, found.size())];
        final UnsafeBuffer out = new UnsafeBuffer(note);
        out.putLong(RecallNote.RECORD_TIMESTAMP_OFFSET, plan.recordTimestamp(), RecallNote.BYTE_ORDER);
        out.putInt(RecallNote.ENTRIES_OFFSET, entries.length, RecallNote.BYTE_ORDER);
        out.putInt(RecallNote.FOUND_OFFSET, found.size(), RecallNote.BYTE_ORDER);
        entry = 0;
        for (final int i : plan.lookedUp())
        {
            final int at = RecallNote.HEADER_LENGTH + entry * RecallNote.ENTRY_LENGTH;
            out.putInt(at, i, RecallNote.BYTE_ORDER);
            out.putInt(at + 4, entries[entry], RecallNote.BYTE_ORDER);
            entry++;
        }
        final int foundAt = RecallNote.HEADER_LENGTH + entries.length * RecallNote.ENTRY_LENGTH;
        for (int f = 0; f < found.size(); f++)
        {
            out.putBytes(foundAt + f * AppliedTransfer.LENGTH, found.get(f));
        }
        return note;
    }
}
