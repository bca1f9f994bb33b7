package io.walletledger.engine;

import java.nio.ByteOrder;

/**
 * Layout of a recall note: what the permanent record said about the transfer ids of one command that the idempotency
 * window may have forgotten, looked up before the command was journaled and journaled with it, so that the engine
 * decides the same on every replay without reading the disk. All fields little-endian.
 *
 * <pre>
 *   0  record timestamp (i64): when the ids were looked up, the record held every transfer whose engine timestamp
 *      is at or below this one; -1 if it held none
 *   8  entries (i32): the events looked up, in increasing event order
 *  12  found (i32): how many of them the record held
 *  16  entries x 8 bytes: event index (i32), transfer (i32: -1 if the record did not hold the id, else the number
 *      of its transfer below, 0 to found - 1)
 *  ..  found x {@link AppliedTransfer#LENGTH} bytes: the first transfer the record held under each id
 * </pre>
 *
 * A command journaled with a note is judged under the promise of exactly once for any retry: an id that is neither
 * in the window, nor an open hold, nor above every id the window forgot, nor looked up in a record that had
 * reached the window's forgotten horizon, is refused with {@code RECORD_BEHIND} (nothing applied, nothing
 * remembered). A command without a note is judged by the window alone.
 */
public final class RecallNote
{
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;
    public static final int RECORD_TIMESTAMP_OFFSET = 0;
    public static final int ENTRIES_OFFSET = 8;
    public static final int FOUND_OFFSET = 12;
    public static final int HEADER_LENGTH = 16;
    public static final int ENTRY_LENGTH = 8;
    public static final int NOT_IN_RECORD = -1;

    private RecallNote()
    {
    }

    /**
     * @return whether an id is above another as unsigned 128-bit numbers (high halves first): the order in which the
     * forgotten horizon's largest evicted id is kept, and in which time-ordered ids grow.
     */
    public static boolean isAbove(final long hi, final long lo, final long thanHi, final long thanLo)
    {
        final int high = Long.compareUnsigned(hi, thanHi);
        return high > 0 || (high == 0 && Long.compareUnsigned(lo, thanLo) > 0);
    }

    /**
     * @return the length of a note of {@code entries} looked-up events of which {@code found} were in the record.
     */
    public static int length(final int entries, final int found)
    {
        return HEADER_LENGTH + entries * ENTRY_LENGTH + found * AppliedTransfer.LENGTH;
    }
}
