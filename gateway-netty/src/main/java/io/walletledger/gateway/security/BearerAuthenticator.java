package io.walletledger.gateway.security;

import java.net.InetAddress;
import io.walletledger.protocol.ScramSha256;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Checks the HTTP API's {@code Authorization: Bearer <keyId>:<secret>}: PBKDF2 of the secret with the key's salt,
 * then SHA-256 of its ClientKey must equal the key's StoredKey. PBKDF2 is slow on purpose, so it never runs on an
 * event loop: it runs on one thread of its own with a queue of {@link #QUEUE_MAX}, and a credential that verified is
 * remembered (least recently used first out, {@link #CACHE_ENTRIES_MAX} at most) by SHA-256 of the whole
 * {@code keyId:secret}, so a key's later requests cost a hash. Failures are never remembered, and a wrong secret has
 * another hash, so nothing cached can let it pass. An unknown key id runs PBKDF2 against a decoy, so it costs the
 * same as a wrong secret.
 * <p>
 * The slow check is rationed per client address, so that a flood of wrong secrets from one address can neither pin
 * the verifying thread nor crowd out the logins of others: an address may have at most
 * {@link #QUEUED_PER_ADDRESS_MAX} verifications waiting, and after {@link #FREE_FAILURES} failures in a row for one
 * key id it waits before the next try of that id, twice as long after every further failure (from
 * {@link #BACKOFF_INITIAL_NANOS} up to {@link #BACKOFF_MAX_NANOS}); a success clears it. A request turned away so
 * costs the server a map lookup, and is answered 429 with {@code Retry-After}.
 */
public final class BearerAuthenticator implements AutoCloseable
{
    /** Verified credentials remembered. */
    public static final int CACHE_ENTRIES_MAX = 512;
    /** Verifications waiting for the verifying thread; beyond it a request is answered 503 at once. */
    public static final int QUEUE_MAX = 64;
    /** Verifications one client address may have waiting at once. */
    public static final int QUEUED_PER_ADDRESS_MAX = 2;
    /** Failures in a row of one key id from one address before it must wait between tries. */
    public static final int FREE_FAILURES = 5;
    static final long BACKOFF_INITIAL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    static final long BACKOFF_MAX_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** Addresses and key ids tracked at most; beyond it the least recent are forgotten first. */
    private static final int TRACKED_MAX = 65_536;

    private final GatewaySecurity security;
    private final ThreadPoolExecutor verifier;
    /** Verifications waiting per client address. */
    private final Map<InetAddress, Integer> queued = new java.util.HashMap<>();
    /** Per client address and key id: failures in a row, and when the next try may run. */
    private final Map<String, long[]> failures = new LinkedHashMap<>(1024, 0.75f, true)
    {
        @Override
        protected boolean removeEldestEntry(final Map.Entry<String, long[]> eldest)
        {
            return size() > TRACKED_MAX;
        }
    };

    /**
     * Why a verification was not even started: the address must wait ({@link #retryAfterSeconds()}).
     */
    public static final class TooManyAttemptsException extends RuntimeException
    {
        private static final long serialVersionUID = 1L;
        private final long retryAfterSeconds;

        TooManyAttemptsException(final String message, final long retryAfterNanos)
        {
            super(message, null, false, false);
            this.retryAfterSeconds = Math.max(1, (retryAfterNanos + 999_999_999L) / 1_000_000_000L);
        }

        public long retryAfterSeconds()
        {
            return retryAfterSeconds;
        }
    }
    private final Map<ByteBuffer, ApiKey> verified = new LinkedHashMap<>(CACHE_ENTRIES_MAX * 2, 0.75f, true)
    {
        @Override
        protected boolean removeEldestEntry(final Map.Entry<ByteBuffer, ApiKey> eldest)
        {
            return size() > CACHE_ENTRIES_MAX;
        }
    };

    public BearerAuthenticator(final GatewaySecurity security)
    {
        this.security = security;
        this.verifier = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE_MAX),
            runnable ->
            {
                final Thread thread = new Thread(runnable, "wallet-http-auth");
                thread.setDaemon(true);
                return thread;
            });
    }

    /**
     * A parsed {@code Authorization} header.
     *
     * @param keyId  as given (not necessarily a key's).
     * @param secret as given.
     */
    public record Credentials(String keyId, String secret)
    {
        @Override
        public String toString()
        {
            return "Credentials{" + keyId + "}";
        }
    }

    /**
     * @return the credentials of a {@code Bearer keyId:secret} header, or null if it is missing or not of that form.
     */
    public static Credentials parse(final String authorization)
    {
        if (authorization == null || authorization.length() < 7 ||
            !authorization.regionMatches(true, 0, "Bearer ", 0, 7))
        {
            return null;
        }
        final String token = authorization.substring(7).trim();
        final int colon = token.indexOf(':');
        if (colon < 1 || colon == token.length() - 1)
        {
            return null;
        }
        return new Credentials(token.substring(0, colon), token.substring(colon + 1));
    }

    /**
     * @return the key if these credentials verified before and are remembered; otherwise null.
     */
    public ApiKey cached(final Credentials credentials)
    {
        final ByteBuffer fingerprint = fingerprint(credentials);
        synchronized (verified)
        {
            final ApiKey key = verified.get(fingerprint);
            if (key != null && !security.isCurrent(key))
            {
                // Revoked or changed since it was verified: verify again against the keys as they are now.
                verified.remove(fingerprint);
                return null;
            }
            return key;
        }
    }

    /**
     * Verifies on the verifying thread, if the client's address may have one more verification now.
     *
     * @param remote the client's address, whose verifications are rationed; null for none.
     * @return completes with the key, or null if the credentials are wrong; exceptionally with
     * {@link RejectedExecutionException} if too many verifications are waiting.
     * @throws TooManyAttemptsException if the address has verifications waiting already, or must wait after failures
     *                                  of this key id.
     */
    public CompletableFuture<ApiKey> verify(final Credentials credentials, final InetAddress remote)
    {
        final String source = remote == null ? null : remote.getHostAddress() + " " + credentials.keyId();
        admit(remote, source);
        final CompletableFuture<ApiKey> result = new CompletableFuture<>();
        try
        {
            verifier.execute(() ->
            {
                ApiKey key = null;
                try
                {
                    key = verifyNow(credentials);
                    result.complete(key);
                }
                catch (final RuntimeException ex)
                {
                    result.completeExceptionally(ex);
                }
                finally
                {
                    done(remote, source, key != null);
                }
            });
        }
        catch (final RejectedExecutionException ex)
        {
            synchronized (failures)
            {
                release(remote);
            }
            throw ex;
        }
        return result;
    }

    private void admit(final InetAddress remote, final String source)
    {
        if (remote == null)
        {
            return;
        }
        synchronized (failures)
        {
            final long[] state = failures.get(source);
            final long wait = state == null ? 0 : state[1] - System.nanoTime();
            if (wait > 0)
            {
                throw new TooManyAttemptsException("too many failed authentications of this key id from this " +
                    "address: wait " + TimeUnit.NANOSECONDS.toMillis(wait) + " ms", wait);
            }
            final int waiting = queued.getOrDefault(remote, 0);
            if (waiting >= QUEUED_PER_ADDRESS_MAX)
            {
                throw new TooManyAttemptsException("this address has " + waiting + " authentications in progress " +
                    "already", BACKOFF_INITIAL_NANOS);
            }
            queued.put(remote, waiting + 1);
        }
    }

    private void done(final InetAddress remote, final String source, final boolean succeeded)
    {
        if (remote == null)
        {
            return;
        }
        synchronized (failures)
        {
            release(remote);
            if (succeeded)
            {
                failures.remove(source);
                return;
            }
            final long[] state = failures.computeIfAbsent(source, ignored -> new long[2]);
            state[0]++;
            if (state[0] >= FREE_FAILURES)
            {
                state[1] = System.nanoTime() + Math.min(BACKOFF_MAX_NANOS,
                    BACKOFF_INITIAL_NANOS << Math.min(20, state[0] - FREE_FAILURES));
            }
        }
    }

    /**
     * One verification of the address is no longer waiting; called holding {@code failures}.
     */
    private void release(final InetAddress remote)
    {
        final int waiting = queued.getOrDefault(remote, 0);
        if (waiting <= 1)
        {
            queued.remove(remote);
        }
        else
        {
            queued.put(remote, waiting - 1);
        }
    }

    private ApiKey verifyNow(final Credentials credentials)
    {
        final String keyId = ScramSha256.isValidKeyId(credentials.keyId()) ? credentials.keyId() : "-";
        final GatewaySecurity.Challenge challenge = security.challenge(keyId);
        final byte[] clientKey = ScramSha256.clientKey(
            ScramSha256.saltedPassword(credentials.secret(), challenge.salt(), challenge.iterations()));
        final boolean matches = MessageDigest.isEqual(ScramSha256.storedKey(clientKey), challenge.storedKey());
        if (!matches || challenge.key() == null || !challenge.key().id().equals(credentials.keyId()))
        {
            return null;
        }
        synchronized (verified)
        {
            verified.put(fingerprint(credentials), challenge.key());
        }
        return challenge.key();
    }

    private static ByteBuffer fingerprint(final Credentials credentials)
    {
        return ByteBuffer.wrap(ScramSha256.sha256(
            (credentials.keyId() + ":" + credentials.secret()).getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void close()
    {
        verifier.shutdownNow();
    }
}
