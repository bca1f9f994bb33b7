package io.walletledger.protocol;

import io.walletledger.protocol.sbe.AccountFlagsDecoder;
import io.walletledger.protocol.sbe.AccountStatus;
import io.walletledger.protocol.sbe.CreateAccountsDecoder;
import io.walletledger.protocol.sbe.CreateAccountsResponseDecoder;
import io.walletledger.protocol.sbe.CreateTransfersDecoder;
import io.walletledger.protocol.sbe.CreateTransfersResponseDecoder;
import io.walletledger.protocol.sbe.ErrorCode;
import io.walletledger.protocol.sbe.ErrorResponseDecoder;
import io.walletledger.protocol.sbe.LookupAccountsDecoder;
import io.walletledger.protocol.sbe.LookupAccountsResponseDecoder;
import io.walletledger.protocol.sbe.LookupTransfersDecoder;
import io.walletledger.protocol.sbe.LookupTransfersResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.PendingStatus;
import io.walletledger.protocol.sbe.ResultCode;
import io.walletledger.protocol.sbe.TransferFlagsDecoder;
import io.walletledger.protocol.sbe.UInt128Decoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Decodes the checked-in version 1 frames with the codecs generated from today's schema and checks every
 * value by hand. A schema change that would break a version 1 client (a renumbered template, enum value or
 * flag, a moved or resized field) makes this test fail; the fix is to undo the change, never to rewrite
 * the files. The values are the ones {@link GoldenFileWriter} wrote, spelled out here on purpose.
 */
final class ProtocolGoldenFileTest
{
    private static final int SCHEMA_ID_V1 = 7070;
    private static final int VERSION_V1 = 1;
    private static final int ROOT_BLOCK_LENGTH_V1 = 8;
    private static final int ERROR_ROOT_BLOCK_LENGTH_V1 = 10;

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();

    @ParameterizedTest
    @ValueSource(strings = {
        "CreateAccounts", "CreateAccountsResponse", "CreateTransfers", "CreateTransfersResponse", "LookupAccounts",
        "LookupAccountsResponse", "LookupTransfers", "LookupTransfersResponse", "ErrorResponse" })
    void lengthPrefixCountsEverythingAfterItself(final String messageName)
    {
        final byte[] frame = readGoldenFrame(messageName);
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);

