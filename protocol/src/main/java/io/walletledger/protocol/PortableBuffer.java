package io.walletledger.protocol;

import org.agrona.AsciiEncoding;
import org.agrona.AsciiNumberFormatException;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A {@link MutableDirectBuffer} over a byte array that runs in any JVM: it reads and writes through
 * {@link VarHandle}s, where Agrona's {@code UnsafeBuffer} needs {@code jdk.internal.misc.Unsafe} and so the
 * {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED} flag. The Java client encodes and decodes its frames
 * with it, so that an application embedding the client passes no JVM flags; the server keeps {@code UnsafeBuffer}.
 *
 * <p>Heap memory only: wrapping a direct {@link ByteBuffer}, a raw address or a buffer without a byte array is
 * refused with {@link UnsupportedOperationException}. Bounds are always checked (a VarHandle checks them anyway).
 * The two-argument accessors use the platform's byte order, as {@code UnsafeBuffer}'s do.
 */
public final class PortableBuffer implements MutableDirectBuffer
{
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final byte[] EMPTY = new byte[0];
    /** What {@code UnsafeBuffer} reports as the address offset of a byte array's first element. */
    @SuppressWarnings("removal")
    private static final long ARRAY_BASE_OFFSET = sun.misc.Unsafe.ARRAY_BYTE_BASE_OFFSET;

