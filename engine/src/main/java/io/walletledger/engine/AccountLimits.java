package io.walletledger.engine;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static io.walletledger.engine.RecordBlock.*;

/**
 * The spending limits of the accounts that have any, and what they have spent against them: one fixed-size
 * off-heap record per limited account, in the order the records were created, plus a table from account slot to
 * record (4 bytes per account, direct: no hashing, and {@link TransferPrefetcher} can load it ahead of time). Sized once ({@code limitedAccountsMax} records); an account whose record cannot be created gets
 * {@code LIMITED_ACCOUNTS_FULL}. Accounts without limits have no record and cost nothing here.
 *
 * <pre>
 *  record (56 + 8 x velocityDebitsMax bytes rounded up to whole 64-byte lines, little-endian)
 *    0  accountSlot (i32)              4  velocityDebitLimit (u32, 0 = none)
 *    8  velocityWindowSeconds (u32)   12  ringNext (i32): where the next debit's timestamp goes
 *   16  ringCount (i32): debits recorded, at most velocityDebitsMax      20  reserved, zero
 *   24  transferAmountLimit (i64)     32  dailyDebitLimit (i64)
 *   40  dailyDebitsUsed (i64)         48  dayIndex (i64): the engine-time day dailyDebitsUsed belongs to
 *   56  ring: timestamps (ns) of the newest velocityDebitsMax debits
 * </pre>
 *
 * The ring always keeps the newest {@code velocityDebitsMax} debits whatever the account's own velocity limit,
 * so raising a limit later judges the next debit on its real history. A limit of N debits per window W is
 * exact: a debit at t is refused if the N-th newest recorded debit is later than t - W.
 */
final class AccountLimits
{
    static final int ACCOUNT_SLOT_OFFSET = 0;
    static final int VELOCITY_LIMIT_OFFSET = 4;
    static final int VELOCITY_WINDOW_OFFSET = 8;
    static final int RING_NEXT_OFFSET = 12;
    static final int RING_COUNT_OFFSET = 16;
    static final int TRANSFER_AMOUNT_LIMIT_OFFSET = 24;
    static final int DAILY_LIMIT_OFFSET = 32;
    static final int DAILY_USED_OFFSET = 40;
    static final int DAY_INDEX_OFFSET = 48;
    static final int RING_OFFSET = 56;

    static final long NANOS_PER_SECOND = 1_000_000_000L;
    static final long SECONDS_PER_DAY = 86_400L;

    private final int capacity;
    private final int ringLength;
    private final int recordLength;
    private final RecordBlock block;
    private final UnsafeBuffer records;
    /** Record + 1 of each account slot; 0 for an account without limits. */
    private final int[] recordByAccount;
    private int count;

    AccountLimits(final int capacity, final int velocityDebitsMax, final int accountsMax)
    {
        this.capacity = capacity;
        this.ringLength = velocityDebitsMax;
        this.recordLength = recordLength(velocityDebitsMax);
        this.block = new RecordBlock(Math.max(1, capacity), recordLength);
        this.records = block.buffer();
        this.recordByAccount = new int[capacity == 0 ? 0 : accountsMax];
    }

    /**
     * @return the record length: the fields and the ring, rounded up to whole cache lines so a record never shares a
     * line with its neighbours and {@link #touch} loads exactly its lines.
     */
    static int recordLength(final int velocityDebitsMax)
    {
        return (RING_OFFSET + 8 * velocityDebitsMax + 63) & ~63;
    }

    int recordLength()
    {
        return recordLength;
    }

    int count()
    {
        return count;
    }

    boolean isFull()
    {
        return count >= capacity;
    }

    int velocityDebitsMax()
    {
        return ringLength;
    }

    /**
     * @return the record of the account in this slot, or -1 if it has none.
     */
    int recordOf(final int accountSlot)
    {
        return count == 0 ? -1 : recordByAccount[accountSlot] - 1;
    }