        assertEquals(
            frame.length - FrameDescriptor.LENGTH_FIELD_LENGTH,
            buffer.getInt(FrameDescriptor.LENGTH_FIELD_OFFSET, FrameDescriptor.BYTE_ORDER),
            messageName);
    }

    @ParameterizedTest
    @ValueSource(strings = { "CreateAccounts", "CreateTransfers", "LookupAccounts", "LookupTransfers" })
    void requestValidatorAcceptsEveryVersionOneRequest(final String messageName)
    {
        final byte[] frame = readGoldenFrame(messageName);
        final RequestValidator validator = new RequestValidator(ProtocolLimits.BATCH_EVENTS_MAX_DEFAULT);

        assertNull(validator.validate(
            new UnsafeBuffer(frame), FrameDescriptor.MESSAGE_OFFSET, frame.length - FrameDescriptor.LENGTH_FIELD_LENGTH),
            messageName);
    }

    @Test
    void decodesCreateAccounts()
    {
        final DirectBuffer buffer = goldenBuffer("CreateAccounts");
        assertHeader(buffer, ROOT_BLOCK_LENGTH_V1, 1);

        final CreateAccountsDecoder decoder = new CreateAccountsDecoder()
            .wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header);
        assertEquals(0xC1C2_C3C4_C5C6_C7C8L, decoder.correlationId());

        final CreateAccountsDecoder.AccountsDecoder accounts = decoder.accounts();
        assertEquals(3, accounts.count());
        assertEquals(22, accounts.actingBlockLength());

        accounts.next();
        assertEquals(0x8000_0000_0000_0001L, accounts.id());
        assertEquals(0xFEDC_BA98_7654_3210L, accounts.userData());
        assertEquals(840, accounts.currency());
        assertEquals(65534, accounts.code());
        assertAccountFlags(accounts.flags(), true, true, false);

        accounts.next();
        assertEquals(0x0123_4567_89AB_CDEFL, accounts.id());
        assertEquals(0xFFFF_FFFF_FFFF_FFFEL, accounts.userData());
        assertEquals(392, accounts.currency());
        assertEquals(1, accounts.code());
        assertAccountFlags(accounts.flags(), false, false, true);

        accounts.next();
        assertEquals(0x7FFF_FFFF_FFFF_FFFEL, accounts.id());
        assertEquals(1L, accounts.userData());
        assertEquals(1001, accounts.currency());
        assertEquals(0x1234, accounts.code());
        assertAccountFlags(accounts.flags(), true, false, true);

        assertFalse(accounts.hasNext());
        assertEquals(buffer.capacity(), decoder.limit(), "decoding must consume the frame exactly");
    }

    @Test
    void decodesCreateAccountsResponse()
    {
        final DirectBuffer buffer = goldenBuffer("CreateAccountsResponse");
        assertHeader(buffer, ROOT_BLOCK_LENGTH_V1, 2);

        final CreateAccountsResponseDecoder decoder = new CreateAccountsResponseDecoder()
            .wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header);
        assertEquals(0xC1C2_C3C4_C5C6_C7C8L, decoder.correlationId());

        final CreateAccountsResponseDecoder.ResultsDecoder results = decoder.results();
        assertEquals(3, results.count());
        assertEquals(4, results.actingBlockLength());

        results.next();
        assertEquals(0, results.index());
        assertEquals(ResultCode.LINKED_EVENT_FAILED, results.result());
        results.next();
        assertEquals(7, results.index());
        assertEquals(ResultCode.EXISTS_WITH_DIFFERENT_USER_DATA, results.result());
        results.next();
        assertEquals(65534, results.index());
        assertEquals(ResultCode.CURRENCY_UNKNOWN, results.result());

        assertFalse(results.hasNext());
        assertEquals(buffer.capacity(), decoder.limit(), "decoding must consume the frame exactly");
    }

    @Test
    void decodesCreateTransfers()
    {
        final DirectBuffer buffer = goldenBuffer("CreateTransfers");
        assertHeader(buffer, ROOT_BLOCK_LENGTH_V1, 3);

        final CreateTransfersDecoder decoder = new CreateTransfersDecoder()
            .wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header);
        assertEquals(0x8000_0000_0000_0000L, decoder.correlationId());

        final CreateTransfersDecoder.TransfersDecoder transfers = decoder.transfers();
        assertEquals(3, transfers.count());
        assertEquals(94, transfers.actingBlockLength());

        transfers.next();
        assertUInt128(transfers.id(), 0x0102_0304_0506_0708L, 0x8182_8384_8586_8788L);
        assertEquals(0xD000_0000_0000_0001L, transfers.debitAccountId());
        assertEquals(0x0C00_0000_0000_0002L, transfers.creditAccountId());
        assertEquals(Long.MAX_VALUE, transfers.amount());
        assertUInt128(transfers.pendingId(), 0x1112_1314_1516_1718L, 0x9192_9394_9596_9798L);
        assertUInt128(transfers.userData128(), 0x2122_2324_2526_2728L, 0xA1A2_A3A4_A5A6_A7A8L);
        assertEquals(0xFFFF_FFFF_FFFF_FFFEL, transfers.userData64());
        assertEquals(0xFFFF_FFFEL, transfers.userData32());
        assertEquals(0x8000_0001L, transfers.timeout());
        assertEquals(840, transfers.currency());
        assertEquals(65534, transfers.code());
        assertTransferFlags(transfers.flags(), true, true, false, false);

        transfers.next();
        assertUInt128(transfers.id(), 0x3132_3334_3536_3738L, 0xB1B2_B3B4_B5B6_B7B8L);
        assertEquals(0x0000_0000_0000_0D02L, transfers.debitAccountId());
        assertEquals(0x8000_0000_0000_0C02L, transfers.creditAccountId());
        assertEquals(1L, transfers.amount());
        assertUInt128(transfers.pendingId(), 0x0102_0304_0506_0708L, 0x8182_8384_8586_8788L);
        assertUInt128(transfers.userData128(), 0x4142_4344_4546_4748L, 0xC1C2_C3C4_C5C6_C7C8L);
        assertEquals(0x64L, transfers.userData64());
        assertEquals(0x20L, transfers.userData32());
        assertEquals(0L, transfers.timeout());
        assertEquals(392, transfers.currency());
        assertEquals(2, transfers.code());
        assertTransferFlags(transfers.flags(), false, false, true, false);

        transfers.next();
        assertUInt128(transfers.id(), 0xFFFF_FFFF_FFFF_FFFFL, 0x0000_0000_0000_0001L);
        assertEquals(0x0000_0000_0000_0D03L, transfers.debitAccountId());
        assertEquals(0x0000_0000_0000_0C03L, transfers.creditAccountId());
        assertEquals(0L, transfers.amount());
        assertUInt128(transfers.pendingId(), 0x5152_5354_5556_5758L, 0xD1D2_D3D4_D5D6_D7D8L);
        assertUInt128(transfers.userData128(), 0x6162_6364_6566_6768L, 0xE1E2_E3E4_E5E6_E7E8L);
        assertEquals(0x7FFF_FFFF_FFFF_FFFFL, transfers.userData64());
        assertEquals(0x7FFF_FFFFL, transfers.userData32());
        assertEquals(86_400L, transfers.timeout());
        assertEquals(1001, transfers.currency());
        assertEquals(0xABCD, transfers.code());
        assertTransferFlags(transfers.flags(), true, false, false, true);

        assertFalse(transfers.hasNext());
        assertEquals(buffer.capacity(), decoder.limit(), "decoding must consume the frame exactly");
    }

    @Test
    void decodesCreateTransfersResponse()
    {
        final DirectBuffer buffer = goldenBuffer("CreateTransfersResponse");
        assertHeader(buffer, ROOT_BLOCK_LENGTH_V1, 4);

        final CreateTransfersResponseDecoder decoder = new CreateTransfersResponseDecoder()
            .wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header);
        assertEquals(0x8000_0000_0000_0000L, decoder.correlationId());

        final CreateTransfersResponseDecoder.ResultsDecoder results = decoder.results();
        assertEquals(4, results.count());
        assertEquals(4, results.actingBlockLength());

        results.next();
        assertEquals(1, results.index());
        assertEquals(ResultCode.EXCEEDS_CREDITS, results.result());
        results.next();
        assertEquals(2, results.index());
        assertEquals(ResultCode.PENDING_TRANSFER_EXPIRED, results.result());
        results.next();
        assertEquals(8189, results.index());
        assertEquals(ResultCode.OVERFLOWS_DEBITS_POSTED, results.result());
        results.next();
        assertEquals(65534, results.index());
        assertEquals(ResultCode.PENDING_TRANSFERS_FULL, results.result());

        assertFalse(results.hasNext());
        assertEquals(buffer.capacity(), decoder.limit(), "decoding must consume the frame exactly");
    }

    @Test
    void decodesLookupAccounts()
    {
        final DirectBuffer buffer = goldenBuffer("LookupAccounts");
        assertHeader(buffer, ROOT_BLOCK_LENGTH_V1, 5);

        final LookupAccountsDecoder decoder = new LookupAccountsDecoder()
            .wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header);
        assertEquals(0xFFFF_FFFF_FFFF_FFFEL, decoder.correlationId());

        final LookupAccountsDecoder.IdsDecoder ids = decoder.ids();
        assertEquals(4, ids.count());
        assertEquals(8, ids.actingBlockLength());

        assertEquals(0x8000_0000_0000_0001L, ids.next().id());
        assertEquals(0xFFFF_FFFF_FFFF_FFFEL, ids.next().id());
        assertEquals(0x0123_4567_89AB_CDEFL, ids.next().id());
        assertEquals(1L, ids.next().id());

        assertFalse(ids.hasNext());
        assertEquals(buffer.capacity(), decoder.limit(), "decoding must consume the frame exactly");
    }

    @Test
    void decodesLookupAccountsResponse()
    {
        final DirectBuffer buffer = goldenBuffer("LookupAccountsResponse");
        assertHeader(buffer, ROOT_BLOCK_LENGTH_V1, 6);

        final LookupAccountsResponseDecoder decoder = new LookupAccountsResponseDecoder()
            .wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header);
        assertEquals(0xFFFF_FFFF_FFFF_FFFEL, decoder.correlationId());

        final LookupAccountsResponseDecoder.AccountsDecoder accounts = decoder.accounts();
        assertEquals(3, accounts.count());
        assertEquals(63, accounts.actingBlockLength());

        accounts.next();
        assertEquals(0x8000_0000_0000_0001L, accounts.id());
        assertEquals(0x101L, accounts.debitsPending());
        assertEquals(0x202L, accounts.debitsPosted());
        assertEquals(0x303L, accounts.creditsPending());
        assertEquals(Long.MAX_VALUE, accounts.creditsPosted());
        assertEquals(0xFEDC_BA98_7654_3210L, accounts.userData());
        assertEquals(0x8000_0000_0000_0007L, accounts.timestamp());
        assertEquals(840, accounts.currency());
        assertEquals(65534, accounts.code());
        assertAccountFlags(accounts.flags(), true, true, false);
        assertEquals(AccountStatus.ACTIVE, accounts.status());

        accounts.next();
        assertEquals(0xFFFF_FFFF_FFFF_FFFEL, accounts.id());
        assertEquals(Long.MAX_VALUE - 1, accounts.debitsPending());
        assertEquals(0x1234_5678_9ABC_DEF0L, accounts.debitsPosted());
        assertEquals(0L, accounts.creditsPending());
        assertEquals(0x0FED_CBA9_8765_4321L, accounts.creditsPosted());
        assertEquals(0xFFFF_FFFF_FFFF_FFFEL, accounts.userData());
        assertEquals(1_767_225_600_123_456_789L, accounts.timestamp());
        assertEquals(392, accounts.currency());
        assertEquals(1, accounts.code());
        assertAccountFlags(accounts.flags(), false, false, true);
        assertEquals(AccountStatus.FROZEN, accounts.status());

        accounts.next();
        assertEquals(0x0123_4567_89AB_CDEFL, accounts.id());
        assertEquals(5L, accounts.debitsPending());
        assertEquals(6L, accounts.debitsPosted());
        assertEquals(7L, accounts.creditsPending());
        assertEquals(8L, accounts.creditsPosted());
        assertEquals(0L, accounts.userData());
        assertEquals(1_767_225_600_999_999_999L, accounts.timestamp());
        assertEquals(1001, accounts.currency());
        assertEquals(0x1234, accounts.code());
        assertAccountFlags(accounts.flags(), false, false, false);
        assertEquals(AccountStatus.CLOSED, accounts.status());

        assertFalse(accounts.hasNext());
        assertEquals(buffer.capacity(), decoder.limit(), "decoding must consume the frame exactly");
    }

    @Test
    void decodesLookupTransfers()
    {
        final DirectBuffer buffer = goldenBuffer("LookupTransfers");
        assertHeader(buffer, ROOT_BLOCK_LENGTH_V1, 7);

        final LookupTransfersDecoder decoder = new LookupTransfersDecoder()
            .wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header);
        assertEquals(1L, decoder.correlationId());

        final LookupTransfersDecoder.IdsDecoder ids = decoder.ids();
        assertEquals(3, ids.count());
        assertEquals(16, ids.actingBlockLength());

        assertUInt128(ids.next().id(), 0x0102_0304_0506_0708L, 0x8182_8384_8586_8788L);
        assertUInt128(ids.next().id(), 0xFFFF_FFFF_FFFF_FFFFL, 0x0000_0000_0000_0001L);
        assertUInt128(ids.next().id(), 0x0000_0000_0000_0001L, 0xFFFF_FFFF_FFFF_FFFEL);

        assertFalse(ids.hasNext());
        assertEquals(buffer.capacity(), decoder.limit(), "decoding must consume the frame exactly");
    }

    @Test
    void decodesLookupTransfersResponse()
    {
        final DirectBuffer buffer = goldenBuffer("LookupTransfersResponse");
        assertHeader(buffer, ROOT_BLOCK_LENGTH_V1, 8);

        final LookupTransfersResponseDecoder decoder = new LookupTransfersResponseDecoder()
            .wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header);
        assertEquals(1L, decoder.correlationId());

        final LookupTransfersResponseDecoder.TransfersDecoder transfers = decoder.transfers();
        assertEquals(3, transfers.count());
        assertEquals(103, transfers.actingBlockLength());

        transfers.next();
        assertUInt128(transfers.id(), 0x0102_0304_0506_0708L, 0x8182_8384_8586_8788L);
        assertEquals(0xD000_0000_0000_0001L, transfers.debitAccountId());
        assertEquals(0x0C00_0000_0000_0002L, transfers.creditAccountId());
        assertEquals(Long.MAX_VALUE, transfers.amount());
        assertUInt128(transfers.pendingId(), 0L, 0L);
        assertUInt128(transfers.userData128(), 0x2122_2324_2526_2728L, 0xA1A2_A3A4_A5A6_A7A8L);
        assertEquals(0xFFFF_FFFF_FFFF_FFFEL, transfers.userData64());
        assertEquals(0xFFFF_FFFEL, transfers.userData32());
        assertEquals(0x8000_0001L, transfers.timeout());
        assertEquals(0x8000_0000_0000_0007L, transfers.timestamp());
        assertEquals(840, transfers.currency());
        assertEquals(65534, transfers.code());
        assertTransferFlags(transfers.flags(), true, true, false, false);
        assertEquals(PendingStatus.PENDING, transfers.pendingStatus());

        transfers.next();
        assertUInt128(transfers.id(), 0x3132_3334_3536_3738L, 0xB1B2_B3B4_B5B6_B7B8L);
        assertEquals(0x0000_0000_0000_0D02L, transfers.debitAccountId());
        assertEquals(0x8000_0000_0000_0C02L, transfers.creditAccountId());
        assertEquals(1L, transfers.amount());
        assertUInt128(transfers.pendingId(), 0x0102_0304_0506_0708L, 0x8182_8384_8586_8788L);
        assertUInt128(transfers.userData128(), 0x4142_4344_4546_4748L, 0xC1C2_C3C4_C5C6_C7C8L);
        assertEquals(0x64L, transfers.userData64());
        assertEquals(0x20L, transfers.userData32());
        assertEquals(0L, transfers.timeout());
        assertEquals(1_767_225_600_123_456_789L, transfers.timestamp());
        assertEquals(392, transfers.currency());
        assertEquals(2, transfers.code());
        assertTransferFlags(transfers.flags(), false, false, true, false);
        assertEquals(PendingStatus.NONE, transfers.pendingStatus());

        transfers.next();
        assertUInt128(transfers.id(), 0xFFFF_FFFF_FFFF_FFFFL, 0x0000_0000_0000_0001L);
        assertEquals(0x0000_0000_0000_0D03L, transfers.debitAccountId());
        assertEquals(0x0000_0000_0000_0C03L, transfers.creditAccountId());
        assertEquals(0xFFFL, transfers.amount());
        assertUInt128(transfers.pendingId(), 0x5152_5354_5556_5758L, 0xD1D2_D3D4_D5D6_D7D8L);
        assertUInt128(transfers.userData128(), 0x6162_6364_6566_6768L, 0xE1E2_E3E4_E5E6_E7E8L);
        assertEquals(0x7FFF_FFFF_FFFF_FFFFL, transfers.userData64());
        assertEquals(0x7FFF_FFFFL, transfers.userData32());
        assertEquals(86_400L, transfers.timeout());
        assertEquals(1_767_225_600_999_999_999L, transfers.timestamp());
        assertEquals(1001, transfers.currency());
        assertEquals(0xABCD, transfers.code());
        assertTransferFlags(transfers.flags(), true, false, false, true);
        assertEquals(PendingStatus.EXPIRED, transfers.pendingStatus());

        assertFalse(transfers.hasNext());
        assertEquals(buffer.capacity(), decoder.limit(), "decoding must consume the frame exactly");
    }

    @Test
    void decodesErrorResponse()
    {
        final DirectBuffer buffer = goldenBuffer("ErrorResponse");
        assertHeader(buffer, ERROR_ROOT_BLOCK_LENGTH_V1, 9);

        final ErrorResponseDecoder decoder = new ErrorResponseDecoder()
            .wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header);
        assertEquals(0xE1E2_E3E4_E5E6_E7E8L, decoder.correlationId());
        assertEquals(ErrorCode.BATCH_TOO_LARGE, decoder.code());
        assertEquals(67, decoder.messageLength(), "UTF-8 bytes, not chars");
        assertEquals("batch of 8191 events exceeds batchEventsMax 8190 \u2014 r\u00e9essayez \u2713", decoder.message());

        assertEquals(buffer.capacity(), decoder.limit(), "decoding must consume the frame exactly");
    }

    private void assertHeader(final DirectBuffer buffer, final int blockLength, final int templateId)
    {
        header.wrap(buffer, FrameDescriptor.MESSAGE_OFFSET);
        assertEquals(blockLength, header.blockLength(), "blockLength");
        assertEquals(templateId, header.templateId(), "templateId");
        assertEquals(SCHEMA_ID_V1, header.schemaId(), "schemaId");
        assertEquals(VERSION_V1, header.version(), "version");
    }

    private static void assertUInt128(final UInt128Decoder value, final long lo, final long hi)
    {
        assertEquals(lo, value.lo(), "lo");
        assertEquals(hi, value.hi(), "hi");
    }

    private static void assertAccountFlags(
        final AccountFlagsDecoder flags,
        final boolean linked,
        final boolean debitsMustNotExceedCredits,
        final boolean creditsMustNotExceedDebits)
    {
        assertEquals(linked, flags.linked(), "linked");
        assertEquals(debitsMustNotExceedCredits, flags.debitsMustNotExceedCredits(), "debitsMustNotExceedCredits");
        assertEquals(creditsMustNotExceedDebits, flags.creditsMustNotExceedDebits(), "creditsMustNotExceedDebits");
        final int knownBits = (linked ? 1 : 0) | (debitsMustNotExceedCredits ? 2 : 0) | (creditsMustNotExceedDebits ? 4 : 0);
        assertEquals(knownBits, flags.getRaw(), "no other bit may be set");
    }

    private static void assertTransferFlags(
        final TransferFlagsDecoder flags,
        final boolean linked,
        final boolean pending,
        final boolean postPending,
        final boolean voidPending)
    {
        assertEquals(linked, flags.linked(), "linked");
        assertEquals(pending, flags.pending(), "pending");
        assertEquals(postPending, flags.postPending(), "postPending");
        assertEquals(voidPending, flags.voidPending(), "voidPending");
        final int knownBits = (linked ? 1 : 0) | (pending ? 2 : 0) | (postPending ? 4 : 0) | (voidPending ? 8 : 0);
        assertEquals(knownBits, flags.getRaw(), "no other bit may be set");
    }

    private static DirectBuffer goldenBuffer(final String messageName)
    {
        return new UnsafeBuffer(readGoldenFrame(messageName));
    }

    private static byte[] readGoldenFrame(final String messageName)
    {
        final String resource = "/golden/v1/" + messageName + ".bin";
        try (InputStream in = ProtocolGoldenFileTest.class.getResourceAsStream(resource))
        {
            assertNotNull(in, resource + " is missing from the test classpath");
            final byte[] frame = in.readAllBytes();
            assertTrue(frame.length > FrameDescriptor.LENGTH_FIELD_LENGTH + FrameDescriptor.MESSAGE_HEADER_LENGTH,
                resource + " is too short to hold a frame");
            return frame;
        }
        catch (final IOException ex)
        {
            throw new AssertionError("cannot read " + resource, ex);
        }
    }
}
