package io.walletledger.gateway.security;

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
 */
public final class BearerAuthenticator implements AutoCloseable
{
    /** Verified credentials remembered. */
    public static final int CACHE_ENTRIES_MAX = 512;
    /** Verifications waiting for the verifying thread; beyond it a request is answered 503 at once. */
    public static final int QUEUE_MAX = 64;

    private final GatewaySecurity security;
    private final ThreadPoolExecutor verifier;
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
     * Verifies on the verifying thread.
     *
     * @return completes with the key, or null if the credentials are wrong; exceptionally with
     * {@link RejectedExecutionException} if too many verifications are waiting.
     */
    public CompletableFuture<ApiKey> verify(final Credentials credentials)
    {
        final CompletableFuture<ApiKey> result = new CompletableFuture<>();
        verifier.execute(() ->
        {
            try
            {
                result.complete(verifyNow(credentials));
            }
            catch (final RuntimeException ex)
            {
                result.completeExceptionally(ex);
            }
        });
        return result;
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
