package io.walletledger.client;

import java.util.Objects;

/**
 * A transfer to create: moves {@code amount} minor units from the debit account to the credit account, or holds
 * them ({@code pending}), or captures ({@code postPending}) or releases ({@code voidPending}) an earlier hold.
 * <p>
 * The id is the idempotency key: resending a transfer with the same id never moves money twice; it answers
 * {@code EXISTS} (same fields), {@code EXISTS_WITH_DIFFERENT_<field>}, or the first attempt's failure.
 *
 * @param id              the idempotency key, not zero; see {@link TransferIds}.
 * @param debitAccountId  the account debited (0 on a post or void means "as the hold").
 * @param creditAccountId the account credited (0 on a post or void means "as the hold").
 * @param amount          minor units, 1 to 2^63-1 (0 on a post means the whole hold, on a void it is optional).
 * @param pendingId       the hold a post or void refers to; {@link TransferId#ZERO} otherwise.
 * @param userData128Hi   high half of 128 bits free for the caller.
 * @param userData128Lo   low half of 128 bits free for the caller.
 * @param userData64      64 bits free for the caller.
 * @param userData32      32 bits free for the caller (unsigned on the wire).
 * @param timeoutSeconds  seconds until a pending transfer expires (unsigned); 0 = never; only for {@code pending}.
 * @param currency        numeric currency code of both accounts (0 on a post or void means "as the hold").
 * @param code            the transfer kind, chosen by the operator (u16).
 * @param linked          this transfer and the next one of the same request form an all-or-nothing chain.
 * @param pending         hold the amount instead of moving it.
 * @param postPending     capture the hold {@code pendingId}, all or part.
 * @param voidPending     release the hold {@code pendingId}.
 */
