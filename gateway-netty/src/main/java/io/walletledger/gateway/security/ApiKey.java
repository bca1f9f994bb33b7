package io.walletledger.gateway.security;

import io.walletledger.protocol.Role;
import io.walletledger.protocol.ScramSha256;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One API key as the server keeps it: what it may do, and the values derived from its secret that let the server
 * check a proof of the secret without ever holding it (SCRAM: {@link ScramSha256}).
 *
 * @param id                 printable ASCII, 1 to 64 characters.
 * @param roles              at least one.
 * @param accounts           the only account ids it may name, sorted; empty: every account.
 * @param salt               16 random bytes.
 * @param iterations         of PBKDF2.
 * @param storedKey          SHA-256(ClientKey).
 * @param serverKey          HMAC(SaltedPassword, "Server Key").
 * @param transfersPerSecond its rate limit in transfers (events, not requests) per second; 0: the server's default.
 * @param burst              transfers it may send at once above the rate; 0: the server's default.
 */
public record ApiKey(
    String id,
    Set<Role> roles,
    long[] accounts,
    byte[] salt,
    int iterations,
    byte[] storedKey,
    byte[] serverKey,
    long transfersPerSecond,
    long burst)
{
    public ApiKey
    {
        if (!ScramSha256.isValidKeyId(id))
        {
            throw new IllegalArgumentException("a key id is 1 to 64 printable ASCII characters without spaces, was '" +
                id + "'");
        }
        if (roles.isEmpty())
        {
            throw new IllegalArgumentException("key " + id + " has no role");
        }
        roles = Set.copyOf(EnumSet.copyOf(roles));
        accounts = accounts.clone();
        Arrays.sort(accounts);
        for (final long account : accounts)
        {
            if (account == 0)
            {
                throw new IllegalArgumentException("key " + id + ": account id 0 is not an account");
            }
        }
        Objects.requireNonNull(salt, "salt");
        if (salt.length != ScramSha256.SALT_LENGTH || storedKey.length != ScramSha256.HASH_LENGTH ||
            serverKey.length != ScramSha256.HASH_LENGTH)
        {
            throw new IllegalArgumentException("key " + id + ": the salt must be 16 bytes and the keys 32");
        }
        if (iterations < ScramSha256.ITERATIONS_MIN || iterations > ScramSha256.ITERATIONS_MAX)
        {
            throw new IllegalArgumentException("key " + id + ": iterations must be in " + ScramSha256.ITERATIONS_MIN +
                ".." + ScramSha256.ITERATIONS_MAX + ", was " + iterations);
        }
        if (transfersPerSecond < 0 || burst < 0)
        {
            throw new IllegalArgumentException("key " + id + ": transfersPerSecond and burst must not be negative");
        }
    }

    /**
     * @return whether the key may name only some accounts.
     */
    public boolean restricted()
    {
        return accounts.length > 0;
    }

    /**
     * @return whether the key may name this account.
     */
    public boolean mayUse(final long accountId)
    {
        return accounts.length == 0 || Arrays.binarySearch(accounts, accountId) >= 0;
    }

    /**
     * @return whether one of its roles grants {@code required}.
     */
    public boolean has(final Role required)
    {
        for (final Role role : roles)
        {
            if (role.grants(required))
            {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(final Object other)
    {
        return other instanceof ApiKey key && key.id.equals(id) && key.roles.equals(roles) &&
            Arrays.equals(key.accounts, accounts) && Arrays.equals(key.salt, salt) && key.iterations == iterations &&
            Arrays.equals(key.storedKey, storedKey) && Arrays.equals(key.serverKey, serverKey) &&
            key.transfersPerSecond == transfersPerSecond && key.burst == burst;
    }

    @Override
    public int hashCode()
    {
        return id.hashCode();
    }

    /**
     * Never shows the derived values.
     */
    @Override
    public String toString()
    {
        return "ApiKey{" + id + ", roles " + roles + (restricted() ? ", accounts " + Arrays.toString(accounts) : "") +
            "}";
    }
}
