package io.walletledger.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link PortableBuffer} against Agrona's {@link UnsafeBuffer}, the reference: the same random operations on both,
 * over equal arrays at the same offset, give the same results, the same failures and the same bytes.
 */
final class PortableBufferTest
{
    private static final int ARRAY_LENGTH = 96;
    private static final String[] STRINGS = { "", "a", "USD", "wallet-ledger", "caf\u00e9", "\u20ac12.34", "0123456789" };

    /** One operation, its arguments drawn already, applied to a buffer: what it answers, or the failure's class. */
    private interface Op extends Function<MutableDirectBuffer, Object>
    {
    }

    @Test
    void randomOperationsMatchUnsafeBuffer()
    {
        final long seed = Long.getLong("portable.seed", System.nanoTime());
        final Random random = new Random(seed);
        for (int round = 0; round < 200; round++)
        {
            final byte[] portableArray = new byte[ARRAY_LENGTH];
            random.nextBytes(portableArray);
            final byte[] unsafeArray = portableArray.clone();
            final int offset = random.nextInt(16);
            final int length = 8 + random.nextInt(ARRAY_LENGTH - 8 - offset);
            final PortableBuffer portable = new PortableBuffer(portableArray, offset, length);
            final UnsafeBuffer unsafe = new UnsafeBuffer(unsafeArray, offset, length);
            for (int step = 0; step < 200; step++)
            {
                final int[] which = new int[1];
                final Op op = randomOp(random, length, which);
                final Object expected = outcome(op, unsafe);
                final Object actual = outcome(op, portable);
                assertEquals(expected, actual, "seed " + seed + " round " + round + " step " + step + " op " + which[0]);
                assertArrayEquals(unsafeArray, portableArray,
                    "seed " + seed + " round " + round + " step " + step + " op " + which[0]);
            }
            assertEquals(unsafe.hashCode(), portable.hashCode(), "seed " + seed);
            final byte[] copy = new byte[length + 3];
            portable.getBytes(0, copy, 3, length);
            assertEquals(portable, new PortableBuffer(copy, 3, length));
            assertEquals(0, portable.compareTo(unsafe));
        }
    }

    @Test
    void copiesToAndFromAgronaBuffers()
    {
        final PortableBuffer portable = new PortableBuffer(new byte[32], 4, 16);
        portable.putLong(0, 0x0102030405060708L);
        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(16));
        portable.getBytes(0, direct, 0, 16);
        assertEquals(0x0102030405060708L, direct.getLong(0));
        direct.putInt(8, 77, ByteOrder.BIG_ENDIAN);
        portable.putBytes(0, direct, 0, 16);
        assertEquals(77, portable.getInt(8, ByteOrder.BIG_ENDIAN));
        final UnsafeBuffer heap = new UnsafeBuffer(new byte[16]);
        heap.putBytes(0, portable, 0, 16);
        assertEquals(0, portable.compareTo(heap));
        assertEquals(portable.hashCode(), heap.hashCode());

