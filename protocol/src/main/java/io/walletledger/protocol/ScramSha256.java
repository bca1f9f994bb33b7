package io.walletledger.protocol;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.spec.InvalidKeySpecException;

/**
 * The math of the authentication exchange, the SCRAM-SHA-256 derivation of RFC 5802 and RFC 7677 with a binary
 * AuthMessage instead of SCRAM's text one. The client knows the secret; the server keeps only StoredKey and
 * ServerKey, from which neither the secret nor a valid proof for another nonce can be computed.
 *
 * <pre>
 *   SaltedPassword  = PBKDF2-HMAC-SHA-256(secret as its base64url text, salt, iterations, 32 bytes)
 *   ClientKey       = HMAC(SaltedPassword, "Client Key")      StoredKey = SHA-256(ClientKey)
 *   ServerKey       = HMAC(SaltedPassword, "Server Key")
 *   ClientSignature = HMAC(StoredKey, AuthMessage)            ClientProof = ClientKey XOR ClientSignature
 *   ServerSignature = HMAC(ServerKey, AuthMessage)
 *
 *   The server checks SHA-256(ClientProof XOR ClientSignature) == StoredKey.
 *
 *   AuthMessage (every integer little-endian):
 *   0                  20      21          21+n          53+n          85+n      101+n          105+n
 *   +------------------+-------+-----------+-------------+-------------+---------+--------------+
 *   | label            | n: u8 | keyId     | clientNonce | serverNonce | salt    | iterations   |
 *   | 20 bytes         |       | n bytes   | 32 bytes    | 32 bytes    | 16 bytes| u32          |
 *   +------------------+-------+-----------+-------------+-------------+---------+--------------+
 *   label = the ASCII bytes of "wallet-scram-sha256" and one zero byte; keyId is ASCII, n = 1..64.
 * </pre>
 * The label keeps a signature of this protocol from ever passing as one of another. Because the server's nonce is
 * fresh per connection, a proof recorded on one connection is worthless on the next.
 */
public final class ScramSha256
{
    /** Length of a nonce, a key, a proof and a signature. */
    public static final int HASH_LENGTH = 32;
    /** Length of a key's salt. */
    public static final int SALT_LENGTH = 16;
    /** Longest key id. */
    public static final int KEY_ID_LENGTH_MAX = 64;
    /** Fewest PBKDF2 iterations a key may have (RFC 7677's minimum). */
    public static final int ITERATIONS_MIN = 4096;
    /** Most PBKDF2 iterations a key may have: past this one authentication costs seconds. */
    public static final int ITERATIONS_MAX = 10_000_000;
    /** The iterations of a new key unless told otherwise. */
    public static final int ITERATIONS_DEFAULT = 210_000;

    private static final byte[] LABEL = "wallet-scram-sha256\0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLIENT_KEY = "Client Key".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER_KEY = "Server Key".getBytes(StandardCharsets.US_ASCII);

    private ScramSha256()
    {
    }

    /**
     * @return whether {@code keyId} is 1 to 64 printable ASCII characters (space to tilde).
     */
    public static boolean isValidKeyId(final String keyId)
    {
        if (keyId == null || keyId.isEmpty() || keyId.length() > KEY_ID_LENGTH_MAX)
        {
            return false;
        }
        for (int i = 0; i < keyId.length(); i++)
        {
            final char c = keyId.charAt(i);
            if (c < 0x21 || c > 0x7E)
            {
                return false;
            }
        }
        return true;
    }

