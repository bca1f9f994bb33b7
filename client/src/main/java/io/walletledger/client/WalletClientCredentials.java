package io.walletledger.client;

import io.walletledger.protocol.ScramSha256;

import java.util.Arrays;
import java.util.Objects;

/**
 * An API key the client authenticates with ({@code ./wallet keys create} prints both parts). The secret never goes
 * on the wire: the client proves it knows it ({@link ScramSha256}). The slow PBKDF2 step is remembered for the
 * key's salt and iterations, so reconnecting costs only a few hashes.
 */
public final class WalletClientCredentials
{
    private final String keyId;
    private final String secret;
    private byte[] cachedSalt;
    private int cachedIterations;
    private byte[] cachedSaltedPassword;

    /**
     * @param keyId  the key's id.
     * @param secret the key's secret, as printed when it was created.
     * @throws IllegalArgumentException if the id is not 1 to 64 printable ASCII characters, or the secret is empty.
     */
    public WalletClientCredentials(final String keyId, final String secret)
    {
        if (!ScramSha256.isValidKeyId(keyId))
        {
            throw new IllegalArgumentException("a key id is 1 to 64 printable ASCII characters without spaces");
        }
        Objects.requireNonNull(secret, "secret");
        if (secret.isEmpty())
        {
            throw new IllegalArgumentException("the secret is empty");
        }
        this.keyId = keyId;
        this.secret = secret;
    }

    /**
     * The credentials in the environment variables {@code WALLET_KEY_ID} and {@code WALLET_KEY_SECRET}, which keep
     * the secret off command lines; {@code ./wallet example} and {@code ./wallet bench --host} use them.
     *
     * @return the credentials, or null if either variable is unset or empty.
     */
    public static WalletClientCredentials fromEnvironment()
    {
        final String keyId = System.getenv("WALLET_KEY_ID");
        final String secret = System.getenv("WALLET_KEY_SECRET");
        return keyId == null || keyId.isEmpty() || secret == null || secret.isEmpty() ? null :
            new WalletClientCredentials(keyId, secret);
    }

    public String keyId()
    {
        return keyId;
    }

    /**
     * @return the secret, for the HTTP API's bearer header ({@link WalletEventStream}): over HTTP the secret itself
     * travels, so use TLS beyond loopback.
     */
    String secret()
    {
        return secret;
    }

    /**
     * @return SaltedPassword for the key's salt and iterations; computed once per pair.
     */
    synchronized byte[] saltedPassword(final byte[] salt, final int iterations)
    {
        if (cachedSaltedPassword == null || iterations != cachedIterations || !Arrays.equals(salt, cachedSalt))
        {
            cachedSaltedPassword = ScramSha256.saltedPassword(secret, salt, iterations);
            cachedSalt = salt.clone();
            cachedIterations = iterations;
        }
        return cachedSaltedPassword;
    }

    /**
     * Never shows the secret.
     */
    @Override
    public String toString()
    {
        return "WalletClientCredentials{" + keyId + "}";
    }
}
