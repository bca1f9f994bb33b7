package io.walletledger.gateway.security;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.local.SynchronizationStrategy;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A rate per key: one Bucket4j token bucket per key that has a rate, refilled greedily at the key's rate up to its
 * burst. A request takes all its tokens or none. Two kinds:
 * <ul>
 *   <li>{@link #transfers}: one token per transfer (event, not request); a key's own {@code transfersPerSecond} and
 *       {@code burst} win over the server's defaults;</li>
 *   <li>{@link #reads}: one token per id looked up, per entry a history page may hold, or per policy lookup; every
 *       key has the server's rate.</li>
 * </ul>
 * A rate of 0 is no limit, and a burst of 0 is one second's worth of the rate.
 */
public final class KeyRateLimits
{
    /** Returned by {@link #tryTake} when the request may go. */
    public static final long ALLOWED = 0;
    /** Returned by {@link #tryTake} when the request needs more tokens than the bucket ever holds. */
    public static final long NEVER = Long.MAX_VALUE;

    private final long defaultRate;
    private final long defaultBurst;
    /** Whether a key's own rate and burst count (transfers), or only the server's (reads). */
    private final boolean keysOwn;
    /** One bucket per key id, for the key object it was made for. */
    private final ConcurrentHashMap<String, KeyBucket> buckets = new ConcurrentHashMap<>();

    private record KeyBucket(ApiKey key, Bucket bucket)
    {
    }

    private KeyRateLimits(final long defaultRate, final long defaultBurst, final boolean keysOwn)
    {
        if (defaultRate < 0 || defaultBurst < 0)
        {
            throw new IllegalArgumentException("rates and bursts must not be negative");
        }
        this.defaultRate = defaultRate;
        this.defaultBurst = defaultBurst;
        this.keysOwn = keysOwn;
    }

    /**
     * @param defaultTransfersPerSecond for keys that set none; 0: no limit.
     * @param defaultBurst              for keys that set none; 0: one second's worth of the rate.
     * @return transfers per second per key.
     */
    public static KeyRateLimits transfers(final long defaultTransfersPerSecond, final long defaultBurst)
    {
        return new KeyRateLimits(defaultTransfersPerSecond, defaultBurst, true);
    }

    /**
     * @param readsPerSecond the rate of every key; 0: no limit.
     * @param burst          0: one second's worth of the rate.
     * @return reads per second per key.
     */
    public static KeyRateLimits reads(final long readsPerSecond, final long burst)
    {
        return new KeyRateLimits(readsPerSecond, burst, false);
    }

    /**
     * @return the key's rate in tokens per second; 0: no limit.
     */
    public long rateOf(final ApiKey key)
    {
        return keysOwn && key.transfersPerSecond() > 0 ? key.transfersPerSecond() : defaultRate;
    }

    /**
     * @return the most tokens the key may take at once.
     */
    public long burstOf(final ApiKey key)
    {
        final long burst = keysOwn && (key.transfersPerSecond() > 0 || key.burst() > 0) ? key.burst() : defaultBurst;
        return burst > 0 ? burst : rateOf(key);
    }

    /**
     * Takes {@code tokens} tokens from the key's bucket, or none.
     *
     * @return {@link #ALLOWED}; or the nanoseconds until enough tokens are there; or {@link #NEVER} if the request
     * needs more tokens than the key's burst.
     */
    public long tryTake(final ApiKey key, final int tokens)
    {
        final long rate = rateOf(key);
        if (rate == 0)
        {
            return ALLOWED;
        }
        final long burst = burstOf(key);
        if (tokens > burst)
        {
            return NEVER;
        }
        KeyBucket entry = buckets.get(key.id());
        if (entry == null || entry.key != key)
        {
            // New, or the key changed in the keys file (perhaps its rate): a bucket for the key as it is now.
            entry = buckets.compute(key.id(), (id, current) -> current != null && current.key == key ? current :
                new KeyBucket(key, Bucket.builder()
                    .addLimit(limit -> limit.capacity(burst).refillGreedy(rate, Duration.ofSeconds(1)))
                    .withSynchronizationStrategy(SynchronizationStrategy.SYNCHRONIZED)
                    .build()));
        }
        final Bucket bucket = entry.bucket;
        if (bucket.tryConsume(tokens))
        {
            return ALLOWED;
        }
        return Math.max(1, bucket.estimateAbilityToConsume(tokens).getNanosToWaitForRefill());
    }
}