    /**
     * Loads the table entries of the account slots {@code slots[from..from + count)} that are not negative, then
     * the records they name, in loops that do nothing else; see {@link TransferPrefetcher}.
     *
     * @return a sum of what was loaded, only so the loads are not optimised away.
     */
    long touch(final int[] slots, final int from, final int count)
    {
        if (this.count == 0)
        {
            return 0;
        }
        final int[] recordByAccount = this.recordByAccount;
        long touched = 0;
        for (int i = from, end = from + count; i < end; i++)
        {
            final int slot = slots[i];
            if (slot >= 0)
            {
                touched += recordByAccount[slot];
            }
        }
        for (int i = from, end = from + count; i < end; i++)
        {
            final int slot = slots[i];
            final int record = slot >= 0 ? recordByAccount[slot] - 1 : -1;
            if (record >= 0)
            {
                for (long line = block.address(record), last = line + recordLength; line < last; line += 64)
                {
                    touched += getLong(line);
                }
            }
        }
        return touched;
    }

    /**
     * Creates an empty record (no limits, nothing spent) for an account that has none; the caller checked
     * {@link #isFull()}.
     */
    int create(final int accountSlot)
    {
        final int record = count++;
        final int o = record * recordLength;
        records.setMemory(o, recordLength, (byte)0);
        records.putInt(o + ACCOUNT_SLOT_OFFSET, accountSlot);
        recordByAccount[accountSlot] = record + 1;
        return record;
    }

    /**
     * Undoes the newest {@link #create}, for a rolled-back linked chain.
     */
    void removeNewest()
    {
        final int record = --count;
        recordByAccount[accountSlot(record)] = 0;
        records.setMemory(record * recordLength, recordLength, (byte)0);
    }

    void restore(final DirectBuffer from, final int offset)
    {
        if (count == capacity)
        {
            throw new LedgerStateException("the state holds more limited accounts than the capacity of " + capacity);
        }
        final int record = count;
        records.putBytes(record * recordLength, from, offset, recordLength);
        final int accountSlot = accountSlot(record);
        if (accountSlot < 0 || accountSlot >= recordByAccount.length || recordByAccount[accountSlot] != 0)
        {
            throw new LedgerStateException("limits record " + record + " names account slot " + accountSlot +
                " which is out of range or already has limits");
        }
        recordByAccount[accountSlot] = record + 1;
        count++;
    }

    void setLimits(
        final int record,
        final long transferAmountLimit,
        final long dailyDebitLimit,
        final int velocityDebitLimit,
        final int velocityWindowSeconds)
    {
        final long a = block.address(record);
        putLong(a + TRANSFER_AMOUNT_LIMIT_OFFSET, transferAmountLimit);
        putLong(a + DAILY_LIMIT_OFFSET, dailyDebitLimit);
        putInt(a + VELOCITY_LIMIT_OFFSET, velocityDebitLimit);
        putInt(a + VELOCITY_WINDOW_OFFSET, velocityWindowSeconds);
    }

    int accountSlot(final int record)
    {
        return getInt(block.address(record) + ACCOUNT_SLOT_OFFSET);
    }

    long transferAmountLimit(final int record)
    {
        return getLong(block.address(record) + TRANSFER_AMOUNT_LIMIT_OFFSET);
    }

    long dailyDebitLimit(final int record)
    {
        return getLong(block.address(record) + DAILY_LIMIT_OFFSET);
    }

    int velocityDebitLimit(final int record)
    {
        return getInt(block.address(record) + VELOCITY_LIMIT_OFFSET);
    }

    int velocityWindowSeconds(final int record)
    {
        return getInt(block.address(record) + VELOCITY_WINDOW_OFFSET);
    }

    /**
     * @return what counts against the daily limit on the engine-time day of {@code dayIndex}.
     */
    long dailyDebitsUsed(final int record, final long dayIndex)
    {
        final long a = block.address(record);
        return getLong(a + DAY_INDEX_OFFSET) == dayIndex ? getLong(a + DAILY_USED_OFFSET) : 0;
    }

