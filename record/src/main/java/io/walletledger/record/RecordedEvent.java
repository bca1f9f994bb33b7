package io.walletledger.record;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * An event the record keeps besides transfers: a change to an account or to a policy that the ledger applied
 * ({@link LedgerEventType}), at its place among the transfers.
 * <p>
 * Stored as: the type's code (1 byte), 7 zero bytes, the timestamp, the subject, then the values, each 8 bytes,
 * big-endian.
 *
 * @param position  where it stands among the record's transfers and events (the same numbering,
 *                  {@link TransferRecordStore#position(long, int)}).
 * @param type      what happened.
 * @param timestamp the engine timestamp of the command that did it.
 * @param subject   the account id for an account event; for a policy, what the entry is for (see the type).
 * @param values    for an account event the account after it (indices {@code ACCOUNT_*}), for a policy its values.
 */
public record RecordedEvent(long position, LedgerEventType type, long timestamp, long subject, long[] values)
{
    public static final int ACCOUNT_USER_DATA = 0;
    public static final int ACCOUNT_CREATED_AT = 1;
    public static final int ACCOUNT_CURRENCY = 2;
    public static final int ACCOUNT_CODE = 3;
    public static final int ACCOUNT_FLAGS = 4;
    public static final int ACCOUNT_STATUS = 5;
    public static final int ACCOUNT_FREEZE_SCOPE = 6;
    public static final int ACCOUNT_DEBITS_PENDING = 7;
    public static final int ACCOUNT_DEBITS_POSTED = 8;
    public static final int ACCOUNT_CREDITS_PENDING = 9;
    public static final int ACCOUNT_CREDITS_POSTED = 10;
    public static final int ACCOUNT_TRANSFER_AMOUNT_LIMIT = 11;
    public static final int ACCOUNT_DAILY_DEBIT_LIMIT = 12;
    public static final int ACCOUNT_DAILY_DEBITS_USED = 13;
    public static final int ACCOUNT_VELOCITY_DEBIT_LIMIT = 14;
    public static final int ACCOUNT_VELOCITY_WINDOW_SECONDS = 15;
    /** Values of an account event. */
    public static final int ACCOUNT_VALUES = 16;

    private static final int HEADER_LENGTH = 24;

    byte[] encode()
    {
        final ByteBuffer bytes = ByteBuffer.allocate(HEADER_LENGTH + 8 * values.length);
        bytes.put(0, (byte)type.code()).putLong(8, timestamp).putLong(16, subject);
        for (int i = 0; i < values.length; i++)
        {
            bytes.putLong(HEADER_LENGTH + 8 * i, values[i]);
        }
        return bytes.array();
    }

    static RecordedEvent decode(final long position, final byte[] stored)
    {
        if (stored.length < HEADER_LENGTH || (stored.length - HEADER_LENGTH) % 8 != 0)
        {
            throw new RecordException("the record is corrupt: the event at position " + position + " has " +
                stored.length + " bytes");
        }
        final ByteBuffer bytes = ByteBuffer.wrap(stored);
        final long[] values = new long[(stored.length - HEADER_LENGTH) / 8];
        for (int i = 0; i < values.length; i++)
        {
            values[i] = bytes.getLong(HEADER_LENGTH + 8 * i);
        }
        return new RecordedEvent(position, LedgerEventType.of(bytes.get(0) & 0xFF), bytes.getLong(8),
            bytes.getLong(16), values);
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof RecordedEvent that && position == that.position && type == that.type &&
            timestamp == that.timestamp && subject == that.subject && Arrays.equals(values, that.values);
    }

    @Override
    public int hashCode()
    {
        return Long.hashCode(position) * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString()
    {
        return type.streamName() + "@" + position + "(" + subject + ", " + Arrays.toString(values) + ")";
    }
}