    /**
     * The slow step, run once per key and salt: PBKDF2-HMAC-SHA-256.
     *
     * @param secret     the key's secret as given to its owner (base64url text).
     * @param salt       the key's salt.
     * @param iterations the key's iterations.
     * @return SaltedPassword, 32 bytes.
     */
    public static byte[] saltedPassword(final String secret, final byte[] salt, final int iterations)
    {
        if (iterations < ITERATIONS_MIN || iterations > ITERATIONS_MAX)
        {
            throw new IllegalArgumentException("iterations must be in " + ITERATIONS_MIN + ".." + ITERATIONS_MAX +
                ", was " + iterations);
        }
        final PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), salt, iterations, HASH_LENGTH * 8);
        try
        {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        }
        catch (final NoSuchAlgorithmException | InvalidKeySpecException ex)
        {
            throw new IllegalStateException("the JDK lacks PBKDF2WithHmacSHA256", ex);
        }
        finally
        {
            spec.clearPassword();
        }
    }

    public static byte[] clientKey(final byte[] saltedPassword)
    {
        return hmac(saltedPassword, CLIENT_KEY);
    }

    public static byte[] serverKey(final byte[] saltedPassword)
    {
        return hmac(saltedPassword, SERVER_KEY);
    }

    public static byte[] storedKey(final byte[] clientKey)
    {
        return sha256(clientKey);
    }

    /**
     * @return the AuthMessage both sides sign (layout in the class comment).
     */
    public static byte[] authMessage(
        final String keyId, final byte[] clientNonce, final byte[] serverNonce, final byte[] salt, final int iterations)
    {
        if (!isValidKeyId(keyId))
        {
            throw new IllegalArgumentException("a key id is 1 to 64 printable ASCII characters");
        }
        requireLength("clientNonce", clientNonce, HASH_LENGTH);
        requireLength("serverNonce", serverNonce, HASH_LENGTH);
        requireLength("salt", salt, SALT_LENGTH);
        final byte[] id = keyId.getBytes(StandardCharsets.US_ASCII);
        final ByteBuffer out = ByteBuffer.allocate(LABEL.length + 1 + id.length + 2 * HASH_LENGTH + SALT_LENGTH + 4)
            .order(ByteOrder.LITTLE_ENDIAN);
        out.put(LABEL).put((byte)id.length).put(id).put(clientNonce).put(serverNonce).put(salt).putInt(iterations);
        return out.array();
    }

    /**
     * Client side.
     *
     * @return ClientProof = ClientKey XOR HMAC(StoredKey, AuthMessage).
     */
    public static byte[] clientProof(final byte[] clientKey, final byte[] authMessage)
    {
        return xor(clientKey, hmac(storedKey(clientKey), authMessage));
    }

    /**
     * Server side, in constant time for proofs of the right length.
     *
     * @return whether {@code clientProof} was made from the ClientKey whose SHA-256 is {@code storedKey}.
     */
    public static boolean verifyClientProof(final byte[] storedKey, final byte[] authMessage, final byte[] clientProof)
    {
        if (clientProof.length != HASH_LENGTH)
        {
            return false;
        }
        final byte[] clientKey = xor(clientProof, hmac(storedKey, authMessage));
        return MessageDigest.isEqual(sha256(clientKey), storedKey);
    }

    /**
     * @return ServerSignature = HMAC(ServerKey, AuthMessage), which proves to the client that the server knows the
     * key (so it is not talking to an impostor that merely accepts anything).
     */
    public static byte[] serverSignature(final byte[] serverKey, final byte[] authMessage)
    {
        return hmac(serverKey, authMessage);
    }

    public static byte[] hmac(final byte[] key, final byte[] message)
    {
        try
        {
            final Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalStateException("the JDK lacks HmacSHA256", ex);
        }
    }

    public static byte[] sha256(final byte[] bytes)
    {
        try
        {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException("the JDK lacks SHA-256", ex);
        }
    }

    private static byte[] xor(final byte[] a, final byte[] b)
    {
        final byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++)
        {
            out[i] = (byte)(a[i] ^ b[i]);
        }
        return out;
    }

    private static void requireLength(final String name, final byte[] bytes, final int length)
    {
        if (bytes.length != length)
        {
            throw new IllegalArgumentException(name + " must be " + length + " bytes, was " + bytes.length);
        }
    }
}
