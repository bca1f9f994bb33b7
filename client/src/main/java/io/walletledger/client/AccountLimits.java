package io.walletledger.client;

import java.util.Objects;

/**
 * The limits to give one account, replacing all four it had ({@link WalletClient#setAccountLimits}).
 *
 * @param accountId the account.
 * @param limits    its new limits; {@link Limits#NONE} removes them.
 */
public record AccountLimits(long accountId, Limits limits)
{
    /**
     * @throws NullPointerException if the limits are null.
     */
    public AccountLimits
    {
        Objects.requireNonNull(limits, "limits");
    }
}
