package io.walletledger.gateway.security;

import io.walletledger.protocol.Role;
import io.walletledger.protocol.ScramSha256;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who may use the listeners, shared by the binary gateway and the HTTP API: the keys, the per-key transfer rate
 * limits and connection counts, and the audit log. In {@link Mode#DEVELOPMENT} nobody authenticates and every
 * connection acts as {@link #DEVELOPMENT_KEY}, which may do everything without limits.
 */
public final class GatewaySecurity
{
    /** Whether clients must authenticate. */
    public enum Mode
    {
        /** Every client authenticates with an API key. */
        REQUIRED,
        /** Nobody authenticates; for a developer's own machine only. */
        DEVELOPMENT
    }

    /**
     * What every client is in development mode: every role a key may have (not the node's own), every account, no
     * rate limit.
     */
    public static final ApiKey DEVELOPMENT_KEY = new ApiKey("development", EnumSet.range(Role.READ, Role.ADMIN),
        new long[0],
        new byte[ScramSha256.SALT_LENGTH], ScramSha256.ITERATIONS_MIN, new byte[ScramSha256.HASH_LENGTH],
        new byte[ScramSha256.HASH_LENGTH], 0, 0);

    private final Mode mode;
    /** Replaced whole when the keys file changes ({@link #replaceKeys}); read without locking. */
    private volatile Map<String, ApiKey> keys;
    private final KeyRateLimits rateLimits;
    private final KeyRateLimits readLimits;
    private final int connectionsPerKeyMax;
    private final AuditLog audit;
    private final byte[] decoySecret = new byte[ScramSha256.HASH_LENGTH];
    private final int decoyIterations;
    private final ConcurrentHashMap<String, AtomicInteger> connections = new ConcurrentHashMap<>();

    private GatewaySecurity(
        final Mode mode,
        final Map<String, ApiKey> keys,
        final KeyRateLimits rateLimits,
        final KeyRateLimits readLimits,
        final int connectionsPerKeyMax,
        final AuditLog audit,
        final byte[] decoySecret)
    {
        this.mode = mode;
        this.keys = Map.copyOf(keys);
        this.rateLimits = rateLimits;
        this.readLimits = readLimits;
        this.connectionsPerKeyMax = connectionsPerKeyMax;
        this.audit = audit;
        if (decoySecret == null)
        {
            new SecureRandom().nextBytes(this.decoySecret);
        }
        else
        {
            System.arraycopy(decoySecret, 0, this.decoySecret, 0, Math.min(decoySecret.length, this.decoySecret.length));
        }
        // An unknown key id gets a challenge that looks like a real key's, with the iterations most keys have.
        this.decoyIterations = keys.values().stream().mapToInt(ApiKey::iterations).findFirst()
            .orElse(ScramSha256.ITERATIONS_DEFAULT);
    }

    /**
     * @return no authentication: for tests and a developer's own machine.
     */
    public static GatewaySecurity development()
    {
        return new GatewaySecurity(Mode.DEVELOPMENT, Map.of(), KeyRateLimits.transfers(0, 0),
            KeyRateLimits.reads(0, 0), 0, new AuditLog(), null);
    }

    /**
     * @param keys                 by id.
     * @param rateLimits           transfers per second per key.
     * @param connectionsPerKeyMax binary connections one key may hold at once; 0: no limit.
     */
    public static GatewaySecurity required(
        final Map<String, ApiKey> keys, final KeyRateLimits rateLimits, final int connectionsPerKeyMax)
    {
        return required(keys, rateLimits, connectionsPerKeyMax, null);
    }

    /**
     * As {@link #required(Map, KeyRateLimits, int)}, writing to this audit log: for tests.
     */
    static GatewaySecurity required(final Map<String, ApiKey> keys, final AuditLog audit)
    {
        return new GatewaySecurity(Mode.REQUIRED, keys, KeyRateLimits.transfers(0, 0), KeyRateLimits.reads(0, 0), 0,
            audit, null);
    }

    /**
     * As {@link #required(Map, KeyRateLimits, int)}, with the secret the challenges of unknown key ids derive
     * from: kept by the server across restarts, so an unknown id's salt stays the same as a real key's does, and
     * ids cannot be told apart by whether their salt changes; null for one of this process only.
     */
    public static GatewaySecurity required(
        final Map<String, ApiKey> keys, final KeyRateLimits rateLimits, final int connectionsPerKeyMax,
        final byte[] decoySecret)
    {
        return required(keys, rateLimits, KeyRateLimits.reads(0, 0), connectionsPerKeyMax, decoySecret);
    }

    /**
     * As {@link #required(Map, KeyRateLimits, int, byte[])}, with reads per second per key.
     */
    public static GatewaySecurity required(
        final Map<String, ApiKey> keys, final KeyRateLimits rateLimits, final KeyRateLimits readLimits,
        final int connectionsPerKeyMax, final byte[] decoySecret)
    {
        if (connectionsPerKeyMax < 0)
        {
            throw new IllegalArgumentException("connectionsPerKeyMax must not be negative");
        }
        if (decoySecret != null && decoySecret.length < ScramSha256.HASH_LENGTH)
        {
            throw new IllegalArgumentException("the decoy secret must be at least " + ScramSha256.HASH_LENGTH +
                " bytes");
        }
        return new GatewaySecurity(Mode.REQUIRED, keys, Objects.requireNonNull(rateLimits),
            Objects.requireNonNull(readLimits), connectionsPerKeyMax, new AuditLog(), decoySecret);
    }

    public Mode mode()
    {
        return mode;
    }

    public boolean required()
    {
        return mode == Mode.REQUIRED;
    }

    public AuditLog audit()
    {
        return audit;
    }

    /**
     * @return transfers per second per key.
     */
    public KeyRateLimits rateLimits()
    {
        return rateLimits;
    }

    /**
     * @return reads (ids looked up, history entries) per second per key.
     */
    public KeyRateLimits readLimits()
    {
        return readLimits;
    }

    public int connectionsPerKeyMax()
    {
        return connectionsPerKeyMax;
    }

    /**
     * Replaces the keys, as the keys file now holds them. A key whose entry did not change keeps its object, so its
     * connections go on; a revoked or changed key is no longer {@link #isCurrent}, and its connections are cut at
     * their next request.
     *
     * @param reloaded the keys by id.
     */
    public void replaceKeys(final Map<String, ApiKey> reloaded)
    {
        final Map<String, ApiKey> previous = keys;
        final Map<String, ApiKey> next = new java.util.LinkedHashMap<>();
        for (final ApiKey key : reloaded.values())
        {
            final ApiKey old = previous.get(key.id());
            next.put(key.id(), key.equals(old) ? old : key);
        }
        keys = Map.copyOf(next);
    }

    /**
     * @return whether the key a connection authenticated with is still in the keys, unchanged.
     */
    public boolean isCurrent(final ApiKey key)
    {
        return !required() || keys.get(key.id()) == key;
    }

    /**
     * @return the number of keys.
     */
    public int keyCount()
    {
        return keys.size();
    }

    /**
     * @return the key, or null if there is none with this id.
     */
    public ApiKey key(final String keyId)
    {
        return keys.get(keyId);
    }

    /**
     * What the server answers to an {@code AuthHello} and checks the proof against. For an unknown key id it is a
     * decoy: a salt that stays the same for that id (as a real key's does) and keys nobody can match, so the
     * exchange looks and costs the same whether or not the key exists.
     *
     * @param key        the key, or null for a decoy.
     * @param salt       16 bytes.
     * @param iterations of PBKDF2.
     * @param storedKey  SHA-256(ClientKey).
     * @param serverKey  signs the server's answer.
     */
    public record Challenge(ApiKey key, byte[] salt, int iterations, byte[] storedKey, byte[] serverKey)
    {
    }

    public Challenge challenge(final String keyId)
    {
        final ApiKey key = keys.get(keyId);
        if (key != null)
        {
            return new Challenge(key, key.salt(), key.iterations(), key.storedKey(), key.serverKey());
        }
        final byte[] id = keyId.getBytes(StandardCharsets.UTF_8);
        return new Challenge(null,
            Arrays.copyOf(ScramSha256.hmac(decoySecret, concat((byte)1, id)), ScramSha256.SALT_LENGTH),
            decoyIterations, ScramSha256.hmac(decoySecret, concat((byte)2, id)),
            ScramSha256.hmac(decoySecret, concat((byte)3, id)));
    }

    /**
     * Counts a connection of the key, unless it already has {@code connectionsPerKeyMax}.
     *
     * @return whether the connection may stay; if so, {@link #connectionClosed} must follow.
     */
    public boolean connectionOpened(final ApiKey key)
    {
        final AtomicInteger count = connections.computeIfAbsent(key.id(), ignored -> new AtomicInteger());
        while (true)
        {
            final int now = count.get();
            if (connectionsPerKeyMax > 0 && now >= connectionsPerKeyMax)
            {
                return false;
            }
            if (count.compareAndSet(now, now + 1))
            {
                return true;
            }
        }
    }

    public void connectionClosed(final ApiKey key)
    {
        final AtomicInteger count = connections.get(key.id());
        if (count != null)
        {
            count.decrementAndGet();
        }
    }

    private static byte[] concat(final byte tag, final byte[] id)
    {
        final byte[] out = new byte[id.length + 1];
        out[0] = tag;
        System.arraycopy(id, 0, out, 1, id.length);
        return out;
    }
}
