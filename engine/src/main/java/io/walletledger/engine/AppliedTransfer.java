package io.walletledger.engine;

import io.walletledger.protocol.sbe.ResultCode;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * One transfer the engine decided, as {@link AppliedTransferListener} receives it: a flyweight over
 * {@link #LENGTH} bytes, little-endian, in this layout (also the layout the read side may store):
 *
 * <pre>
 *  offset  field
 *    0     id.lo (u64)               8     id.hi (u64)
 *   16     debitAccountId (u64)     24     creditAccountId (u64)
 *   32     amount (i64)             40     pendingId.lo (u64)        48  pendingId.hi (u64)
 *   56     userData128.lo (u64)     64     userData128.hi (u64)      72  userData64 (u64)
 *   80     timestamp (u64, engine ns: of the event; of the expiry for an expired hold)
 *   88     fee (i64, minor units, 0 for none)                       96  expiresAt (u64, ns, 0 = never)
 *  104     feeAccountId (u64, 0 = no fee)
 *  112     userData32 (u32)        116     timeout (u32, s)
 *  120     currency (u16)          122     code (u16)               124  flags (u16)   126  result (u16, ResultCode)
 *  128     kind (u8: 1 an event of a request, 2 a hold that expired)
 *  129     accounts present (u8: bit 0 debit, bit 1 credit, bit 2 fee account; the balances of an absent one are 0)
 *  130..135 reserved, zero
 *  136     debit account after:  debitsPending, debitsPosted, creditsPending, creditsPosted (4 x i64)
 *  168     credit account after: the same four
 *  200     fee account after:    the same four
 * </pre>
 *
 * A transfer that applied ({@code OK}, or {@code HELD_FOR_REVIEW}: a hold for an operator) carries the transfer as
 * stored: a post or void names the hold's accounts, amount and currency. A failed one carries what was asked for
 * and its result; no fee; its accounts' balances are those it left unchanged (for a linked chain that failed, those
 * after the chain was undone). Retries of a remembered id
 * ({@code EXISTS...}, or the remembered failure) are not reported: they decided nothing new.
 */
public final class AppliedTransfer
{
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;
    public static final int LENGTH = 232;

    public static final byte KIND_EVENT = 1;
    public static final byte KIND_EXPIRED = 2;

    public static final int DEBIT = 0;
    public static final int CREDIT = 1;
    public static final int FEE = 2;

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
    static final int FEE_OFFSET = 88;
    static final int EXPIRES_AT_OFFSET = 96;
    static final int FEE_ACCOUNT_ID_OFFSET = 104;
    static final int USER_DATA_32_OFFSET = 112;
    static final int TIMEOUT_OFFSET = 116;
    static final int CURRENCY_OFFSET = 120;
    static final int CODE_OFFSET = 122;
    static final int FLAGS_OFFSET = 124;
    static final int RESULT_OFFSET = 126;
    static final int KIND_OFFSET = 128;
    static final int PRESENT_OFFSET = 129;
    static final int BALANCES_OFFSET = 136;
    static final int BALANCES_LENGTH = 32;

    private DirectBuffer buffer;
    private int offset;

    /**
     * Points this flyweight at a transfer in this layout, for instance one the read side stored.
     */
    public AppliedTransfer wrap(final DirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        return this;
    }

    /**
     * Copies the {@link #LENGTH} bytes of this transfer.
     */
    public void copyTo(final MutableDirectBuffer to, final int toOffset)
    {
        to.putBytes(toOffset, buffer, offset, LENGTH);
    }

    public byte kind()
    {
        return buffer.getByte(offset + KIND_OFFSET);
    }

    public long idLo()
    {
        return getLong(ID_LO_OFFSET);
    }

    public long idHi()
    {
        return getLong(ID_HI_OFFSET);
    }

    public long debitAccountId()
    {
        return getLong(DEBIT_ACCOUNT_ID_OFFSET);
    }

    public long creditAccountId()
    {
        return getLong(CREDIT_ACCOUNT_ID_OFFSET);
    }

    public long amount()
    {
        return getLong(AMOUNT_OFFSET);
    }

    public long pendingIdLo()
    {
        return getLong(PENDING_ID_LO_OFFSET);
    }

    public long pendingIdHi()
    {
        return getLong(PENDING_ID_HI_OFFSET);
    }

