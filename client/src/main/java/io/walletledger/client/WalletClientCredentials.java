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

    public String keyId()
    {
        return keyId;
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
