package io.walletledger.gateway;

import java.util.List;

/**
 * One event of the change stream: something the ledger applied, at its position in the ledger's order.
 */
public sealed interface LedgerEvent permits LedgerEvent.Transfer, LedgerEvent.Account, LedgerEvent.Policy
{
    /**
     * @return where it stands: strictly increasing along the stream, the same after a restart or a rebuild.
     */
    long position();

    /**
     * @return its type as the stream names it ({@code transfer_created}, {@code account_frozen}, ...).
     */
    String type();

    /**
     * @return the engine timestamp, nanoseconds since the epoch.
     */
    long timestamp();

    /**
     * @return whether it names the account (as debit, credit or fee account of a transfer, or as the account of an
     * account event).
     */
    boolean touches(long accountId);

    /**
     * A transfer the ledger decided.
     *
     * @param balances the balances right after it of the accounts it names that exist: debit, credit, then fee
     *                 account.
     */
    record Transfer(long position, String type, ArchivedTransfer transfer, List<Balances> balances)
        implements LedgerEvent
    {
        @Override
        public long timestamp()
        {
            return transfer.timestamp();
        }

        @Override
        public boolean touches(final long accountId)
        {
            return transfer.debitAccountId() == accountId || transfer.creditAccountId() == accountId ||
                (transfer.feeAccountId() == accountId && transfer.feeAccountId() != 0);
        }
    }

    /**
     * An account's balances right after a transfer.
     *
     * @param role {@code debit_account}, {@code credit_account} or {@code fee_account}.
     */
    record Balances(String role, long accountId, long debitsPending, long debitsPosted, long creditsPending,
        long creditsPosted)
    {
    }

    /**
     * An account created, frozen, unfrozen, closed or given new limits, with the account right after.
     */
    record Account(long position, String type, long timestamp, AccountState account) implements LedgerEvent
    {
        @Override
        public boolean touches(final long accountId)
        {
            return account.id() == accountId;
        }
    }

    /**
     * An account as the ledger has it.
     *
     * @param flags       the wire's {@code AccountFlags} bits.
     * @param status      the wire's {@code AccountStatus} value.
     * @param freezeScope the wire's {@code FreezeScope} value.
     */
    record AccountState(long id, long userData, long createdAt, int currency, int code, int flags, int status,
        int freezeScope, long debitsPending, long debitsPosted, long creditsPending, long creditsPosted,
        long transferAmountLimit, long dailyDebitLimit, long dailyDebitsUsed, long velocityDebitLimit,
        long velocityWindowSeconds)
    {
    }

    /**
     * A policy set: a fee, a review threshold, an account code's limits, a ledger-wide setting.
     *
     * @param subject what it is for: the transfer code of a fee, the currency of a threshold, the account code of
     *                limits, the {@code PolicySetting} value of a setting.
     * @param values  a fee: currency, fixed amount, basis points, minimum, maximum, fee account; a threshold: the
     *                threshold; limits: transfer amount, daily debits, velocity debits, velocity window seconds; a
     *                setting: its value.
     */
    record Policy(long position, String type, long timestamp, long subject, long[] values) implements LedgerEvent
    {
        @Override
        public boolean touches(final long accountId)
        {
            return false;
        }
    }
}
