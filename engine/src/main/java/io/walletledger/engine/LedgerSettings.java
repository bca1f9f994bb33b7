package io.walletledger.engine;

import io.walletledger.protocol.CurrencyRegistry;
import io.walletledger.protocol.sbe.ResultCode;

import java.util.HashSet;
import java.util.Set;

/**
 * Whether a ledger can take new capacities and currencies ({@code SetLedgerSettings}) with the state it holds.
 * <ul>
 *   <li>Capacities may grow, or shrink down to what is in use: accounts, open holds, accounts with limits. The
 *       idempotency window may only grow: a smaller one would have to evict remembered ids, and which ones were
 *       evicted decides retries.</li>
 *   <li>A currency may be added; one that an account, a fee or a review threshold uses must stay exactly as it is
 *       (same alphabetic code and exponent).</li>
 *   <li>The batch size and the velocity counter length are kept for life: they size what the protocol and every
 *       limited account's record hold.</li>
 * </ul>
 */
final class LedgerSettings
{
    private LedgerSettings()
    {
    }

    /**
     * @return {@code OK} if the ledger can take {@code next}, else why not.
     */
    static ResultCode check(final LedgerConfig current, final Ledger ledger, final LedgerConfig next)
    {
        if (next.batchEventsMax() != current.batchEventsMax() || next.velocityDebitsMax() != current.velocityDebitsMax())
        {
            return ResultCode.SETTING_NOT_CHANGEABLE;
        }
        if (next.accountsMax() < ledger.accounts().count() ||
            next.pendingTransfersMax() < ledger.pending().count() ||
            next.limitedAccountsMax() < ledger.limits().count() ||
            next.idempotencyWindow() < current.idempotencyWindow())
        {
            return ResultCode.CAPACITY_BELOW_USE;
        }
        for (final int code : currenciesInUse(ledger))
        {
            final CurrencyRegistry now = current.currencies();
            final CurrencyRegistry then = next.currencies();
            if (!then.isKnown(code) || (now.isKnown(code) && !now.byNumericCode(code).equals(then.byNumericCode(code))))
            {
                return ResultCode.CURRENCY_IN_USE;
            }
        }
        return ResultCode.OK;
    }

    private static Set<Integer> currenciesInUse(final Ledger ledger)
    {
        final Set<Integer> used = new HashSet<>();
        final Accounts accounts = ledger.accounts();
        for (int slot = 0, count = accounts.count(); slot < count; slot++)
        {
            used.add(accounts.currency(slot));
        }
        final Policies policies = ledger.policies();
        for (int i = 0; i < policies.feeCount; i++)
        {
            used.add(policies.feeKey[i] & 0xFFFF);
        }
        for (int i = 0; i < policies.thresholdCount; i++)
        {
            used.add(policies.thresholdCurrency[i]);
        }
        return used;
    }
}
