package io.walletledger.client;

import io.walletledger.protocol.sbe.AccountAction;
import io.walletledger.protocol.sbe.FreezeScope;

import java.util.Objects;

/**
 * A lifecycle command for one account. A frozen account may not send; with {@link FreezeScope#ALL} it may not
 * receive either. A closed account can do neither, for good; closing needs no open holds and a zero balance.
 * Repeating a command whose effect already holds answers {@code OK}.
 *
 * @param accountId   the account.
 * @param action      freeze, unfreeze or close.
 * @param freezeScope {@code DEBITS} or {@code ALL} to freeze; {@code NONE} for the other actions (the server answers
 *                    {@code FREEZE_SCOPE_INVALID} otherwise).
 */
public record AccountCommand(long accountId, AccountAction action, FreezeScope freezeScope)
{
    /**
     * @throws NullPointerException     if the action or the scope is null.
     * @throws IllegalArgumentException if the action or the scope is {@code NULL_VAL}, which is no value.
     */
    public AccountCommand
    {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(freezeScope, "freezeScope");
        if (action == AccountAction.NULL_VAL || freezeScope == FreezeScope.NULL_VAL)
        {
            throw new IllegalArgumentException("NULL_VAL is not an action or a freeze scope");
        }
    }

    /**
     * @param scope {@code DEBITS}: the account may still receive; {@code ALL}: it may neither send nor receive.
     * @return a command that freezes the account (again, possibly with another scope).
     */
    public static AccountCommand freeze(final long accountId, final FreezeScope scope)
    {
        return new AccountCommand(accountId, AccountAction.FREEZE, scope);
    }

    /**
     * @return a command that makes a frozen account active again.
     */
    public static AccountCommand unfreeze(final long accountId)
    {
        return new AccountCommand(accountId, AccountAction.UNFREEZE, FreezeScope.NONE);
    }

    /**
     * @return a command that closes the account for good.
     */
    public static AccountCommand close(final long accountId)
    {
        return new AccountCommand(accountId, AccountAction.CLOSE, FreezeScope.NONE);
    }
}
