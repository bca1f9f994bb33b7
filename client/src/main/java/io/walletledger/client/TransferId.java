package io.walletledger.client;

import java.util.UUID;

/**
 * A 128-bit transfer id (also used for a pending id and for 128-bit user data): the idempotency key of a transfer,
 * chosen by the client and never zero for a transfer's own id. On the wire it is two u64 halves, {@code lo} then
 * {@code hi}. Ids order as unsigned 128-bit numbers, which for ids from {@link TransferIds} is their creation order.
 *
 * @param hi the high 64 bits.
 * @param lo the low 64 bits.
 */
public record TransferId(long hi, long lo) implements Comparable<TransferId>
{
    /** The zero id: "no pending id" on a transfer, never a transfer's own id. */
    public static final TransferId ZERO = new TransferId(0, 0);

    /**
     * @param lo the low 64 bits; the high half is zero.
     * @return the id {@code lo} (convenient for tests and small ids).
     */
    public static TransferId of(final long lo)
    {
        return new TransferId(0, lo);
    }

    /**
     * @param uuid any UUID, e.g. a UUIDv7 from another system.
     * @return the id with the UUID's most significant bits as {@code hi} and least significant as {@code lo}.
     */
    public static TransferId fromUuid(final UUID uuid)
    {
        return new TransferId(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
    }

    /**
     * @return this id as a UUID ({@code hi} as the most significant bits); {@link #fromUuid(UUID)} reverses it.
     */
    public UUID toUuid()
    {
        return new UUID(hi, lo);
    }

    /**
     * @return true for the zero id.
     */
    public boolean isZero()
    {
        return hi == 0 && lo == 0;
    }

    /**
     * Compares as unsigned 128-bit numbers.
     */
    @Override
    public int compareTo(final TransferId other)
    {
        final int byHi = Long.compareUnsigned(hi, other.hi);
        return byHi != 0 ? byHi : Long.compareUnsigned(lo, other.lo);
    }

    /**
     * @return the id in the UUID text form, e.g. {@code 0190f5a2-7c1e-7a3b-8f00-1c2d3e4f5a6b}.
     */
    @Override
    public String toString()
    {
        return toUuid().toString();
    }
}
