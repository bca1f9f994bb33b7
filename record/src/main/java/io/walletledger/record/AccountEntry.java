package io.walletledger.record;

import io.walletledger.engine.AppliedTransfer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One transfer in an account's history: where it stands, the parts the account played in it, when, and the
 * account's balances right after it.
 *
 * @param accountId      the account.
 * @param position       the transfer's position in the record ({@link TransferRecordStore#position(long, int)}).
 * @param parts          {@link #DEBIT}, {@link #CREDIT}, {@link #FEE}, or'ed.
 * @param timestamp      the transfer's engine timestamp.
 * @param debitsPending  the account's balances right after the transfer.
 * @param debitsPosted   the same.
 * @param creditsPending the same.
 * @param creditsPosted  the same.
 */
public record AccountEntry(
    long accountId,
    long position,
    int parts,
    long timestamp,
    long debitsPending,
    long debitsPosted,
    long creditsPending,
    long creditsPosted)
{
    public static final int DEBIT = 1;
    public static final int CREDIT = 2;
    public static final int FEE = 4;
    public static final int ANY = DEBIT | CREDIT | FEE;

    /** Position, parts (1 byte), timestamp, the four balances. */
    static final int LENGTH = 8 + 1 + 8 + 4 * 8;

    static long accountId(final AppliedTransfer transfer, final int account)
    {
        return account == AppliedTransfer.DEBIT ? transfer.debitAccountId() :
            account == AppliedTransfer.CREDIT ? transfer.creditAccountId() : transfer.feeAccountId();
    }

    /**
     * @return whether the transfer names account {@code id} already in a part before {@code account} (it then has
     * one entry with both parts).
     */
    static boolean namedBefore(final AppliedTransfer transfer, final int account, final long id)
    {
        for (int before = AppliedTransfer.DEBIT; before < account; before++)
        {
            if (transfer.hasAccount(before) && accountId(transfer, before) == id)
            {
                return true;
            }
        }
        return false;
    }

    /**
     * Writes the entry of the account in part {@code account} of a transfer at {@code offset}, big-endian.
     */
    static void write(
        final MutableDirectBuffer to, final int offset, final long position, final AppliedTransfer transfer,
        final int account, final long id)
    {
        int parts = 0;
        for (int part = AppliedTransfer.DEBIT; part <= AppliedTransfer.FEE; part++)
        {
            if (transfer.hasAccount(part) && accountId(transfer, part) == id)
            {
                parts |= 1 << part;
            }
        }
        to.putLong(offset, position, ByteOrder.BIG_ENDIAN);
        to.putByte(offset + 8, (byte)parts);
        to.putLong(offset + 9, transfer.timestamp(), ByteOrder.BIG_ENDIAN);
        to.putLong(offset + 17, transfer.debitsPending(account), ByteOrder.BIG_ENDIAN);
        to.putLong(offset + 25, transfer.debitsPosted(account), ByteOrder.BIG_ENDIAN);
        to.putLong(offset + 33, transfer.creditsPending(account), ByteOrder.BIG_ENDIAN);
        to.putLong(offset + 41, transfer.creditsPosted(account), ByteOrder.BIG_ENDIAN);
    }

    static long positionOf(final byte[] group, final int offset)
    {
        return ByteBuffer.wrap(group, offset, 8).order(ByteOrder.BIG_ENDIAN).getLong();
    }

    static AccountEntry decode(final long accountId, final byte[] group, final int offset)
    {
        final ByteBuffer in = ByteBuffer.wrap(group, offset, LENGTH).order(ByteOrder.BIG_ENDIAN);
        return new AccountEntry(accountId, in.getLong(), in.get() & 0xFF, in.getLong(), in.getLong(), in.getLong(),
            in.getLong(), in.getLong());
    }
}
