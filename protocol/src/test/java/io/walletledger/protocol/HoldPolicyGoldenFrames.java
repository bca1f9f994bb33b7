package io.walletledger.protocol;

import io.walletledger.protocol.sbe.CreateTransfersResponseEncoder;
import io.walletledger.protocol.sbe.LookupPoliciesResponseEncoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.protocol.sbe.PolicySetting;
import io.walletledger.protocol.sbe.ResultCode;
import io.walletledger.protocol.sbe.SetPolicySettingsEncoder;
import io.walletledger.protocol.sbe.SkipJournalEntriesEncoder;
import org.agrona.MutableDirectBuffer;

/**
 * The golden frames of what version 5 of the schema added (the hold policies: two policy settings, their result codes
 * and both settings in {@code LookupPoliciesResponse}; and the node's {@code SkipJournalEntries}, template 27), for
 * {@link GoldenFileWriter}: each method encodes one message at {@link FrameDescriptor#MESSAGE_OFFSET} of a zeroed
 * buffer and returns its length (header and body). Every value is also spelled out in {@link GoldenFileV5Test};
 * change neither without the other.
 */
final class HoldPolicyGoldenFrames
{
    private final MessageHeaderEncoder header;

    HoldPolicyGoldenFrames(final MessageHeaderEncoder header)
    {
        this.header = header;
    }

    int setPolicySettings(final MutableDirectBuffer buffer)
    {
        final SetPolicySettingsEncoder encoder = new SetPolicySettingsEncoder();
        final SetPolicySettingsEncoder.SettingsEncoder settings = encoder
            .wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header)
            .correlationId(0x5050_5151_5252_5353L)
            .settingsCount(2);
        settings.next().setting(PolicySetting.HOLDS_PER_ACCOUNT_MAX).value(10_000);
        settings.next().setting(PolicySetting.HOLD_TIMEOUT_MAX_SECONDS).value(2_592_000);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    int lookupPoliciesResponse(final MutableDirectBuffer buffer)
    {
        final LookupPoliciesResponseEncoder encoder = new LookupPoliciesResponseEncoder();
        encoder.wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header)
            .correlationId(0x5050_5151_5252_5353L)
            .dayStartSeconds(3600)
            .configDigest(0x0123_4567_89AB_CDEFL)
            .holdsPerAccountMax(10_000)
            .holdTimeoutMaxSeconds(4_294_967_295L);
        encoder.feesCount(0);
        encoder.thresholdsCount(0);
        encoder.codeLimitsCount(0);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    int createTransfersResponse(final MutableDirectBuffer buffer)
    {
        final CreateTransfersResponseEncoder encoder = new CreateTransfersResponseEncoder();
        final CreateTransfersResponseEncoder.ResultsEncoder results = encoder
            .wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header)
            .correlationId(0x5050_5151_5252_5353L)
            .resultsCount(2);
        results.next().index(3).result(ResultCode.HOLDS_PER_ACCOUNT_FULL);
        results.next().index(7).result(ResultCode.HOLD_TIMEOUT_EXCEEDS_MAX);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    int skipJournalEntries(final MutableDirectBuffer buffer)
    {
        final SkipJournalEntriesEncoder encoder = new SkipJournalEntriesEncoder();
        encoder.wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header)
            .correlationId(1234)
            .entriesCount(1)
            .next()
            .sequence(1234)
            .templateId(3);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }
}
