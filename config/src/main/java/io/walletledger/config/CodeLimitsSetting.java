package io.walletledger.config;

import java.time.Duration;

/**
 * One entry of {@code wallet.policies.code-limits}: the spending limits accounts created with an account code
 * start with. 0 means no limit.
 *
 * @param code                 the accounts' code, 0..65535.
 * @param transferAmountLimit  most one debit may move, in minor units.
 * @param dailyDebitLimit      most the account may debit per engine-time day.
 * @param velocityDebitLimit   most debits in {@code velocityWindow}, at most {@code wallet.ledger.velocity-debits-max}.
 * @param velocityWindow       the rolling window of the velocity limit, whole seconds (zero when there is none).
 */
public record CodeLimitsSetting(
    int code, long transferAmountLimit, long dailyDebitLimit, int velocityDebitLimit, Duration velocityWindow)
{
    /** The fields of an entry, in the order they are documented. */
    static final java.util.List<String> KEYS = java.util.List.of(
        "code", "transfer-amount-limit", "daily-debit-limit", "velocity-debit-limit", "velocity-window");
    static final String EXAMPLE = "{ code = 1, transfer-amount-limit = 100000, daily-debit-limit = 500000, " +
        "velocity-debit-limit = 5, velocity-window = 1 minute }";
}
