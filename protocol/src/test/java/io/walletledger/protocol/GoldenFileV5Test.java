package io.walletledger.protocol;

import io.walletledger.protocol.sbe.CreateTransfersResponseDecoder;
import io.walletledger.protocol.sbe.LookupPoliciesResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.PolicySetting;
import io.walletledger.protocol.sbe.ResultCode;
import io.walletledger.protocol.sbe.SetPolicySettingsDecoder;
import io.walletledger.protocol.sbe.SkipJournalEntriesDecoder;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Decodes the checked-in version 5 frames (the hold policies: two policy settings, their result codes, both settings
 * in {@code LookupPoliciesResponse}; and {@code SkipJournalEntries}) with the codecs generated from today's schema,
 * and checks every value by hand. A later schema change that would break a version 5 client makes this test fail;
 * the fix is to undo the change, never to rewrite the files. The values are the ones {@link HoldPolicyGoldenFrames}
 * wrote, spelled out here on purpose.
 */
final class GoldenFileV5Test
{
    private static final int VERSION_V5 = 5;

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();

    @Test
    void decodesSetPolicySettingsOfTheHoldPolicies()
    {
        final DirectBuffer buffer = GoldenFrames.buffer(VERSION_V5, "SetPolicySettings");
        GoldenFrames.assertHeader(header, buffer, 8, 17, VERSION_V5);
        final SetPolicySettingsDecoder decoder = new SetPolicySettingsDecoder().wrapAndApplyHeader(buffer,
            FrameDescriptor.MESSAGE_OFFSET, header);
        assertEquals(0x5050_5151_5252_5353L, decoder.correlationId());
        final SetPolicySettingsDecoder.SettingsDecoder settings = decoder.settings();
        assertEquals(2, settings.count());
        final SetPolicySettingsDecoder.SettingsDecoder holds = settings.next();
        assertEquals(PolicySetting.HOLDS_PER_ACCOUNT_MAX, holds.setting());
        assertEquals(3, holds.settingRaw());
        assertEquals(10_000, holds.value());
        final SetPolicySettingsDecoder.SettingsDecoder timeout = settings.next();
        assertEquals(PolicySetting.HOLD_TIMEOUT_MAX_SECONDS, timeout.setting());
        assertEquals(4, timeout.settingRaw());
        assertEquals(2_592_000, timeout.value());
        assertEquals(buffer.capacity(), decoder.limit(), "decoding must consume the frame exactly");
    }

    @Test
    void decodesLookupPoliciesResponseWithTheHoldPolicies()
    {
        final DirectBuffer buffer = GoldenFrames.buffer(VERSION_V5, "LookupPoliciesResponse");
        GoldenFrames.assertHeader(header, buffer, 28, 19, VERSION_V5);
        final LookupPoliciesResponseDecoder decoder = new LookupPoliciesResponseDecoder().wrapAndApplyHeader(buffer,
            FrameDescriptor.MESSAGE_OFFSET, header);
        assertEquals(0x5050_5151_5252_5353L, decoder.correlationId());
        assertEquals(3600, decoder.dayStartSeconds());
        assertEquals(0x0123_4567_89AB_CDEFL, decoder.configDigest());
        assertEquals(10_000, decoder.holdsPerAccountMax());
        assertEquals(4_294_967_295L, decoder.holdTimeoutMaxSeconds());
        assertEquals(0, decoder.fees().count());
        assertEquals(0, decoder.thresholds().count());
        assertEquals(0, decoder.codeLimits().count());
        assertEquals(buffer.capacity(), decoder.limit(), "decoding must consume the frame exactly");
    }

    @Test
    void decodesTheResultCodesOfTheHoldPolicies()
    {
        final DirectBuffer buffer = GoldenFrames.buffer(VERSION_V5, "CreateTransfersResponse");
        GoldenFrames.assertHeader(header, buffer, 8, 4, VERSION_V5);
        final CreateTransfersResponseDecoder decoder = new CreateTransfersResponseDecoder().wrapAndApplyHeader(buffer,
            FrameDescriptor.MESSAGE_OFFSET, header);
        assertEquals(0x5050_5151_5252_5353L, decoder.correlationId());
        final CreateTransfersResponseDecoder.ResultsDecoder results = decoder.results();
        assertEquals(2, results.count());
        final CreateTransfersResponseDecoder.ResultsDecoder full = results.next();
        assertEquals(3, full.index());
        assertEquals(ResultCode.HOLDS_PER_ACCOUNT_FULL, full.result());
        assertEquals(92, full.resultRaw());
        final CreateTransfersResponseDecoder.ResultsDecoder timeout = results.next();
        assertEquals(7, timeout.index());
        assertEquals(ResultCode.HOLD_TIMEOUT_EXCEEDS_MAX, timeout.result());
        assertEquals(93, timeout.resultRaw());
        assertEquals(buffer.capacity(), decoder.limit(), "decoding must consume the frame exactly");
    }

    @Test
    void decodesSkipJournalEntries()
    {
        final DirectBuffer buffer = GoldenFrames.buffer(VERSION_V5, "SkipJournalEntries");
        GoldenFrames.assertHeader(header, buffer, 8, 27, VERSION_V5);
        final SkipJournalEntriesDecoder decoder = new SkipJournalEntriesDecoder().wrapAndApplyHeader(buffer,
            FrameDescriptor.MESSAGE_OFFSET, header);
        assertEquals(1234, decoder.correlationId());
        final SkipJournalEntriesDecoder.EntriesDecoder entries = decoder.entries();
        assertEquals(1, entries.count());
        assertEquals(10, entries.actingBlockLength(), "the element length of version 5, in RequestType");
        final SkipJournalEntriesDecoder.EntriesDecoder entry = entries.next();
        assertEquals(1234, entry.sequence());
        assertEquals(3, entry.templateId());
        assertEquals(buffer.capacity(), decoder.limit(), "decoding must consume the frame exactly");
    }
}
