package io.walletledger.client;

/**
 * The large-transfer rule of one currency: a single-phase transfer of more than {@code threshold} minor units is
 * not refused but created as a hold flagged {@code review} (result {@code HELD_FOR_REVIEW}), which only an
 * operator's {@link ReviewDecision} resolves.
 *
 * @param currency  numeric currency code (u16).
 * @param threshold minor units; 0 removes the rule.
 */
public record ReviewThreshold(int currency, long threshold)
{
    /**
     * @throws IllegalArgumentException if the currency does not fit in a u16.
     */
    public ReviewThreshold
    {
        Wire.checkU16("currency", currency);
    }
}