public record Transfer(
    TransferId id,
    long debitAccountId,
    long creditAccountId,
    long amount,
    TransferId pendingId,
    long userData128Hi,
    long userData128Lo,
    long userData64,
    int userData32,
    int timeoutSeconds,
    int currency,
    int code,
    boolean linked,
    boolean pending,
    boolean postPending,
    boolean voidPending)
{
    /**
     * @throws NullPointerException     if the id or the pending id is null.
     * @throws IllegalArgumentException if the currency or code does not fit in a u16.
     */
    public Transfer
    {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(pendingId, "pendingId");
        Wire.checkU16("currency", currency);
        Wire.checkU16("code", code);
    }

    /**
     * @return a single-phase transfer: moves the amount at once.
     */
    public static Transfer of(
        final TransferId id, final long debitAccountId, final long creditAccountId, final long amount, final int currency)
    {
        return builder(id).debitAccountId(debitAccountId).creditAccountId(creditAccountId).amount(amount)
            .currency(currency).build();
    }

    /**
     * @param timeoutSeconds seconds until the hold expires by itself; 0 = never.
     * @return a pending transfer: holds the amount until it is posted, voided or expires.
     */
    public static Transfer pending(
        final TransferId id, final long debitAccountId, final long creditAccountId, final long amount,
        final int currency, final int timeoutSeconds)
    {
        return builder(id).debitAccountId(debitAccountId).creditAccountId(creditAccountId).amount(amount)
            .currency(currency).pending(true).timeoutSeconds(timeoutSeconds).build();
    }

    /**
     * @param amount the part of the hold to capture; 0 captures all of it. The rest returns to the payer.
     * @return a transfer that captures the hold {@code pendingId}; accounts and currency are taken from the hold.
     */
    public static Transfer post(final TransferId id, final TransferId pendingId, final long amount)
    {
        return builder(id).pendingId(pendingId).amount(amount).postPending(true).build();
    }

    /**
     * @return a transfer that releases the whole hold {@code pendingId}.
     */
    public static Transfer voidPending(final TransferId id, final TransferId pendingId)
    {
        return builder(id).pendingId(pendingId).voidPending(true).build();
    }

    /**
     * @param id the idempotency key.
     * @return a builder with everything else zero and no flags.
     */
    public static Builder builder(final TransferId id)
    {
        return new Builder(id);
    }

    /**
     * @param linked whether this transfer chains with the next one of its request.
     * @return a copy with the {@code linked} flag set as given.
     */
    public Transfer withLinked(final boolean linked)
    {
        return new Transfer(id, debitAccountId, creditAccountId, amount, pendingId, userData128Hi, userData128Lo,
            userData64, userData32, timeoutSeconds, currency, code, linked, pending, postPending, voidPending);
    }

    /**
     * Builds a {@link Transfer}.
     */
    public static final class Builder
    {
        private final TransferId id;
        private long debitAccountId;
        private long creditAccountId;
        private long amount;
        private TransferId pendingId = TransferId.ZERO;
        private long userData128Hi;
        private long userData128Lo;
        private long userData64;
        private int userData32;
        private int timeoutSeconds;
        private int currency;
        private int code;
        private boolean linked;
        private boolean pending;
        private boolean postPending;
        private boolean voidPending;

        private Builder(final TransferId id)
        {
            this.id = id;
        }

        /**
         * @param accountId the account debited.
         * @return this builder.
         */
        public Builder debitAccountId(final long accountId)
        {
            this.debitAccountId = accountId;
            return this;
        }

        /**
         * @param accountId the account credited.
         * @return this builder.
         */
        public Builder creditAccountId(final long accountId)
        {
            this.creditAccountId = accountId;
            return this;
        }

        /**
         * @param amount minor units.
         * @return this builder.
         */
        public Builder amount(final long amount)
        {
            this.amount = amount;
            return this;
        }

        /**
         * @param pendingId the hold a post or void refers to.
         * @return this builder.
         */
        public Builder pendingId(final TransferId pendingId)
        {
            this.pendingId = pendingId;
            return this;
        }

        /**
         * @param hi high half.
         * @param lo low half.
         * @return this builder.
         */
        public Builder userData128(final long hi, final long lo)
        {
            this.userData128Hi = hi;
            this.userData128Lo = lo;
            return this;
        }

        /**
         * @param userData64 free for the caller.
         * @return this builder.
         */
        public Builder userData64(final long userData64)
        {
            this.userData64 = userData64;
            return this;
        }

        /**
         * @param userData32 free for the caller (unsigned on the wire).
         * @return this builder.
         */
        public Builder userData32(final int userData32)
        {
            this.userData32 = userData32;
            return this;
        }

        /**
         * @param timeoutSeconds seconds until a hold expires (unsigned); 0 = never.
         * @return this builder.
         */
        public Builder timeoutSeconds(final int timeoutSeconds)
        {
            this.timeoutSeconds = timeoutSeconds;
            return this;
        }

        /**
         * @param currency numeric currency code.
         * @return this builder.
         */
        public Builder currency(final int currency)
        {
            this.currency = currency;
            return this;
        }

        /**
         * @param code the transfer kind (u16).
         * @return this builder.
         */
        public Builder code(final int code)
        {
            this.code = code;
            return this;
        }

        /**
         * @param value chain with the next transfer of the request.
         * @return this builder.
         */
        public Builder linked(final boolean value)
        {
            this.linked = value;
            return this;
        }

        /**
         * @param value hold instead of moving.
         * @return this builder.
         */
        public Builder pending(final boolean value)
        {
            this.pending = value;
            return this;
        }

        /**
         * @param value capture the hold {@code pendingId}.
         * @return this builder.
         */
        public Builder postPending(final boolean value)
        {
            this.postPending = value;
            return this;
        }

        /**
         * @param value release the hold {@code pendingId}.
         * @return this builder.
         */
        public Builder voidPending(final boolean value)
        {
            this.voidPending = value;
            return this;
        }

        /**
         * @return the transfer.
         */
        public Transfer build()
        {
            return new Transfer(id, debitAccountId, creditAccountId, amount, pendingId, userData128Hi, userData128Lo,
                userData64, userData32, timeoutSeconds, currency, code, linked, pending, postPending, voidPending);
        }
    }
}
