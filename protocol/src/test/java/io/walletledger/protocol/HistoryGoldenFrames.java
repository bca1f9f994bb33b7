package io.walletledger.protocol;

import io.walletledger.protocol.sbe.ErrorCode;
import io.walletledger.protocol.sbe.ErrorResponseEncoder;
import io.walletledger.protocol.sbe.HistoryOrder;
import io.walletledger.protocol.sbe.LookupAccountHistoryEncoder;
import io.walletledger.protocol.sbe.LookupAccountHistoryResponseEncoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.protocol.sbe.PendingStatus;
import io.walletledger.protocol.sbe.ResultCode;
import io.walletledger.protocol.sbe.SetLedgerSettingsEncoder;
import org.agrona.MutableDirectBuffer;

/**
 * The golden frames of what version 4 of the schema added (the account history query, templates 24 and 25, an
 * {@code ErrorResponse} with a version 4 error code, and the node's {@code SetLedgerSettings}, template 26), for {@link GoldenFileWriter}: each method encodes one message
 * at {@link FrameDescriptor#MESSAGE_OFFSET} of a zeroed buffer and returns its length (header and body). Every value
 * is also spelled out in {@link HistoryGoldenFileV4Test}; change neither without the other.
 */
final class HistoryGoldenFrames
{
    private final MessageHeaderEncoder header;

    HistoryGoldenFrames(final MessageHeaderEncoder header)
    {
        this.header = header;
    }

    int lookupAccountHistory(final MutableDirectBuffer buffer)
    {
        final LookupAccountHistoryEncoder encoder = new LookupAccountHistoryEncoder();
        encoder.wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header)
            .correlationId(0x3030_3131_3232_3333L)
            .queriesCount(1)
            .next()
            .accountId(0x0102_0304_0506_0708L)
            .cursor(0x0000_1122_3344_5566L)
            .fromTimestamp(1_700_000_000_000_000_000L)
            .toTimestamp(1_800_000_000_000_000_001L)
            .limit(250)
            .order(HistoryOrder.OLDEST_FIRST)
            .parts().clear().debit(true).fee(true);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    int lookupAccountHistoryResponse(final MutableDirectBuffer buffer)
    {
        final LookupAccountHistoryResponseEncoder encoder = new LookupAccountHistoryResponseEncoder();
        final LookupAccountHistoryResponseEncoder.EntriesEncoder entries = encoder
            .wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header)
            .correlationId(0x3030_3131_3232_3333L)
            .nextCursor(0x0000_1122_3344_5577L)
            .entriesCount(2);
        entries.next()
            .position(0x0000_1122_3344_5566L)
            .debitsPending(11).debitsPosted(22).creditsPending(33).creditsPosted(44)
            .result(ResultCode.OK);
        entries.parts().clear().debit(true);
        entries.id().lo(0x1111_2222_3333_4444L).hi(0x5555_6666_7777_8888L);
        entries.debitAccountId(0x0102_0304_0506_0708L).creditAccountId(77).amount(12_345);
        entries.pendingId().lo(0).hi(0);
        entries.userData128().lo(0xAAAA_BBBBL).hi(0xCCCC_DDDDL);
        entries.userData64(64).userData32(32).timeout(0).timestamp(1_750_000_000_000_000_000L)
            .currency(840).code(7).pendingStatus(PendingStatus.NONE).fee(45).feeAccountId(99);
        entries.flags().clear();
        entries.next()
            .position(0x0000_1122_3344_5577L)
            .debitsPending(11).debitsPosted(22).creditsPending(33).creditsPosted(44)
            .result(ResultCode.EXCEEDS_CREDITS);
        entries.parts().clear().debit(true).fee(true);
        entries.id().lo(5).hi(6);
        entries.debitAccountId(0x0102_0304_0506_0708L).creditAccountId(0x0102_0304_0506_0708L).amount(500);
        entries.pendingId().lo(7).hi(8);
        entries.userData128().lo(0).hi(0);
        entries.userData64(0).userData32(0).timeout(3600).timestamp(1_750_000_000_000_000_009L)
            .currency(978).code(65_535).pendingStatus(PendingStatus.EXPIRED).fee(0).feeAccountId(0);
        entries.flags().clear().pending(true).review(true);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    int setLedgerSettings(final MutableDirectBuffer buffer)
    {
        final SetLedgerSettingsEncoder encoder = new SetLedgerSettingsEncoder();
        final SetLedgerSettingsEncoder.CurrenciesEncoder currencies = encoder
            .wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header)
            .correlationId(0x3434_3535_3636_3737L)
            .accountsMax(2_000_000)
            .idempotencyWindow(1_048_576)
            .pendingTransfersMax(262_144)
            .batchEventsMax(8190)
            .limitedAccountsMax(65_536)
            .velocityDebitsMax(16)
            .currenciesCount(2);
        currencies.next().numericCode(840).exponent((short)2).alphaCode("USD");
        currencies.next().numericCode(9901).exponent((short)6).alphaCode("USDC");
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    int errorResponse(final MutableDirectBuffer buffer)
    {
        final ErrorResponseEncoder encoder = new ErrorResponseEncoder();
        encoder.wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header)
            .correlationId(0x3030_3131_3232_3333L)
            .code(ErrorCode.RECORD_BEHIND)
            .message("the record is 3 s behind the ledger: retry");
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }
}
