package io.walletledger.protocol;

import io.walletledger.protocol.sbe.ErrorCode;
import io.walletledger.protocol.sbe.ErrorResponseDecoder;
import io.walletledger.protocol.sbe.HistoryOrder;
import io.walletledger.protocol.sbe.LookupAccountHistoryDecoder;
import io.walletledger.protocol.sbe.LookupAccountHistoryResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.PendingStatus;
import io.walletledger.protocol.sbe.ResultCode;
import io.walletledger.protocol.sbe.SetLedgerSettingsDecoder;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decodes the checked-in version 4 frames (the account history query, templates 24 and 25, and an
 * {@code ErrorResponse} with a version 4 error code) with the codecs generated from today's schema, and checks every
 * value by hand. A later schema change that would break a version 4 client makes this test fail; the fix is to undo
 * the change, never to rewrite the files. The values are the ones {@link HistoryGoldenFrames} wrote, spelled out here
 * on purpose.
 */
final class HistoryGoldenFileV4Test
{
    private static final int VERSION_V4 = 4;

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();

    @Test
    void decodesLookupAccountHistory()
    {
        final DirectBuffer buffer = GoldenFrames.buffer(VERSION_V4, "LookupAccountHistory");
        GoldenFrames.assertHeader(header, buffer, 8, 24, VERSION_V4);
        final LookupAccountHistoryDecoder decoder = new LookupAccountHistoryDecoder().wrapAndApplyHeader(buffer,
            FrameDescriptor.MESSAGE_OFFSET, header);
        assertEquals(0x3030_3131_3232_3333L, decoder.correlationId());
        final LookupAccountHistoryDecoder.QueriesDecoder queries = decoder.queries();
        assertEquals(1, queries.count());
        assertEquals(36, queries.actingBlockLength(), "the element length of version 4, in RequestType");
        final LookupAccountHistoryDecoder.QueriesDecoder query = queries.next();
        assertEquals(0x0102_0304_0506_0708L, query.accountId());
        assertEquals(0x0000_1122_3344_5566L, query.cursor());
        assertEquals(1_700_000_000_000_000_000L, query.fromTimestamp());
        assertEquals(1_800_000_000_000_000_001L, query.toTimestamp());
        assertEquals(250, query.limit());
        assertEquals(HistoryOrder.OLDEST_FIRST, query.order());
        assertEquals(1, query.orderRaw());
        assertEquals(0b101, query.parts().getRaw(), "debit and fee");
        assertEquals(buffer.capacity(), decoder.limit(), "decoding must consume the frame exactly");
    }

    @Test
    void decodesLookupAccountHistoryResponse()
    {
        final DirectBuffer buffer = GoldenFrames.buffer(VERSION_V4, "LookupAccountHistoryResponse");
        GoldenFrames.assertHeader(header, buffer, 16, 25, VERSION_V4);
        final LookupAccountHistoryResponseDecoder decoder = new LookupAccountHistoryResponseDecoder()
            .wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header);
        assertEquals(0x3030_3131_3232_3333L, decoder.correlationId());
        assertEquals(0x0000_1122_3344_5577L, decoder.nextCursor());
        final LookupAccountHistoryResponseDecoder.EntriesDecoder entries = decoder.entries();
        assertEquals(2, entries.count());

        final LookupAccountHistoryResponseDecoder.EntriesDecoder first = entries.next();
        assertEquals(0x0000_1122_3344_5566L, first.position());
        assertEquals(1, first.parts().getRaw(), "debit");
        assertBalances(first);
        assertEquals(ResultCode.OK, first.result());
        GoldenFrames.assertUInt128(first.id(), 0x1111_2222_3333_4444L, 0x5555_6666_7777_8888L);
        assertEquals(0x0102_0304_0506_0708L, first.debitAccountId());
        assertEquals(77, first.creditAccountId());
        assertEquals(12_345, first.amount());
        GoldenFrames.assertUInt128(first.pendingId(), 0, 0);
        GoldenFrames.assertUInt128(first.userData128(), 0xAAAA_BBBBL, 0xCCCC_DDDDL);
        assertEquals(64, first.userData64());
        assertEquals(32, first.userData32());
        assertEquals(0, first.timeout());
        assertEquals(1_750_000_000_000_000_000L, first.timestamp());
        assertEquals(840, first.currency());
        assertEquals(7, first.code());
        assertEquals(0, first.flags().getRaw());
        assertEquals(PendingStatus.NONE, first.pendingStatus());
        assertEquals(45, first.fee());
        assertEquals(99, first.feeAccountId());

