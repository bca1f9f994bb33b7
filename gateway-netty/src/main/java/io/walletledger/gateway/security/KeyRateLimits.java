package io.walletledger.gateway.security;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.local.SynchronizationStrategy;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Transfers per second per key: one Bucket4j token bucket per key that has a rate, one token per transfer (event,
 * not request), refilled greedily at the key's rate up to its burst. A request takes the tokens of all its transfers
 * or none. A key's own {@code transfersPerSecond} and {@code burst} win over the server's defaults; a rate of 0 is
 * no limit, and a burst of 0 is one second's worth of the rate.
 */
public final class TransferRateLimits
{
    /** Returned by {@link #tryTake} when the transfers may go. */
    public static final long ALLOWED = 0;
    /** Returned by {@link #tryTake} when the request has more transfers than the bucket ever holds. */
    public static final long NEVER = Long.MAX_VALUE;

    private final long defaultTransfersPerSecond;
    private final long defaultBurst;
    /** One bucket per key id, for the key object it was made for. */
    private final ConcurrentHashMap<String, KeyBucket> buckets = new ConcurrentHashMap<>();

    private record KeyBucket(ApiKey key, Bucket bucket)
    {
    }

    /**
     * @param defaultTransfersPerSecond for keys that set none; 0: no limit.
     * @param defaultBurst              for keys that set none; 0: one second's worth of the rate.
     */
    public TransferRateLimits(final long defaultTransfersPerSecond, final long defaultBurst)
    {
        if (defaultTransfersPerSecond < 0 || defaultBurst < 0)
        {
            throw new IllegalArgumentException("rates and bursts must not be negative");
        }
        this.defaultTransfersPerSecond = defaultTransfersPerSecond;
        this.defaultBurst = defaultBurst;
    }

    /**
     * @return the key's rate in transfers per second; 0: no limit.
     */
    public long rateOf(final ApiKey key)
    {
        return key.transfersPerSecond() > 0 ? key.transfersPerSecond() : defaultTransfersPerSecond;
    }

    /**
     * @return the most transfers the key may send at once.
     */
    public long burstOf(final ApiKey key)
    {
        final long burst = key.transfersPerSecond() > 0 || key.burst() > 0 ? key.burst() : defaultBurst;
        return burst > 0 ? burst : rateOf(key);
    }

    /**
     * Takes {@code transfers} tokens from the key's bucket, or none.
     *
     * @return {@link #ALLOWED}; or the nanoseconds until enough tokens are there; or {@link #NEVER} if the request
     * holds more transfers than the key's burst.
     */
    public long tryTake(final ApiKey key, final int transfers)
    {
        final long rate = rateOf(key);
        if (rate == 0)
        {
            return ALLOWED;
        }
        final long burst = burstOf(key);
        if (transfers > burst)
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
        if (bucket.tryConsume(transfers))
        {
            return ALLOWED;
        }
        return Math.max(1, bucket.estimateAbilityToConsume(transfers).getNanosToWaitForRefill());
    }
}
