package io.walletledger.client;

import java.util.Objects;

/**
 * The default limits of an account code: accounts created later with that code start with them. Accounts that
 * exist already keep theirs.
 *
 * @param code   the account code (u16).
 * @param limits the defaults; {@link Limits#NONE} removes the entry.
 */
public record CodeLimits(int code, Limits limits)
{
    /**
     * @throws NullPointerException     if the limits are null.
     * @throws IllegalArgumentException if the code does not fit in a u16.
     */
    public CodeLimits
    {
        Wire.checkU16("code", code);
        Objects.requireNonNull(limits, "limits");
    }
}
