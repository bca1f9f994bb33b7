package io.walletledger.engine;

import org.agrona.BufferUtil;
import org.agrona.UnsafeApi;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * A fixed number of fixed-length records in one cache-aligned off-heap block, and the one bounds check that
 * guards every field access of the engine's hot path.
 * <p>
 * An {@link UnsafeBuffer} checks every access against its capacity, through fields the JIT must reload after
 * each store; on the engine's hot path those checks cost about a fifth of the time per transfer. Here a field
 * access costs one unsigned compare of the slot with a final capacity: {@link #address(int)} refuses any slot
 * outside the block, and the callers' field offsets are constants of a record layout that fits its length
 * ({@code RecordBlockTest}). So a bug still ends in an exception, never in a read or write outside the block.
 * <p>
 * Bulk work (zeroing, copying, snapshots, the state hash) goes through {@link #buffer()}, which keeps
 * Agrona's checks. Records are little-endian, the layout the descriptors document; the engine refuses to
 * start on a big-endian machine rather than store another byte order.
 */
final class RecordBlock
{
    /** Holds the block's memory (so it stays allocated while the block lives) and serves bulk work. */
    private final UnsafeBuffer buffer;
    private final long address;
    private final int recordLength;
    private final int capacity;

    RecordBlock(final int capacity, final int recordLength)
    {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN)
        {
            throw new IllegalStateException("the engine's records are little-endian; this machine is " +
                ByteOrder.nativeOrder());
        }
        if (capacity < 1 || recordLength < 1 || (long)capacity * recordLength > Integer.MAX_VALUE - 64)
        {
            throw new IllegalArgumentException("cannot hold " + capacity + " records of " + recordLength + " bytes");
        }
        this.capacity = capacity;
        this.recordLength = recordLength;
        this.buffer = new UnsafeBuffer(BufferUtil.allocateDirectAligned(capacity * recordLength, 64));
        this.address = buffer.addressOffset();
    }

    /**
     * @return the whole block, with Agrona's bounds checks, for bulk reads and writes.
     */
    UnsafeBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return the address of the first byte of record {@code slot}.
     * @throws IndexOutOfBoundsException if there is no such record in the block.
     */
    long address(final int slot)
    {
        if (Integer.compareUnsigned(slot, capacity) >= 0)
        {
            throw new IndexOutOfBoundsException("record " + slot + " outside a block of " + capacity);
        }
        return address + (long)slot * recordLength;
    }

    static long getLong(final long address)
    {
        return UnsafeApi.getLong(address);
    }

    static void putLong(final long address, final long value)
    {
        UnsafeApi.putLong(address, value);
    }

    static int getInt(final long address)
    {
        return UnsafeApi.getInt(address);
    }

    static void putInt(final long address, final int value)
    {
        UnsafeApi.putInt(address, value);
    }

    static short getShort(final long address)
    {
        return UnsafeApi.getShort(address);
    }

    static void putShort(final long address, final int value)
    {
        UnsafeApi.putShort(address, (short)value);
    }

    static byte getByte(final long address)
    {
        return UnsafeApi.getByte(address);
    }

    static void putByte(final long address, final int value)
    {
        UnsafeApi.putByte(address, (byte)value);
    }
}