    /**
     * @return true if one more debit at {@code timestamp} would exceed the velocity limit.
     */
    boolean velocityExceeded(final int record, final long timestamp)
    {
        final long a = block.address(record);
        final int limit = getInt(a + VELOCITY_LIMIT_OFFSET);
        if (limit == 0 || getInt(a + RING_COUNT_OFFSET) < limit)
        {
            return false;
        }
        // The limit-th newest debit: ringNext - 1 is the newest.
        final int position = Math.floorMod(getInt(a + RING_NEXT_OFFSET) - limit, ringLength);
        final long windowNanos = (getInt(a + VELOCITY_WINDOW_OFFSET) & 0xFFFF_FFFFL) * NANOS_PER_SECOND;
        return getLong(ringEntry(a, position)) > timestamp - windowNanos;
    }

    /**
     * Counts a debit of {@code amount} at {@code timestamp} on day {@code dayIndex}; the caller checked the limits.
     */
    void recordDebit(final int record, final long amount, final long timestamp, final long dayIndex)
    {
        final long a = block.address(record);
        // Saturates: without a daily limit nothing stops the sum growing past 2^63-1, and it must not wrap into
        // an allowance if a limit is set later the same day.
        final long used = dailyDebitsUsed(record, dayIndex) + amount;
        putLong(a + DAILY_USED_OFFSET, used < 0 ? Long.MAX_VALUE : used);
        putLong(a + DAY_INDEX_OFFSET, dayIndex);
        if (ringLength > 0)
        {
            final int next = getInt(a + RING_NEXT_OFFSET);
            putLong(ringEntry(a, next), timestamp);
            putInt(a + RING_NEXT_OFFSET, next + 1 == ringLength ? 0 : next + 1);
            putInt(a + RING_COUNT_OFFSET, Math.min(ringLength, getInt(a + RING_COUNT_OFFSET) + 1));
        }
    }

    /**
     * @return the address of entry {@code position} of the ring of the record at {@code recordAddress}.
     * @throws IndexOutOfBoundsException if the position, read from the record, is outside the ring.
     */
    private long ringEntry(final long recordAddress, final int position)
    {
        if (Integer.compareUnsigned(position, ringLength) >= 0)
        {
            throw new IndexOutOfBoundsException("velocity ring position " + position + " outside a ring of " + ringLength);
        }
        return recordAddress + RING_OFFSET + 8L * position;
    }

    /**
     * Copies the spending part of a record (daily use, day, ring position and the ring entry the next debit
     * overwrites) into {@code to}, for the undo log: 32 bytes.
     */
    void saveSpending(final int record, final UnsafeBuffer to, final int at)
    {
        final int o = record * recordLength;
        to.putLong(at, records.getLong(o + DAILY_USED_OFFSET));
        to.putLong(at + 8, records.getLong(o + DAY_INDEX_OFFSET));
        final int next = records.getInt(o + RING_NEXT_OFFSET);
        to.putInt(at + 16, next);
        to.putInt(at + 20, records.getInt(o + RING_COUNT_OFFSET));
        to.putLong(at + 24, ringLength > 0 ? records.getLong(o + RING_OFFSET + 8 * next) : 0);
    }

    void restoreSpending(final int record, final DirectBuffer from, final int at)
    {
        final int o = record * recordLength;
        records.putLong(o + DAILY_USED_OFFSET, from.getLong(at));
        records.putLong(o + DAY_INDEX_OFFSET, from.getLong(at + 8));
        final int next = from.getInt(at + 16);
        records.putInt(o + RING_NEXT_OFFSET, next);
        records.putInt(o + RING_COUNT_OFFSET, from.getInt(at + 20));
        if (ringLength > 0)
        {
            records.putLong(o + RING_OFFSET + 8 * next, from.getLong(at + 24));
        }
    }

    /**
     * @return the day that contains {@code timestamp} when days start {@code dayStartSeconds} after 00:00 UTC.
     */
    static long dayIndex(final long timestamp, final int dayStartSeconds)
    {
        return Math.floorDiv(Math.floorDiv(timestamp, NANOS_PER_SECOND) - dayStartSeconds, SECONDS_PER_DAY);
    }

    /**
     * @return the buffer holding {@link #count()} records from offset 0, in creation order.
     */
    UnsafeBuffer records()
    {
        return records;
    }
}
