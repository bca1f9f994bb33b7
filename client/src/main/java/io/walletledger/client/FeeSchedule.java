package io.walletledger.client;

/**
 * The fee of transfers with one transfer code and currency: {@code fixedAmount} plus {@code basisPoints} of the
 * amount (rounded half up), raised to {@code minimum} and cut to {@code maximum}. The payer (the debit account)
 * pays it to {@code feeAccountId} in the same step as the transfer: both move or neither does. A hold pays the fee
 * of what is captured when it is posted.
 *
 * <pre>{@code
 * FeeSchedule card = FeeSchedule.builder(20, 840, 9000).fixedAmount(25).basisPoints(150).maximum(5_00).build();
 * }</pre>
 *
 * @param transferCode the transfer code (u16).
 * @param currency     numeric currency code (u16).
 * @param fixedAmount  minor units added to every fee.
 * @param basisPoints  hundredths of a percent of the amount, 0 to 10,000 (u32 on the wire).
 * @param minimum      the least fee, in minor units.
 * @param maximum      the most fee, in minor units; 0 = no maximum.
 * @param feeAccountId the account that receives the fees, of the same currency; 0 removes the entry.
 */
public record FeeSchedule(
    int transferCode,
    int currency,
    long fixedAmount,
    int basisPoints,
    long minimum,
    long maximum,
    long feeAccountId)
{
    /**
     * @throws IllegalArgumentException if the transfer code or currency does not fit in a u16.
     */
    public FeeSchedule
    {
        Wire.checkU16("transferCode", transferCode);
        Wire.checkU16("currency", currency);
    }

    /**
     * @param feeAccountId the account that receives the fees.
     * @return a builder of a fee that is zero until its parts are set.
     */
    public static Builder builder(final int transferCode, final int currency, final long feeAccountId)
    {
        return new Builder(transferCode, currency, feeAccountId);
    }

    /**
     * @return the entry that removes the fee of this transfer code and currency.
     */
    public static FeeSchedule removal(final int transferCode, final int currency)
    {
        return new FeeSchedule(transferCode, currency, 0, 0, 0, 0, 0);
    }

    /**
     * Builds a {@link FeeSchedule}.
     */
    public static final class Builder
    {
        private final int transferCode;
        private final int currency;
        private final long feeAccountId;
        private long fixedAmount;
        private int basisPoints;
        private long minimum;
        private long maximum;

        private Builder(final int transferCode, final int currency, final long feeAccountId)
        {
            this.transferCode = transferCode;
            this.currency = currency;
            this.feeAccountId = feeAccountId;
        }

        /**
         * @param fixedAmount minor units added to every fee.
         * @return this builder.
         */
        public Builder fixedAmount(final long fixedAmount)
        {
            this.fixedAmount = fixedAmount;
            return this;
        }

        /**
         * @param basisPoints hundredths of a percent of the amount, 0 to 10,000.
         * @return this builder.
         */
        public Builder basisPoints(final int basisPoints)
        {
            this.basisPoints = basisPoints;
            return this;
        }

        /**
         * @param minimum the least fee, in minor units.
         * @return this builder.
         */
        public Builder minimum(final long minimum)
        {
            this.minimum = minimum;
            return this;
        }

        /**
         * @param maximum the most fee, in minor units; 0 = no maximum.
         * @return this builder.
         */
        public Builder maximum(final long maximum)
        {
            this.maximum = maximum;
            return this;
        }

        /**
         * @return the fee schedule entry.
         */
        public FeeSchedule build()
        {
            return new FeeSchedule(transferCode, currency, fixedAmount, basisPoints, minimum, maximum, feeAccountId);
        }
    }
}
