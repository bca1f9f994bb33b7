package io.walletledger.engine;

import io.walletledger.protocol.sbe.CreateTransfersDecoder.TransfersDecoder;
import io.walletledger.protocol.sbe.UInt128Decoder;
import org.agrona.DirectBuffer;
import org.agrona.UnsafeApi;

import java.nio.ByteOrder;

/**
 * A flyweight over one transfer of a {@code CreateTransfers} request, reading the fields at the offsets of the
 * generated SBE decoder with one bounds check per batch instead of one per field.
 * <p>
 * {@link #wrap} checks once that the whole group lies inside the buffer and that every element is at least as long
 * as the fields read here (all present since version 1 of the schema; the request validator has already checked
 * the same); {@link #moveTo} checks the index. After that a field read cannot leave the group. Reading through the
 * decoder's per-field checks instead made the engine 2-7 % slower, measured side by side (docs/performance.md).
 */
final class TransferEvent
{
    private static final int ID_LO = TransfersDecoder.idEncodingOffset() + UInt128Decoder.loEncodingOffset();
    private static final int ID_HI = TransfersDecoder.idEncodingOffset() + UInt128Decoder.hiEncodingOffset();
    private static final int DEBIT_ACCOUNT_ID = TransfersDecoder.debitAccountIdEncodingOffset();
    private static final int CREDIT_ACCOUNT_ID = TransfersDecoder.creditAccountIdEncodingOffset();
    private static final int AMOUNT = TransfersDecoder.amountEncodingOffset();
    private static final int PENDING_ID_LO = TransfersDecoder.pendingIdEncodingOffset() + UInt128Decoder.loEncodingOffset();
    private static final int PENDING_ID_HI = TransfersDecoder.pendingIdEncodingOffset() + UInt128Decoder.hiEncodingOffset();
    private static final int USER_DATA_128_LO =
        TransfersDecoder.userData128EncodingOffset() + UInt128Decoder.loEncodingOffset();
    private static final int USER_DATA_128_HI =
        TransfersDecoder.userData128EncodingOffset() + UInt128Decoder.hiEncodingOffset();
    private static final int USER_DATA_64 = TransfersDecoder.userData64EncodingOffset();
    private static final int USER_DATA_32 = TransfersDecoder.userData32EncodingOffset();
    private static final int TIMEOUT = TransfersDecoder.timeoutEncodingOffset();
    private static final int CURRENCY = TransfersDecoder.currencyEncodingOffset();
    private static final int CODE = TransfersDecoder.codeEncodingOffset();
    private static final int FLAGS = TransfersDecoder.flagsEncodingOffset();
    /** The bytes of an element that the fields above occupy. */
    static final int ELEMENT_LENGTH_MIN = FLAGS + 2;

    static
    {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN)
        {
            throw new IllegalStateException("SBE requests are little-endian; this machine is " + ByteOrder.nativeOrder());
        }
    }

    private Object base;
    private long first;
    private int stride;
    private int count;
    private long at;

    /**
     * @param buffer      holding the request.
     * @param firstOffset of the first element of the group in the buffer.
     * @param stride      the group's element length.
     * @param count       elements in the group.
     * @throws IllegalArgumentException if the group does not lie inside the buffer or its elements are too short.
     */
    void wrap(final DirectBuffer buffer, final int firstOffset, final int stride, final int count)
    {
        if (stride < ELEMENT_LENGTH_MIN || firstOffset < 0 || count < 0 ||
            firstOffset + (long)stride * count > buffer.capacity())
        {
            throw new IllegalArgumentException("a group of " + count + " transfers of " + stride + " bytes at " +
                firstOffset + " does not fit a buffer of " + buffer.capacity() + " bytes, or its elements are shorter " +
                "than " + ELEMENT_LENGTH_MIN);
        }
        this.base = buffer.byteArray();
        this.first = buffer.addressOffset() + firstOffset;
        this.stride = stride;
        this.count = count;
        this.at = first;
    }

    /**
     * Points the flyweight at transfer {@code index} of the group.
     */
    void moveTo(final int index)
    {
        if (Integer.compareUnsigned(index, count) >= 0)
        {
            throw new IndexOutOfBoundsException("transfer " + index + " of a group of " + count);
        }
        at = first + (long)index * stride;
    }

    long idLo()
    {
        return UnsafeApi.getLong(base, at + ID_LO);
    }

    long idHi()
    {
        return UnsafeApi.getLong(base, at + ID_HI);
    }

    long debitAccountId()
    {
        return UnsafeApi.getLong(base, at + DEBIT_ACCOUNT_ID);
    }

    long creditAccountId()
    {
        return UnsafeApi.getLong(base, at + CREDIT_ACCOUNT_ID);
    }

    long amount()
    {
        return UnsafeApi.getLong(base, at + AMOUNT);
    }

    long pendingIdLo()
    {
        return UnsafeApi.getLong(base, at + PENDING_ID_LO);
    }

    long pendingIdHi()
    {
        return UnsafeApi.getLong(base, at + PENDING_ID_HI);
    }

    long userData128Lo()
    {
        return UnsafeApi.getLong(base, at + USER_DATA_128_LO);
    }

    long userData128Hi()
    {
        return UnsafeApi.getLong(base, at + USER_DATA_128_HI);
    }

    long userData64()
    {
        return UnsafeApi.getLong(base, at + USER_DATA_64);
    }

    /** The uint32 field as the int stored in records (same bits). */
    int userData32()
    {
        return UnsafeApi.getInt(base, at + USER_DATA_32);
    }

    /** The uint32 field as the int stored in records (same bits). */
    int timeout()
    {
        return UnsafeApi.getInt(base, at + TIMEOUT);
    }

    int currency()
    {
        return UnsafeApi.getShort(base, at + CURRENCY) & 0xFFFF;
    }

    int code()
    {
        return UnsafeApi.getShort(base, at + CODE) & 0xFFFF;
    }

    int flags()
    {
        return UnsafeApi.getShort(base, at + FLAGS) & 0xFFFF;
    }
}