    public long userData128Lo()
    {
        return getLong(USER_DATA_128_LO_OFFSET);
    }

    public long userData128Hi()
    {
        return getLong(USER_DATA_128_HI_OFFSET);
    }

    public long userData64()
    {
        return getLong(USER_DATA_64_OFFSET);
    }

    public long timestamp()
    {
        return getLong(TIMESTAMP_OFFSET);
    }

    public long fee()
    {
        return getLong(FEE_OFFSET);
    }

    public long expiresAt()
    {
        return getLong(EXPIRES_AT_OFFSET);
    }

    /**
     * @return the account the fee went to, 0 for no fee.
     */
    public long feeAccountId()
    {
        return getLong(FEE_ACCOUNT_ID_OFFSET);
    }

    public int userData32()
    {
        return buffer.getInt(offset + USER_DATA_32_OFFSET, BYTE_ORDER);
    }

    public int timeout()
    {
        return buffer.getInt(offset + TIMEOUT_OFFSET, BYTE_ORDER);
    }

    public int currency()
    {
        return buffer.getShort(offset + CURRENCY_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    public int code()
    {
        return buffer.getShort(offset + CODE_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    public int flags()
    {
        return buffer.getShort(offset + FLAGS_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    public ResultCode result()
    {
        return ResultCode.get(buffer.getShort(offset + RESULT_OFFSET, BYTE_ORDER) & 0xFFFF);
    }

    /**
     * @param account {@link #DEBIT}, {@link #CREDIT} or {@link #FEE}.
     * @return whether that account exists (a failed transfer may name one that does not; no fee, no fee account).
     */
    public boolean hasAccount(final int account)
    {
        return (buffer.getByte(offset + PRESENT_OFFSET) & (1 << account)) != 0;
    }

    /**
     * @param account {@link #DEBIT}, {@link #CREDIT} or {@link #FEE}.
     */
    public long debitsPending(final int account)
    {
        return balance(account, 0);
    }

    public long debitsPosted(final int account)
    {
        return balance(account, 8);
    }

    public long creditsPending(final int account)
    {
        return balance(account, 16);
    }

    public long creditsPosted(final int account)
    {
        return balance(account, 24);
    }

    /**
     * @return whether it is a hold (flag {@code pending}): a two-phase transfer, or one held for review.
     */
    public boolean isHold()
    {
        return (flags() & Flags.TRANSFER_PENDING) != 0;
    }

    public boolean isPost()
    {
        return (flags() & Flags.TRANSFER_POST_PENDING) != 0;
    }

    public boolean isVoid()
    {
        return (flags() & Flags.TRANSFER_VOID_PENDING) != 0;
    }

    /**
     * @return whether it is held for an operator's review (flag {@code review}).
     */
    public boolean isReview()
    {
        return (flags() & Flags.TRANSFER_REVIEW) != 0;
    }

    /**
     * @return whether this transfer closed a hold: a post or void that applied, or the expiry of the hold.
     */
    public boolean closesHold()
    {
        return kind() == KIND_EXPIRED || (result() == ResultCode.OK &&
            (flags() & (Flags.TRANSFER_POST_PENDING | Flags.TRANSFER_VOID_PENDING)) != 0);
    }

    /**
     * @return the hold this transfer closed ({@link #closesHold()}): the pending id of a post or void, the id of an
     * expired hold.
     */
    public long closedHoldIdHi()
    {
        return kind() == KIND_EXPIRED ? idHi() : pendingIdHi();
    }

    public long closedHoldIdLo()
    {
        return kind() == KIND_EXPIRED ? idLo() : pendingIdLo();
    }

    @Override
    public String toString()
    {
        return "AppliedTransfer{kind=" + kind() + ", id=" + Long.toUnsignedString(idHi(), 16) + ":" +
            Long.toUnsignedString(idLo(), 16) + ", debit=" + debitAccountId() + ", credit=" + creditAccountId() +
            ", amount=" + amount() + ", fee=" + fee() + ", flags=" + flags() + ", result=" + result() +
            ", timestamp=" + timestamp() + "}";
    }

    private long balance(final int account, final int field)
    {
        return getLong(BALANCES_OFFSET + account * BALANCES_LENGTH + field);
    }

    private long getLong(final int fieldOffset)
    {
        return buffer.getLong(offset + fieldOffset, BYTE_ORDER);
    }
}
