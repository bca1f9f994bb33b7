package io.walletledger.engine;

/**
 * Bit values of the {@code AccountFlags} and {@code TransferFlags} sets of the schema, and the pending
 * status bytes, as compile-time constants. {@code FlagsTest} holds them equal to the generated codecs.
 */
final class Flags
{
    static final int ACCOUNT_LINKED = 1;
    static final int ACCOUNT_DEBITS_MUST_NOT_EXCEED_CREDITS = 1 << 1;
    static final int ACCOUNT_CREDITS_MUST_NOT_EXCEED_DEBITS = 1 << 2;
    static final int ACCOUNT_ALL = ACCOUNT_LINKED | ACCOUNT_DEBITS_MUST_NOT_EXCEED_CREDITS |
        ACCOUNT_CREDITS_MUST_NOT_EXCEED_DEBITS;

    static final int TRANSFER_LINKED = 1;
    static final int TRANSFER_PENDING = 1 << 1;
    static final int TRANSFER_POST_PENDING = 1 << 2;
    static final int TRANSFER_VOID_PENDING = 1 << 3;
    /** Set by the engine only, on a hold created by the large-transfer rule. */
    static final int TRANSFER_REVIEW = 1 << 4;
    /** The flags a client may set. */
    static final int TRANSFER_ALL = TRANSFER_LINKED | TRANSFER_PENDING | TRANSFER_POST_PENDING | TRANSFER_VOID_PENDING;
    static final int TRANSFER_TWO_PHASE = TRANSFER_PENDING | TRANSFER_POST_PENDING | TRANSFER_VOID_PENDING;

    static final int PENDING_STATUS_NONE = 0;
    static final int PENDING_STATUS_PENDING = 1;
    static final int PENDING_STATUS_POSTED = 2;
    static final int PENDING_STATUS_VOIDED = 3;
    static final int PENDING_STATUS_EXPIRED = 4;

    private Flags()
    {
    }
}