        final PortableBuffer view = new PortableBuffer();
        view.wrap(portable, 8, 8);
        assertEquals(77, view.getInt(0, ByteOrder.BIG_ENDIAN));
        assertEquals(12, view.wrapAdjustment());
    }

    @Test
    void refusesMemoryItCannotReachWithoutUnsafe()
    {
        final PortableBuffer buffer = new PortableBuffer();
        assertThrows(UnsupportedOperationException.class, () -> buffer.wrap(ByteBuffer.allocateDirect(8)));
        assertThrows(UnsupportedOperationException.class, () -> buffer.wrap(1024L, 8));
        assertThrows(UnsupportedOperationException.class,
            () -> buffer.wrap((DirectBuffer)new UnsafeBuffer(ByteBuffer.allocateDirect(8))));
        assertThrows(IllegalArgumentException.class, () -> buffer.wrap(new byte[8], 4, 5));
        final ByteBuffer heap = ByteBuffer.allocate(16);
        buffer.wrap(heap, 4, 8);
        buffer.putInt(0, 5);
        assertEquals(5, heap.order(ByteOrder.nativeOrder()).getInt(4));
    }

    private static Object outcome(final Op op, final MutableDirectBuffer buffer)
    {
        try
        {
            return Objects.requireNonNullElse(op.apply(buffer), "null");
        }
        catch (final IndexOutOfBoundsException ex)
        {
            return "out of bounds";
        }
        catch (final RuntimeException ex)
        {
            return ex.getClass().getSimpleName();
        }
    }

    private static Op randomOp(final Random random, final int capacity, final int[] which)
    {
        // Mostly in bounds, sometimes across or outside the end, now and then negative.
        final int index = random.nextInt(10) == 0 ? random.nextInt(capacity + 16) - 8 : random.nextInt(capacity);
        final ByteOrder order = random.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        final long value = random.nextLong();
        final int small = random.nextInt(12);
        final String string = STRINGS[random.nextInt(STRINGS.length)];
        final int number = random.nextBoolean() ? random.nextInt(100_000) : random.nextInt();
        final List<Op> ops = new ArrayList<>();
        ops.add(b -> b.getByte(index));
        ops.add(b -> { b.putByte(index, (byte)value); return null; });
        ops.add(b -> b.getShort(index, order));
        ops.add(b -> b.getShort(index));
        ops.add(b -> { b.putShort(index, (short)value, order); return null; });
        ops.add(b -> { b.putShort(index, (short)value); return null; });
        ops.add(b -> (int)b.getChar(index, order));
        ops.add(b -> { b.putChar(index, (char)value, order); return null; });
        ops.add(b -> b.getInt(index, order));
        ops.add(b -> b.getInt(index));
        ops.add(b -> { b.putInt(index, (int)value, order); return null; });
        ops.add(b -> { b.putInt(index, (int)value); return null; });
        ops.add(b -> b.getLong(index, order));
        ops.add(b -> b.getLong(index));
        ops.add(b -> { b.putLong(index, value, order); return null; });
        ops.add(b -> { b.putLong(index, value); return null; });
        ops.add(b -> Float.floatToRawIntBits(b.getFloat(index, order)));
        ops.add(b -> { b.putFloat(index, Float.intBitsToFloat((int)value), order); return null; });
        ops.add(b -> Double.doubleToRawLongBits(b.getDouble(index, order)));
        ops.add(b -> { b.putDouble(index, Double.longBitsToDouble(value), order); return null; });
        ops.add(b -> { b.setMemory(index, small, (byte)value); return null; });
        ops.add(b -> { final byte[] dst = new byte[small]; b.getBytes(index, dst); return List.of(box(dst)); });
        ops.add(b -> { b.putBytes(index, bytesOf(value, small)); return null; });
        ops.add(b -> {
            final ByteBuffer dst = ByteBuffer.allocate(16);
            b.getBytes(index, dst, 2, small);
            return List.of(box(dst.array()));
        });
        ops.add(b -> b.putStringAscii(index, string, order));
        ops.add(b -> b.getStringAscii(index, order));
        ops.add(b -> b.putStringWithoutLengthAscii(index, string));
        ops.add(b -> b.putStringWithoutLengthAscii(index, string, small % 3, small));
        ops.add(b -> b.getStringWithoutLengthAscii(index, small));
        ops.add(b -> {
            final StringBuilder sb = new StringBuilder();
            final int n = b.getStringWithoutLengthAscii(index, small, sb);
            return n + ":" + sb;
        });
        ops.add(b -> b.putStringUtf8(index, string, order));
        ops.add(b -> b.putStringUtf8(index, string, small));
        ops.add(b -> b.getStringUtf8(index, order));
        ops.add(b -> b.putStringWithoutLengthUtf8(index, string));
        ops.add(b -> b.getStringWithoutLengthUtf8(index, small));
        ops.add(b -> b.putIntAscii(index, number));
        ops.add(b -> b.putLongAscii(index, value));
        ops.add(b -> b.putNaturalIntAscii(index, Math.abs(number % 1_000_000)));
        ops.add(b -> b.putNaturalLongAscii(index, Math.abs(value % 1_000_000_000_000L)));
        ops.add(b -> { b.putNaturalPaddedIntAscii(index, 6, Math.abs(number % 1_000_000)); return null; });
        ops.add(b -> b.putNaturalIntAsciiFromEnd(Math.abs(number % 100_000), Math.min(index + 6, b.capacity())));
        ops.add(b -> {
            final int written = b.putIntAscii(index, number);
            return b.parseIntAscii(index, written);
        });
        ops.add(b -> {
            final int written = b.putLongAscii(index, value);
            return b.parseLongAscii(index, written);
        });
        ops.add(b -> {
            final int written = b.putNaturalIntAscii(index, Math.abs(number % 1_000_000));
            return b.parseNaturalIntAscii(index, written);
        });
        ops.add(b -> {
            final int written = b.putNaturalLongAscii(index, Math.abs(value % 1_000_000_000_000L));
            return b.parseNaturalLongAscii(index, written);
        });
        ops.add(b -> { b.checkLimit(index); return null; });
        which[0] = random.nextInt(ops.size());
        return ops.get(which[0]);
    }

    private static byte[] bytesOf(final long value, final int length)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(value >>> (8 * (i % 8)));
        }
        return bytes;
    }

    private static List<Byte> box(final byte[] bytes)
    {
        final List<Byte> boxed = new ArrayList<>(bytes.length);
        for (final byte b : bytes)
        {
            boxed.add(b);
        }
        return boxed;
    }
}
