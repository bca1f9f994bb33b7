package io.walletledger.engine;

/**
 * Layout of one account record: 64 bytes, one cache line, little-endian.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                          id (u64)                             |  0
 *  +---------------------------------------------------------------+
 *  |                     debitsPending (i64)                       |  8
 *  +---------------------------------------------------------------+
 *  |                      debitsPosted (i64)                       | 16
 *  +---------------------------------------------------------------+
 *  |                     creditsPending (i64)                      | 24
 *  +---------------------------------------------------------------+
 *  |                      creditsPosted (i64)                      | 32
 *  +---------------------------------------------------------------+
 *  |                        userData (u64)                         | 40
 *  +---------------------------------------------------------------+
 *  |                     timestamp (u64, ns)                       | 48
 *  +---------------+---------------+---------------+-------+-------+
 *  | currency (u16)|   code (u16)  |  flags (u16)  |status |policy | 56
 *  +---------------+---------------+---------------+-------+-------+
 * </pre>
 * (each row is 8 bytes; status is one byte; policy is one byte of bits: {@link #POLICY_FREEZE_CREDITS} when a
 * frozen account may not receive either, {@link #POLICY_HAS_LIMITS} when the account has an
 * {@link AccountLimits} record)
 */
final class AccountDescriptor
{
    static final int RECORD_LENGTH = 64;

    static final int ID_OFFSET = 0;
    static final int DEBITS_PENDING_OFFSET = 8;
    static final int DEBITS_POSTED_OFFSET = 16;
    static final int CREDITS_PENDING_OFFSET = 24;
    static final int CREDITS_POSTED_OFFSET = 32;
    static final int USER_DATA_OFFSET = 40;
    static final int TIMESTAMP_OFFSET = 48;
    static final int CURRENCY_OFFSET = 56;
    static final int CODE_OFFSET = 58;
    static final int FLAGS_OFFSET = 60;
    static final int STATUS_OFFSET = 62;
    static final int POLICY_OFFSET = 63;

    static final int POLICY_FREEZE_CREDITS = 1;
    static final int POLICY_HAS_LIMITS = 1 << 1;

    private AccountDescriptor()
    {
    }
}
