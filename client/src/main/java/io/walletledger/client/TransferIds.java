package io.walletledger.client;

import java.security.SecureRandom;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * Generates time-ordered transfer ids that are also valid UUIDv7s (RFC 9562), so a database index or a log sorted
 * by id is sorted by time, and ids can be stored as UUIDs elsewhere.
 *
 * <pre>
 *   hi:  | unix time in ms (48 bits) | version 0111 (4) | counter high (12) |
 *   lo:  | variant 10 (2) |             counter low (62)                     |
 * </pre>
 *
 * The 74 counter bits start at a random value (top bit clear, leaving 2^73 steps of headroom) each new
 * millisecond and go up by one for every further id in the same millisecond, as ULID's monotonic mode does. So the
 * ids of one generator are strictly increasing, also when many threads share it and when the wall clock steps
 * backwards (the generator then keeps counting on from the last time it saw). Ids from different generators are
 * unique with overwhelming probability (73 random bits per millisecond and generator).
 * <p>
 * Thread-safe. One generator per process is the intended use.
 */
public final class TransferIds
{
    private static final long VERSION_BITS = 0x7000L;
    private static final long VARIANT_BITS = 0x8000_0000_0000_0000L;
    private static final int COUNTER_LOW_BITS = 62;
    private static final long COUNTER_LOW_MASK = (1L << COUNTER_LOW_BITS) - 1;
    private static final long COUNTER_HIGH_MASK = 0xFFFL;
    private static final long TIMESTAMP_MAX = (1L << 48) - 1;

    private final LongSupplier clockMs;
    private final Random random;
    private long lastMs = -1;
    private long counterHigh;
    private long counterLow;

    /**
     * A generator on the system clock and a {@link SecureRandom}.
     */
    public TransferIds()
    {
        this(System::currentTimeMillis, new SecureRandom());
    }

    /**
     * A generator on a given clock, for tests of clocks that stand still or step back.
     *
     * @param clockMs milliseconds since the epoch.
     * @param random  source of the random counter start.
     */
    TransferIds(final LongSupplier clockMs, final Random random)
    {
        this.clockMs = clockMs;
        this.random = random;
    }

    /**
     * @return a new id, greater (as an unsigned 128-bit number) than every id this generator returned before.
     */
    public synchronized TransferId next()
    {
        final long now = clockMs.getAsLong();
        if (now > lastMs)
        {
            if (now > TIMESTAMP_MAX)
            {
                throw new IllegalStateException("the clock is beyond the 48-bit millisecond range: " + now);
            }
            lastMs = now;
            // Top counter bit clear: at least 2^73 increments fit before the millisecond would have to move on.
            counterHigh = random.nextInt(1 << 11);
            counterLow = random.nextLong() & COUNTER_LOW_MASK;
        }
        else
        {
            increment();
        }
        return new TransferId(lastMs << 16 | VERSION_BITS | counterHigh, VARIANT_BITS | counterLow);
    }

    private void increment()
    {
        counterLow = (counterLow + 1) & COUNTER_LOW_MASK;
        if (counterLow == 0)
        {
            counterHigh = (counterHigh + 1) & COUNTER_HIGH_MASK;
            if (counterHigh == 0)
            {
                // 2^74 ids in one millisecond cannot happen by counting; borrow the next millisecond to stay ordered.
                lastMs++;
            }
        }
    }
}
