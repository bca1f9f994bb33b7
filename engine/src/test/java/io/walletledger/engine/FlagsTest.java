package io.walletledger.engine;

import io.walletledger.protocol.sbe.AccountFlagsDecoder;
import io.walletledger.protocol.sbe.PendingStatus;
import io.walletledger.protocol.sbe.TransferFlagsDecoder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's flag constants must be the bits of the schema's sets, or the engine would misread requests.
 */
class FlagsTest
{
    @Test
    void accountFlagBitsMatchTheSchema()
    {
        assertTrue(AccountFlagsDecoder.linked((short)Flags.ACCOUNT_LINKED));
        assertTrue(AccountFlagsDecoder.debitsMustNotExceedCredits((short)Flags.ACCOUNT_DEBITS_MUST_NOT_EXCEED_CREDITS));
        assertTrue(AccountFlagsDecoder.creditsMustNotExceedDebits((short)Flags.ACCOUNT_CREDITS_MUST_NOT_EXCEED_DEBITS));
        assertEquals(3, Integer.bitCount(Flags.ACCOUNT_ALL));
    }

    @Test
    void transferFlagBitsMatchTheSchema()
    {
        assertTrue(TransferFlagsDecoder.linked((short)Flags.TRANSFER_LINKED));
        assertTrue(TransferFlagsDecoder.pending((short)Flags.TRANSFER_PENDING));
        assertTrue(TransferFlagsDecoder.postPending((short)Flags.TRANSFER_POST_PENDING));
        assertTrue(TransferFlagsDecoder.voidPending((short)Flags.TRANSFER_VOID_PENDING));
        assertEquals(4, Integer.bitCount(Flags.TRANSFER_ALL));
    }

    @Test
    void pendingStatusValuesMatchTheSchema()
    {
        assertEquals(PendingStatus.NONE.value(), Flags.PENDING_STATUS_NONE);
        assertEquals(PendingStatus.PENDING.value(), Flags.PENDING_STATUS_PENDING);
        assertEquals(PendingStatus.POSTED.value(), Flags.PENDING_STATUS_POSTED);
        assertEquals(PendingStatus.VOIDED.value(), Flags.PENDING_STATUS_VOIDED);
        assertEquals(PendingStatus.EXPIRED.value(), Flags.PENDING_STATUS_EXPIRED);
    }
}
