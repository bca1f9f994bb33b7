package io.walletledger.protocol;

import java.util.Locale;

/**
 * What a key may do, and what each request type needs ({@link RequestType#role()}). Roles are ranked:
 * {@code transfer} includes {@code read}, and {@code admin} includes both.
 */
public enum Role
{
    /** Look up accounts, transfers and policies. */
    READ,
    /** Create transfers, and read. */
    TRANSFER,
    /** Create accounts, change their lifecycle and limits, fees, review thresholds, reviews and settings; and all else. */
    ADMIN,
    /**
     * The node itself: what only the server journals (the ledger's capacities and currencies at start). No key has
     * it, and no key can be given it.
     */
    NODE;

    /**
     * @return whether a key holding this role may do what {@code required} allows.
     */
    public boolean grants(final Role required)
    {
        return ordinal() >= required.ordinal();
    }

    /**
     * @return the name used in the keys file and on the command line: {@code read}, {@code transfer}, {@code admin}.
     */
    public String label()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @throws IllegalArgumentException naming the roles there are.
     */
    public static Role of(final String label)
    {
        for (final Role role : values())
        {
            if (role != NODE && role.label().equals(label.trim().toLowerCase(Locale.ROOT)))
            {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + label + "': use read, transfer or admin");
    }
}
