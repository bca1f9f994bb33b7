package io.walletledger.engine;

/**
 * Layout of one transfer record: 128 bytes, two cache lines, little-endian. Used for the idempotency
 * history (every transfer, including failed ones, whose {@code result} is then non-zero and whose other
 * fields after the id are zero) and for the table of open pending transfers.
 *
 * <pre>
 *  offset  field
 *    0     id.lo (u64)             8     id.hi (u64)
 *   16     debitAccountId (u64)   24     creditAccountId (u64)
 *   32     amount (i64)           40     pendingId.lo (u64)
 *   48     pendingId.hi (u64)     56     userData128.lo (u64)
 *   64     userData128.hi (u64)   72     userData64 (u64)
 *   80     timestamp (u64, ns)    88     expiresAt (u64, ns; 0 = never) for a pending transfer,
 *                                        fee (i64, minor units) for any other
 *   96     userData32 (u32)      100     timeout (u32, s)
 *  104     currency (u16)        106     code (u16)
 *  108     flags (u16)           110     result (u16, ResultCode value)
 *  112     pendingStatus (u8)    113..115 reserved, zero
 *  116     feeAccountSlot + 1 (i32; 0 = no fee): accounts never move, so the slot names the fee account
 *  120     idHash (u64): TransferIdIndex.hash of the id, kept so indexing and rollback need not rehash
 * </pre>
 */
final class TransferDescriptor
{
    static final int RECORD_LENGTH = 128;

    static final int ID_LO_OFFSET = 0;
    static final int ID_HI_OFFSET = 8;
    static final int DEBIT_ACCOUNT_ID_OFFSET = 16;
    static final int CREDIT_ACCOUNT_ID_OFFSET = 24;
    static final int AMOUNT_OFFSET = 32;
    static final int PENDING_ID_LO_OFFSET = 40;
    static final int PENDING_ID_HI_OFFSET = 48;
    static final int USER_DATA_128_LO_OFFSET = 56;
    static final int USER_DATA_128_HI_OFFSET = 64;
    static final int USER_DATA_64_OFFSET = 72;
    static final int TIMESTAMP_OFFSET = 80;
    static final int EXPIRES_AT_OFFSET = 88;
    static final int USER_DATA_32_OFFSET = 96;
    static final int TIMEOUT_OFFSET = 100;
    static final int CURRENCY_OFFSET = 104;
    static final int CODE_OFFSET = 106;
    static final int FLAGS_OFFSET = 108;
    static final int RESULT_OFFSET = 110;
    static final int PENDING_STATUS_OFFSET = 112;
    static final int FEE_OFFSET = EXPIRES_AT_OFFSET;
    static final int FEE_ACCOUNT_SLOT_OFFSET = 116;
    static final int ID_HASH_OFFSET = 120;

    /** The largest number of records an int-indexed buffer can address. */
    static final int CAPACITY_LIMIT = (Integer.MAX_VALUE - RECORD_LENGTH) / RECORD_LENGTH;

    private TransferDescriptor()
    {
    }
}
