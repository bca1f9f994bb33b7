package io.walletledger.client;

/**
 * An account to create. Accounts are permanent: creating an existing id again answers {@code EXISTS} (same fields)
 * or {@code EXISTS_WITH_DIFFERENT_<field>}.
 *
 * @param id                         the account id, a u64 chosen by the caller, not 0.
 * @param currency                   numeric currency code (ISO 4217, e.g. 840 for USD, or a configured extra).
 * @param code                       the account kind, chosen by the operator (u16).
 * @param userData                   free for the caller (u64), e.g. a customer number.
 * @param debitsMustNotExceedCredits no overdraft: the usual wallet.
 * @param creditsMustNotExceedDebits the mirror image, e.g. for a liability that may not go positive.
 * @param linked                     this account and the next one of the same request form an all-or-nothing chain.
 */
public record Account(
    long id,
    int currency,
    int code,
    long userData,
    boolean debitsMustNotExceedCredits,
    boolean creditsMustNotExceedDebits,
    boolean linked)
{
    /**
     * @throws IllegalArgumentException if the currency or code does not fit in a u16.
     */
    public Account
    {
        Wire.checkU16("currency", currency);
        Wire.checkU16("code", code);
    }

    /**
     * @param id       the account id.
     * @param currency numeric currency code.
     * @return a wallet: an account that may not be overdrawn ({@code debitsMustNotExceedCredits}).
     */
    public static Account wallet(final long id, final int currency)
    {
        return builder(id, currency).debitsMustNotExceedCredits(true).build();
    }

    /**
     * @param id       the account id.
     * @param currency numeric currency code.
     * @return an account without balance limits, such as an operator's settlement account that funds wallets and
     * may go negative.
     */
    public static Account unrestricted(final long id, final int currency)
    {
        return builder(id, currency).build();
    }

    /**
     * @param id       the account id.
     * @param currency numeric currency code.
     * @return a builder with no flags, code 0 and user data 0.
     */
    public static Builder builder(final long id, final int currency)
    {
        return new Builder(id, currency);
    }

    /**
     * @param linked whether this account chains with the next one of its request.
     * @return a copy with the {@code linked} flag set as given.
     */
    public Account withLinked(final boolean linked)
    {
        return new Account(id, currency, code, userData, debitsMustNotExceedCredits, creditsMustNotExceedDebits, linked);
    }

    /**
     * Builds an {@link Account}.
     */
    public static final class Builder
    {
        private final long id;
        private final int currency;
        private int code;
        private long userData;
        private boolean debitsMustNotExceedCredits;
        private boolean creditsMustNotExceedDebits;
        private boolean linked;

        private Builder(final long id, final int currency)
        {
            this.id = id;
            this.currency = currency;
        }

        /**
         * @param code the account kind (u16).
         * @return this builder.
         */
        public Builder code(final int code)
        {
            this.code = code;
            return this;
        }

        /**
         * @param userData free for the caller (u64).
         * @return this builder.
         */
        public Builder userData(final long userData)
        {
            this.userData = userData;
            return this;
        }

        /**
         * @param value no overdraft.
         * @return this builder.
         */
        public Builder debitsMustNotExceedCredits(final boolean value)
        {
            this.debitsMustNotExceedCredits = value;
            return this;
        }

        /**
         * @param value credits never exceed debits.
         * @return this builder.
         */
        public Builder creditsMustNotExceedDebits(final boolean value)
        {
            this.creditsMustNotExceedDebits = value;
            return this;
        }

        /**
         * @param value chain with the next account of the request.
         * @return this builder.
         */
        public Builder linked(final boolean value)
        {
            this.linked = value;
            return this;
        }

        /**
         * @return the account.
         */
        public Account build()
        {
            return new Account(id, currency, code, userData, debitsMustNotExceedCredits, creditsMustNotExceedDebits,
                linked);
        }
    }
}