        final LookupAccountHistoryResponseDecoder.EntriesDecoder second = entries.next();
        assertEquals(0x0000_1122_3344_5577L, second.position());
        assertEquals(0b101, second.parts().getRaw(), "debit and fee");
        assertBalances(second);
        assertEquals(ResultCode.EXCEEDS_CREDITS, second.result());
        assertEquals(55, second.resultRaw());
        GoldenFrames.assertUInt128(second.id(), 5, 6);
        assertEquals(0x0102_0304_0506_0708L, second.debitAccountId());
        assertEquals(0x0102_0304_0506_0708L, second.creditAccountId());
        assertEquals(500, second.amount());
        GoldenFrames.assertUInt128(second.pendingId(), 7, 8);
        GoldenFrames.assertUInt128(second.userData128(), 0, 0);
        assertEquals(0, second.userData64());
        assertEquals(0, second.userData32());
        assertEquals(3600, second.timeout());
        assertEquals(1_750_000_000_000_000_009L, second.timestamp());
        assertEquals(978, second.currency());
        assertEquals(65_535, second.code());
        assertTrue(second.flags().pending());
        assertTrue(second.flags().review());
        assertFalse(second.flags().linked());
        assertEquals(0b10010, second.flags().getRaw());
        assertEquals(PendingStatus.EXPIRED, second.pendingStatus());
        assertEquals(0, second.fee());
        assertEquals(0, second.feeAccountId());
        assertEquals(buffer.capacity(), decoder.limit(), "decoding must consume the frame exactly");
    }

    @Test
    void decodesErrorResponseWithAVersionFourErrorCode()
    {
        final DirectBuffer buffer = GoldenFrames.buffer(VERSION_V4, "ErrorResponse");
        GoldenFrames.assertHeader(header, buffer, 10, 9, VERSION_V4);
        final ErrorResponseDecoder decoder = new ErrorResponseDecoder().wrapAndApplyHeader(buffer,
            FrameDescriptor.MESSAGE_OFFSET, header);
        assertEquals(0x3030_3131_3232_3333L, decoder.correlationId());
        assertEquals(13, decoder.codeRaw());
        assertEquals(ErrorCode.RECORD_BEHIND, decoder.code());
        assertEquals("the record is 3 s behind the ledger: retry", decoder.message());
        assertEquals(buffer.capacity(), decoder.limit());
    }

    @Test
    void decodesSetLedgerSettings()
    {
        final DirectBuffer buffer = GoldenFrames.buffer(VERSION_V4, "SetLedgerSettings");
        GoldenFrames.assertHeader(header, buffer, 32, 26, VERSION_V4);
        final SetLedgerSettingsDecoder decoder = new SetLedgerSettingsDecoder().wrapAndApplyHeader(buffer,
            FrameDescriptor.MESSAGE_OFFSET, header);
        assertEquals(0x3434_3535_3636_3737L, decoder.correlationId());
        assertEquals(2_000_000, decoder.accountsMax());
        assertEquals(1_048_576, decoder.idempotencyWindow());
        assertEquals(262_144, decoder.pendingTransfersMax());
        assertEquals(8190, decoder.batchEventsMax());
        assertEquals(65_536, decoder.limitedAccountsMax());
        assertEquals(16, decoder.velocityDebitsMax());
        final SetLedgerSettingsDecoder.CurrenciesDecoder currencies = decoder.currencies();
        assertEquals(2, currencies.count());
        assertEquals(13, currencies.actingBlockLength(), "the element length of version 4, in RequestType");
        currencies.next();
        assertEquals(840, currencies.numericCode());
        assertEquals(2, currencies.exponent());
        assertEquals("USD", currencies.alphaCode().trim());
        currencies.next();
        assertEquals(9901, currencies.numericCode());
        assertEquals(6, currencies.exponent());
        assertEquals("USDC", currencies.alphaCode().trim());
        assertEquals(buffer.capacity(), decoder.limit(), "decoding must consume the frame exactly");
    }

    @Test
    void errorCodesOfVersionFourKeepTheirNumbers()
    {
        assertEquals(13, ErrorCode.RECORD_BEHIND.value());
        assertEquals(14, ErrorCode.RECORD_OFF.value());
        assertEquals(0, HistoryOrder.NEWEST_FIRST.value());
        assertEquals(1, HistoryOrder.OLDEST_FIRST.value());
        assertEquals(89, ResultCode.CAPACITY_BELOW_USE.value());
        assertEquals(90, ResultCode.CURRENCY_IN_USE.value());
        assertEquals(91, ResultCode.SETTING_NOT_CHANGEABLE.value());
    }

    private static void assertBalances(final LookupAccountHistoryResponseDecoder.EntriesDecoder entry)
    {
        assertEquals(11, entry.debitsPending());
        assertEquals(22, entry.debitsPosted());
        assertEquals(33, entry.creditsPending());
        assertEquals(44, entry.creditsPosted());
    }
}