    private static final VarHandle SHORT_LE = MethodHandles.byteArrayViewVarHandle(short[].class,
        ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT_BE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle CHAR_LE = MethodHandles.byteArrayViewVarHandle(char[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle CHAR_BE = MethodHandles.byteArrayViewVarHandle(char[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private byte[] array = EMPTY;
    private int offset;
    private int capacity;

    /**
     * An empty buffer, to be wrapped around an array later.
     */
    public PortableBuffer()
    {
    }

    /**
     * @param array the memory, wrapped whole.
     */
    public PortableBuffer(final byte[] array)
    {
        wrap(array);
    }

    /**
     * @param array  the memory.
     * @param offset where the buffer starts in it.
     * @param length the buffer's capacity.
     */
    public PortableBuffer(final byte[] array, final int offset, final int length)
    {
        wrap(array, offset, length);
    }

    // ---------------------------------------------------------------------------------------------------- wrapping

    @Override
    public void wrap(final byte[] buffer)
    {
        wrap(buffer, 0, buffer.length);
    }

    @Override
    public void wrap(final byte[] buffer, final int offset, final int length)
    {
        if (offset < 0 || length < 0 || offset > buffer.length - length)
        {
            throw new IllegalArgumentException("offset=" + offset + " length=" + length + " outside an array of " +
                buffer.length);
        }
        this.array = buffer;
        this.offset = offset;
        this.capacity = length;
    }

    @Override
    public void wrap(final ByteBuffer buffer)
    {
        wrap(buffer, 0, buffer.capacity());
    }

    @Override
    public void wrap(final ByteBuffer buffer, final int offset, final int length)
    {
        if (!buffer.hasArray())
        {
            throw new UnsupportedOperationException("PortableBuffer wraps heap memory only, not a direct ByteBuffer");
        }
        if (offset < 0 || length < 0 || offset > buffer.capacity() - length)
        {
            throw new IllegalArgumentException("offset=" + offset + " length=" + length + " outside a buffer of " +
                buffer.capacity());
        }
        wrap(buffer.array(), buffer.arrayOffset() + offset, length);
    }

    @Override
    public void wrap(final DirectBuffer buffer)
    {
        wrap(buffer, 0, buffer.capacity());
    }

    @Override
    public void wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        final byte[] bytes = buffer.byteArray();
        if (bytes == null)
        {
            throw new UnsupportedOperationException("PortableBuffer wraps heap memory only: the buffer has no array");
        }
        buffer.boundsCheck(offset, length);
        wrap(bytes, buffer.wrapAdjustment() + offset, length);
    }

    @Override
    public void wrap(final long address, final int length)
    {
        throw new UnsupportedOperationException("PortableBuffer wraps heap memory only, not a raw address");
    }

    @Override
    public long addressOffset()
    {
        return ARRAY_BASE_OFFSET + offset;
    }

    @Override
    public byte[] byteArray()
    {
        return array;
    }

    @Override
    public ByteBuffer byteBuffer()
    {
        return null;
    }

    @Override
    public int wrapAdjustment()
    {
        return offset;
    }

    @Override
    public int capacity()
    {
        return capacity;
    }

    @Override
    public boolean isExpandable()
    {
        return false;
    }

    @Override
    public void checkLimit(final int limit)
    {
        if (limit > capacity)
        {
            throw new IndexOutOfBoundsException("limit=" + limit + " is beyond capacity=" + capacity);
        }
    }

    @Override
    public void boundsCheck(final int index, final int length)
    {
        if (index < 0 || length < 0 || (long)index + length > capacity)
        {
            throw new IndexOutOfBoundsException("index=" + index + " length=" + length + " capacity=" + capacity);
        }
    }

    private int at(final int index, final int length)
    {
        boundsCheck(index, length);
        return offset + index;
    }

    // ---------------------------------------------------------------------------------------------- fixed widths

    @Override
    public byte getByte(final int index)
    {
        return array[at(index, 1)];
    }

    @Override
    public void putByte(final int index, final byte value)
    {
        array[at(index, 1)] = value;
    }

    @Override
    public short getShort(final int index, final ByteOrder byteOrder)
    {
        return (short)(byteOrder == ByteOrder.LITTLE_ENDIAN ? SHORT_LE : SHORT_BE).get(array, at(index, 2));
    }

    @Override
    public short getShort(final int index)
    {
        return getShort(index, NATIVE);
    }

    @Override
    public void putShort(final int index, final short value, final ByteOrder byteOrder)
    {
        (byteOrder == ByteOrder.LITTLE_ENDIAN ? SHORT_LE : SHORT_BE).set(array, at(index, 2), value);
    }

    @Override
    public void putShort(final int index, final short value)
    {
        putShort(index, value, NATIVE);
    }

    @Override
    public char getChar(final int index, final ByteOrder byteOrder)
    {
        return (char)(byteOrder == ByteOrder.LITTLE_ENDIAN ? CHAR_LE : CHAR_BE).get(array, at(index, 2));
    }

    @Override
    public char getChar(final int index)
    {
        return getChar(index, NATIVE);
    }

    @Override
    public void putChar(final int index, final char value, final ByteOrder byteOrder)
    {
        (byteOrder == ByteOrder.LITTLE_ENDIAN ? CHAR_LE : CHAR_BE).set(array, at(index, 2), value);
    }

    @Override
    public void putChar(final int index, final char value)
    {
        putChar(index, value, NATIVE);
    }

    @Override
    public int getInt(final int index, final ByteOrder byteOrder)
    {
        return (int)(byteOrder == ByteOrder.LITTLE_ENDIAN ? INT_LE : INT_BE).get(array, at(index, 4));
    }

    @Override
    public int getInt(final int index)
    {
        return getInt(index, NATIVE);
    }

    @Override
    public void putInt(final int index, final int value, final ByteOrder byteOrder)
    {
        (byteOrder == ByteOrder.LITTLE_ENDIAN ? INT_LE : INT_BE).set(array, at(index, 4), value);
    }

    @Override
    public void putInt(final int index, final int value)
    {
        putInt(index, value, NATIVE);
    }

    @Override
    public long getLong(final int index, final ByteOrder byteOrder)
    {
        return (long)(byteOrder == ByteOrder.LITTLE_ENDIAN ? LONG_LE : LONG_BE).get(array, at(index, 8));
    }

    @Override
    public long getLong(final int index)
    {
        return getLong(index, NATIVE);
    }

    @Override
    public void putLong(final int index, final long value, final ByteOrder byteOrder)
    {
        (byteOrder == ByteOrder.LITTLE_ENDIAN ? LONG_LE : LONG_BE).set(array, at(index, 8), value);
    }

    @Override
    public void putLong(final int index, final long value)
    {
        putLong(index, value, NATIVE);
    }

    @Override
    public float getFloat(final int index, final ByteOrder byteOrder)
    {
        return Float.intBitsToFloat(getInt(index, byteOrder));
    }

    @Override
    public float getFloat(final int index)
    {
        return getFloat(index, NATIVE);
    }

    @Override
    public void putFloat(final int index, final float value, final ByteOrder byteOrder)
    {
        putInt(index, Float.floatToRawIntBits(value), byteOrder);
    }

    @Override
    public void putFloat(final int index, final float value)
    {
        putFloat(index, value, NATIVE);
    }

    @Override
    public double getDouble(final int index, final ByteOrder byteOrder)
    {
        return Double.longBitsToDouble(getLong(index, byteOrder));
    }

    @Override
    public double getDouble(final int index)
    {
        return getDouble(index, NATIVE);
    }

    @Override
    public void putDouble(final int index, final double value, final ByteOrder byteOrder)
    {
        putLong(index, Double.doubleToRawLongBits(value), byteOrder);
    }

    @Override
    public void putDouble(final int index, final double value)
    {
        putDouble(index, value, NATIVE);
    }

    // ------------------------------------------------------------------------------------------------ byte runs

    @Override
    public void setMemory(final int index, final int length, final byte value)
    {
        final int from = at(index, length);
        Arrays.fill(array, from, from + length, value);
    }

    @Override
    public void getBytes(final int index, final byte[] dst)
    {
        getBytes(index, dst, 0, dst.length);
    }

    @Override
    public void getBytes(final int index, final byte[] dst, final int offset, final int length)
    {
        System.arraycopy(array, at(index, length), dst, offset, length);
    }

    @Override
    public void getBytes(final int index, final MutableDirectBuffer dstBuffer, final int dstIndex, final int length)
    {
        dstBuffer.putBytes(dstIndex, this, index, length);
    }

    @Override
    public void getBytes(final int index, final ByteBuffer dstBuffer, final int length)
    {
        final int position = dstBuffer.position();
        getBytes(index, dstBuffer, position, length);
        dstBuffer.position(position + length);
    }

    @Override
    public void getBytes(final int index, final ByteBuffer dstBuffer, final int dstOffset, final int length)
    {
        dstBuffer.put(dstOffset, array, at(index, length), length);
    }

    @Override
    public void putBytes(final int index, final byte[] src)
    {
        putBytes(index, src, 0, src.length);
    }

    @Override
    public void putBytes(final int index, final byte[] src, final int offset, final int length)
    {
        System.arraycopy(src, offset, array, at(index, length), length);
    }

    @Override
    public void putBytes(final int index, final ByteBuffer srcBuffer, final int length)
    {
        final int position = srcBuffer.position();
        putBytes(index, srcBuffer, position, length);
        srcBuffer.position(position + length);
    }

    @Override
    public void putBytes(final int index, final ByteBuffer srcBuffer, final int srcIndex, final int length)
    {
        srcBuffer.get(srcIndex, array, at(index, length), length);
    }

    @Override
    public void putBytes(final int index, final DirectBuffer srcBuffer, final int srcIndex, final int length)
    {
        final int to = at(index, length);
        srcBuffer.boundsCheck(srcIndex, length);
        final byte[] srcArray = srcBuffer.byteArray();
        if (srcArray != null)
        {
            System.arraycopy(srcArray, srcBuffer.wrapAdjustment() + srcIndex, array, to, length);
        }
        else
        {
            for (int i = 0; i < length; i++)
            {
                array[to + i] = srcBuffer.getByte(srcIndex + i);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------- ASCII

    @Override
    public int parseNaturalIntAscii(final int index, final int length)
    {
        return AsciiEncoding.parseIntAscii(naturalAscii(index, length), 0, length);
    }

    @Override
    public long parseNaturalLongAscii(final int index, final int length)
    {
        return AsciiEncoding.parseLongAscii(naturalAscii(index, length), 0, length);
    }

    @Override
    public int parseIntAscii(final int index, final int length)
    {
        return AsciiEncoding.parseIntAscii(ascii(index, length), 0, length);
    }

    @Override
    public long parseLongAscii(final int index, final int length)
    {
        return AsciiEncoding.parseLongAscii(ascii(index, length), 0, length);
    }

    private String naturalAscii(final int index, final int length)
    {
        final String digits = ascii(index, length);
        if (length > 0 && (digits.charAt(0) < '0' || digits.charAt(0) > '9'))
        {
            throw new AsciiNumberFormatException("not a natural number: " + digits);
        }
        return digits;
    }

    private String ascii(final int index, final int length)
    {
        return new String(array, at(index, length), length, StandardCharsets.US_ASCII);
    }

    @Override
    public int putIntAscii(final int index, final int value)
    {
        return putAsciiDigits(index, Integer.toString(value));
    }

    @Override
    public int putNaturalIntAscii(final int index, final int value)
    {
        return putAsciiDigits(index, Integer.toString(natural(value)));
    }

    @Override
    public int putLongAscii(final int index, final long value)
    {
        return putAsciiDigits(index, Long.toString(value));
    }

    @Override
    public int putNaturalLongAscii(final int index, final long value)
    {
        if (value < 0)
        {
            throw new NumberFormatException("not a natural number: " + value);
        }
        return putAsciiDigits(index, Long.toString(value));
    }

    @Override
    public void putNaturalPaddedIntAscii(final int offset, final int length, final int value)
    {
        boundsCheck(offset, length);
        final String digits = Integer.toString(natural(value));
        if (digits.length() > length)
        {
            throw new NumberFormatException(value + " does not fit in " + length + " digits");
        }
        setMemory(offset, length - digits.length(), (byte)'0');
        putAsciiDigits(offset + length - digits.length(), digits);
    }

    @Override
    public int putNaturalIntAsciiFromEnd(final int value, final int endExclusive)
    {
        final String digits = Integer.toString(natural(value));
        final int start = endExclusive - digits.length();
        putAsciiDigits(start, digits);
        return start;
    }

    private static int natural(final int value)
    {
        if (value < 0)
        {
            throw new NumberFormatException("not a natural number: " + value);
        }
        return value;
    }

    private int putAsciiDigits(final int index, final String digits)
    {
        final int length = digits.length();
        final int from = at(index, length);
        for (int i = 0; i < length; i++)
        {
            array[from + i] = (byte)digits.charAt(i);
        }
        return length;
    }

    @Override
    public String getStringAscii(final int index)
    {
        return getStringAscii(index, NATIVE);
    }

    @Override
    public int getStringAscii(final int index, final Appendable appendable)
    {
        return getStringAscii(index, appendable, NATIVE);
    }

    @Override
    public String getStringAscii(final int index, final ByteOrder byteOrder)
    {
        return getStringWithoutLengthAscii(index + Integer.BYTES, getInt(index, byteOrder));
    }

    @Override
    public int getStringAscii(final int index, final Appendable appendable, final ByteOrder byteOrder)
    {
        return getStringWithoutLengthAscii(index + Integer.BYTES, getInt(index, byteOrder), appendable);
    }

    @Override
    public String getStringAscii(final int index, final int length)
    {
        final int encoded = getInt(index);
        return getStringWithoutLengthAscii(index + Integer.BYTES, Math.min(encoded, length));
    }

    @Override
    public int getStringAscii(final int index, final int length, final Appendable appendable)
    {
        final int encoded = getInt(index);
        return getStringWithoutLengthAscii(index + Integer.BYTES, Math.min(encoded, length), appendable);
    }

    @Override
    public String getStringWithoutLengthAscii(final int index, final int length)
    {
        return ascii(index, length);
    }

    @Override
    public int getStringWithoutLengthAscii(final int index, final int length, final Appendable appendable)
    {
        final int from = at(index, length);
        try
        {
            for (int i = 0; i < length; i++)
            {
                final byte b = array[from + i];
                appendable.append(b < 0 ? '?' : (char)b);
            }
        }
        catch (final java.io.IOException ex)
        {
            throw new java.io.UncheckedIOException(ex);
        }
        return length;
    }

    @Override
    public int putStringAscii(final int index, final String value)
    {
        return putStringAscii(index, (CharSequence)value, NATIVE);
    }

    @Override
    public int putStringAscii(final int index, final CharSequence value)
    {
        return putStringAscii(index, value, NATIVE);
    }

    @Override
    public int putStringAscii(final int index, final String value, final ByteOrder byteOrder)
    {
        return putStringAscii(index, (CharSequence)value, byteOrder);
    }

    @Override
    public int putStringAscii(final int index, final CharSequence value, final ByteOrder byteOrder)
    {
        final int length = value == null ? 0 : value.length();
        boundsCheck(index, Integer.BYTES + length);
        putInt(index, length, byteOrder);
        putAsciiChars(index + Integer.BYTES, value, 0, length);
        return Integer.BYTES + length;
    }

    @Override
    public int putStringWithoutLengthAscii(final int index, final String value)
    {
        return putStringWithoutLengthAscii(index, (CharSequence)value);
    }

    @Override
    public int putStringWithoutLengthAscii(final int index, final CharSequence value)
    {
        final int length = value == null ? 0 : value.length();
        putAsciiChars(index, value, 0, length);
        return length;
    }

    @Override
    public int putStringWithoutLengthAscii(final int index, final String value, final int valueOffset,
        final int length)
    {
        return putStringWithoutLengthAscii(index, (CharSequence)value, valueOffset, length);
    }

    @Override
    public int putStringWithoutLengthAscii(final int index, final CharSequence value, final int valueOffset,
        final int length)
    {
        final int written = value == null ? 0 : Math.min(value.length() - valueOffset, length);
        putAsciiChars(index, value, valueOffset, written);
        return written;
    }

    /** Characters outside ASCII are written as '?', as Agrona's buffers do. */
    private void putAsciiChars(final int index, final CharSequence value, final int valueOffset, final int length)
    {
        final int from = at(index, length);
        for (int i = 0; i < length; i++)
        {
            final char c = value.charAt(valueOffset + i);
            array[from + i] = (byte)(c > 127 ? '?' : c);
        }
    }

    // ----------------------------------------------------------------------------------------------------- UTF-8

    @Override
    public String getStringUtf8(final int index)
    {
        return getStringUtf8(index, NATIVE);
    }

    @Override
    public String getStringUtf8(final int index, final ByteOrder byteOrder)
    {
        return getStringWithoutLengthUtf8(index + Integer.BYTES, getInt(index, byteOrder));
    }

    @Override
    public String getStringUtf8(final int index, final int length)
    {
        return getStringWithoutLengthUtf8(index + Integer.BYTES, Math.min(getInt(index), length));
    }

    @Override
    public String getStringWithoutLengthUtf8(final int index, final int length)
    {
        return new String(array, at(index, length), length, StandardCharsets.UTF_8);
    }

    @Override
    public int putStringUtf8(final int index, final String value)
    {
        return putStringUtf8(index, value, NATIVE, Integer.MAX_VALUE);
    }

    @Override
    public int putStringUtf8(final int index, final String value, final ByteOrder byteOrder)
    {
        return putStringUtf8(index, value, byteOrder, Integer.MAX_VALUE);
    }

    @Override
    public int putStringUtf8(final int index, final String value, final int maxEncodedLength)
    {
        return putStringUtf8(index, value, NATIVE, maxEncodedLength);
    }

    @Override
    public int putStringUtf8(final int index, final String value, final ByteOrder byteOrder,
        final int maxEncodedLength)
    {
        final byte[] bytes = value == null ? EMPTY : value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > maxEncodedLength)
        {
            throw new IllegalArgumentException("encoded string larger than maximum size: " + maxEncodedLength);
        }
        boundsCheck(index, Integer.BYTES + bytes.length);
        putInt(index, bytes.length, byteOrder);
        putBytes(index + Integer.BYTES, bytes);
        return Integer.BYTES + bytes.length;
    }

    @Override
    public int putStringWithoutLengthUtf8(final int index, final String value)
    {
        final byte[] bytes = value == null ? EMPTY : value.getBytes(StandardCharsets.UTF_8);
        putBytes(index, bytes);
        return bytes.length;
    }

    // -------------------------------------------------------------------------------------------------- identity

    /**
     * Equal to another {@code PortableBuffer} of the same capacity and contents (Agrona's buffers, likewise, equal
     * only buffers of their own class).
     */
    @Override
    public boolean equals(final Object other)
    {
        if (this == other)
        {
            return true;
        }
        if (other == null || other.getClass() != PortableBuffer.class)
        {
            return false;
        }
        final PortableBuffer that = (PortableBuffer)other;
        return Arrays.equals(array, offset, offset + capacity, that.array, that.offset, that.offset + that.capacity);
    }

    /**
     * The same hash as Agrona's buffers give for the same bytes: 31-fold over the native-order longs, then the bytes
     * left over.
     */
    @Override
    public int hashCode()
    {
        int hash = 19;
        int i = 0;
        for (final int longs = capacity & ~7; i < longs; i += Long.BYTES)
        {
            hash = 31 * hash + Long.hashCode(getLong(i, NATIVE));
        }
        for (; i < capacity; i++)
        {
            hash = 31 * hash + array[offset + i];
        }
        return hash;
    }

    @Override
    public int compareTo(final DirectBuffer that)
    {
        final int common = Math.min(capacity, that.capacity());
        for (int i = 0; i < common; i++)
        {
            final int cmp = Byte.compare(array[offset + i], that.getByte(i));
            if (cmp != 0)
            {
                return cmp;
            }
        }
        return Integer.compare(capacity, that.capacity());
    }

    @Override
    public String toString()
    {
        return "PortableBuffer{offset=" + offset + ", capacity=" + capacity + ", array.length=" + array.length + '}';
    }
}
