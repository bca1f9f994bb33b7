package io.walletledger.client;

/**
 * The spending limits of an account, or the defaults an account code gives accounts created later; 0 = no limit.
 * They bound what the account may send (debit): a transfer over {@code transferAmountLimit} is refused with
 * {@code EXCEEDS_TRANSFER_AMOUNT_LIMIT}, one that would take the day's debits over {@code dailyDebitLimit} with
 * {@code EXCEEDS_DAILY_DEBIT_LIMIT} (days of the ledger's clock, starting at the {@code DAY_START_SECONDS}
 * setting), and one more debit than {@code velocityDebitLimit} within any {@code velocityWindowSeconds} with
 * {@code EXCEEDS_VELOCITY_LIMIT}.
 *
 * <pre>{@code
 * Limits limits = Limits.NONE.withTransferAmountLimit(500_00).withDailyDebitLimit(2_000_00).withVelocity(5, 3600);
 * }</pre>
 *
 * @param transferAmountLimit   the most minor units one transfer may debit; 0 = no limit.
 * @param dailyDebitLimit       the most minor units the account may debit per day; 0 = no limit.
 * @param velocityDebitLimit    the most debits within a rolling window (u32 on the wire, at most the server's
 *                              {@code velocity-debits-max}); 0 = no limit.
 * @param velocityWindowSeconds the window's length in seconds (unsigned); needed with a velocity limit.
 */
public record Limits(long transferAmountLimit, long dailyDebitLimit, int velocityDebitLimit, int velocityWindowSeconds)
{
    /** No limit at all; setting it removes an account's limits (what it spent still counts if they come back). */
    public static final Limits NONE = new Limits(0, 0, 0, 0);

    /**
     * @param limit the most minor units one transfer may debit; 0 = no limit.
     * @return a copy with that limit.
     */
    public Limits withTransferAmountLimit(final long limit)
    {
        return new Limits(limit, dailyDebitLimit, velocityDebitLimit, velocityWindowSeconds);
    }

    /**
     * @param limit the most minor units debited per day; 0 = no limit.
     * @return a copy with that limit.
     */
    public Limits withDailyDebitLimit(final long limit)
    {
        return new Limits(transferAmountLimit, limit, velocityDebitLimit, velocityWindowSeconds);
    }

    /**
     * @param debits        the most debits within the window; 0 = no limit.
     * @param windowSeconds the rolling window in seconds.
     * @return a copy with that velocity limit.
     */
    public Limits withVelocity(final int debits, final int windowSeconds)
    {
        return new Limits(transferAmountLimit, dailyDebitLimit, debits, windowSeconds);
    }

    /**
     * @return true if no limit is set.
     */
    public boolean isNone()
    {
        return transferAmountLimit == 0 && dailyDebitLimit == 0 && velocityDebitLimit == 0;
    }
}
