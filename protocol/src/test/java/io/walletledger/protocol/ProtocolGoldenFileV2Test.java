package io.walletledger.protocol;

import io.walletledger.protocol.sbe.AccountFlagsDecoder;
import io.walletledger.protocol.sbe.AccountStatus;
import io.walletledger.protocol.sbe.CreateAccountsDecoder;
import io.walletledger.protocol.sbe.CreateAccountsResponseDecoder;
import io.walletledger.protocol.sbe.CreateTransfersDecoder;
import io.walletledger.protocol.sbe.CreateTransfersResponseDecoder;
import io.walletledger.protocol.sbe.ErrorCode;
import io.walletledger.protocol.sbe.ErrorResponseDecoder;
import io.walletledger.protocol.sbe.FreezeScope;
import io.walletledger.protocol.sbe.LookupAccountsDecoder;
import io.walletledger.protocol.sbe.LookupAccountsResponseDecoder;
import io.walletledger.protocol.sbe.LookupTransfersDecoder;
import io.walletledger.protocol.sbe.LookupTransfersResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.PendingStatus;
import io.walletledger.protocol.sbe.ResultCode;
import io.walletledger.protocol.sbe.TransferFlagsDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;

import static io.walletledger.protocol.GoldenFrames.assertUInt128;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Decodes the checked-in version 2 frames of the templates version 1 already had, with the codecs generated from
 * today's schema, and checks every value by hand: the version 2 fields of the lookups and the result codes version 2
 * added. It also decodes them as a version 1 client does (acting version 1), which must read every version 1 field
 * where it always was and nothing of version 2, and decodes the version 1 lookups as a version 2 client does. The
 * values are the ones {@link GoldenFileWriter} wrote, spelled out here on purpose; {@link PolicyGoldenFileV2Test}
 * covers the templates version 2 added.
 */
final class ProtocolGoldenFileV2Test
{
    private static final int VERSION_V1 = 1;
    private static final int VERSION_V2 = 2;
    private static final int ROOT_BLOCK_LENGTH = 8;
    private static final int ERROR_ROOT_BLOCK_LENGTH = 10;
    private static final int LOOKUP_ACCOUNTS_ELEMENT_LENGTH_V1 = 63;
    private static final int LOOKUP_ACCOUNTS_ELEMENT_LENGTH_V2 = 96;
    private static final int LOOKUP_TRANSFERS_ELEMENT_LENGTH_V1 = 103;
    private static final int LOOKUP_TRANSFERS_ELEMENT_LENGTH_V2 = 119;
    /** Offset of the version field of the message header in a frame. */
    private static final int HEADER_VERSION_OFFSET = FrameDescriptor.MESSAGE_OFFSET + 6;

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();

    @ParameterizedTest
    @ValueSource(strings = {
        "CreateAccounts", "CreateAccountsResponse", "CreateTransfers", "CreateTransfersResponse", "LookupAccounts",
        "LookupAccountsResponse", "LookupTransfers", "LookupTransfersResponse", "ErrorResponse",
        "CommandResultsResponse", "AccountCommands", "SetAccountLimits", "SetCodeLimits", "SetFees",
        "SetReviewThresholds", "ReviewTransfers", "SetPolicySettings", "LookupPolicies", "LookupPoliciesResponse" })
    void lengthPrefixCountsEverythingAfterItself(final String messageName)
    {
        final byte[] frame = GoldenFrames.read(VERSION_V2, messageName);
        final UnsafeBuffer buffer = new UnsafeBuffer(frame);

        assertEquals(
            frame.length - FrameDescriptor.LENGTH_FIELD_LENGTH,
            buffer.getInt(FrameDescriptor.LENGTH_FIELD_OFFSET, FrameDescriptor.BYTE_ORDER),
            messageName);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "CreateAccounts", "CreateTransfers", "LookupAccounts", "LookupTransfers", "AccountCommands", "SetAccountLimits",
        "SetCodeLimits", "SetFees", "SetReviewThresholds", "ReviewTransfers", "SetPolicySettings", "LookupPolicies" })
    void requestValidatorAcceptsEveryVersionTwoRequest(final String messageName)
    {
        final byte[] frame = GoldenFrames.read(VERSION_V2, messageName);
        final RequestValidator validator = new RequestValidator(ProtocolLimits.BATCH_EVENTS_MAX_DEFAULT);

        assertNull(validator.validate(
            new UnsafeBuffer(frame), FrameDescriptor.MESSAGE_OFFSET, frame.length - FrameDescriptor.LENGTH_FIELD_LENGTH),
            messageName);
    }

    @ParameterizedTest
    @ValueSource(strings = { "CreateAccounts", "CreateTransfers", "LookupAccounts", "LookupTransfers", "ErrorResponse" })
    void templateUnchangedInVersionTwoEncodesAsInVersionOneButForTheHeaderVersion(final String messageName)
    {
        final byte[] v1 = GoldenFrames.read(VERSION_V1, messageName);
        final byte[] v2 = GoldenFrames.read(VERSION_V2, messageName);
        assertEquals(VERSION_V1, new UnsafeBuffer(v1).getShort(HEADER_VERSION_OFFSET, FrameDescriptor.BYTE_ORDER));
        assertEquals(VERSION_V2, new UnsafeBuffer(v2).getShort(HEADER_VERSION_OFFSET, FrameDescriptor.BYTE_ORDER));

        final byte[] v2AsV1 = Arrays.copyOf(v2, v2.length);
        new UnsafeBuffer(v2AsV1).putShort(HEADER_VERSION_OFFSET, (short)VERSION_V1, FrameDescriptor.BYTE_ORDER);
        assertArrayEquals(v1, v2AsV1, messageName);
    }

    @Test
    void decodesCreateAccounts()
    {
        final DirectBuffer buffer = GoldenFrames.buffer(VERSION_V2, "CreateAccounts");
        GoldenFrames.assertHeader(header, buffer, ROOT_BLOCK_LENGTH, 1, VERSION_V2);

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
    void decodesCreateAccountsResponseWithAResultCodeOfVersionTwo()
    {
        final DirectBuffer buffer = GoldenFrames.buffer(VERSION_V2, "CreateAccountsResponse");
        GoldenFrames.assertHeader(header, buffer, ROOT_BLOCK_LENGTH, 2, VERSION_V2);

        final CreateAccountsResponseDecoder decoder = new CreateAccountsResponseDecoder()
            .wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header);
        assertEquals(0xC1C2_C3C4_C5C6_C7C8L, decoder.correlationId());

        final CreateAccountsResponseDecoder.ResultsDecoder results = decoder.results();
        assertEquals(4, results.count());
        assertEquals(4, results.actingBlockLength());

        results.next();
        assertEquals(0, results.index());
        assertEquals(ResultCode.LINKED_EVENT_FAILED, results.result());
        results.next();
        assertEquals(7, results.index());
        assertEquals(ResultCode.EXISTS_WITH_DIFFERENT_USER_DATA, results.result());
        results.next();
        assertEquals(8190, results.index());
        assertEquals(79, results.resultRaw(), "LIMITED_ACCOUNTS_FULL");
        assertEquals(ResultCode.LIMITED_ACCOUNTS_FULL, results.result());
        results.next();
        assertEquals(65534, results.index());
        assertEquals(ResultCode.CURRENCY_UNKNOWN, results.result());

        assertFalse(results.hasNext());
        assertEquals(buffer.capacity(), decoder.limit(), "decoding must consume the frame exactly");
    }

    @Test
    void decodesCreateTransfers()
    {
        final DirectBuffer buffer = GoldenFrames.buffer(VERSION_V2, "CreateTransfers");
        GoldenFrames.assertHeader(header, buffer, ROOT_BLOCK_LENGTH, 3, VERSION_V2);

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
        assertTransferFlags(transfers.flags(), true, true, false, false, false);

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
        assertTransferFlags(transfers.flags(), false, false, true, false, false);

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
        assertTransferFlags(transfers.flags(), true, false, false, true, false);

        assertFalse(transfers.hasNext());
        assertEquals(buffer.capacity(), decoder.limit(), "decoding must consume the frame exactly");
    }

    @Test
    void decodesCreateTransfersResponseWithEveryTransferResultCodeOfVersionTwo()
    {
        final DirectBuffer buffer = GoldenFrames.buffer(VERSION_V2, "CreateTransfersResponse");
        GoldenFrames.assertHeader(header, buffer, ROOT_BLOCK_LENGTH, 4, VERSION_V2);

        final CreateTransfersResponseDecoder decoder = new CreateTransfersResponseDecoder()
            .wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header);
        assertEquals(0x8000_0000_0000_0000L, decoder.correlationId());

        final CreateTransfersResponseDecoder.ResultsDecoder results = decoder.results();
        assertEquals(15, results.count());
        assertEquals(4, results.actingBlockLength());

        assertNextResult(results, 1, 55, ResultCode.EXCEEDS_CREDITS);
        assertNextResult(results, 2, 45, ResultCode.PENDING_TRANSFER_EXPIRED);
        assertNextResult(results, 3, 58, ResultCode.HELD_FOR_REVIEW);
        assertNextResult(results, 4, 59, ResultCode.CREDIT_ACCOUNT_FROZEN);
        assertNextResult(results, 5, 60, ResultCode.EXCEEDS_TRANSFER_AMOUNT_LIMIT);
        assertNextResult(results, 6, 61, ResultCode.EXCEEDS_DAILY_DEBIT_LIMIT);
        assertNextResult(results, 9, 62, ResultCode.EXCEEDS_VELOCITY_LIMIT);
        assertNextResult(results, 10, 63, ResultCode.REVIEW_REQUIRED_OUTSIDE_LINKED_CHAIN);
        assertNextResult(results, 0x0100, 64, ResultCode.PENDING_TRANSFER_UNDER_REVIEW);
        assertNextResult(results, 0x0FFF, 66, ResultCode.FEE_ACCOUNT_NOT_FOUND);
        assertNextResult(results, 0x1000, 67, ResultCode.FEE_ACCOUNT_HAS_DIFFERENT_CURRENCY);
        assertNextResult(results, 8188, 68, ResultCode.FEE_ACCOUNT_CLOSED);
        assertNextResult(results, 8189, 50, ResultCode.OVERFLOWS_DEBITS_POSTED);
        assertNextResult(results, 8190, 69, ResultCode.FEE_ACCOUNT_FROZEN);
        assertNextResult(results, 65534, 57, ResultCode.PENDING_TRANSFERS_FULL);

        assertFalse(results.hasNext());
        assertEquals(buffer.capacity(), decoder.limit(), "decoding must consume the frame exactly");
    }

    @Test
    void decodesLookupAccounts()
    {
        final DirectBuffer buffer = GoldenFrames.buffer(VERSION_V2, "LookupAccounts");
        GoldenFrames.assertHeader(header, buffer, ROOT_BLOCK_LENGTH, 5, VERSION_V2);

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
    void decodesLookupAccountsResponseWithItsVersionTwoFields()
    {
        final DirectBuffer buffer = GoldenFrames.buffer(VERSION_V2, "LookupAccountsResponse");
        GoldenFrames.assertHeader(header, buffer, ROOT_BLOCK_LENGTH, 6, VERSION_V2);

        final LookupAccountsResponseDecoder decoder = new LookupAccountsResponseDecoder()
            .wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header);
        assertEquals(0xFFFF_FFFF_FFFF_FFFEL, decoder.correlationId());

        final LookupAccountsResponseDecoder.AccountsDecoder accounts = decoder.accounts();
        assertEquals(4, accounts.count());
        assertEquals(LOOKUP_ACCOUNTS_ELEMENT_LENGTH_V2, accounts.actingBlockLength());

        accounts.next();
        assertAccountOneVersionOneFields(accounts);
        assertEquals(FreezeScope.NONE, accounts.freezeScope());
        assertEquals(0x1111_2222_3333_4444L, accounts.transferAmountLimit());
        assertEquals(Long.MAX_VALUE, accounts.dailyDebitLimit());
        assertEquals(0xA0BL, accounts.dailyDebitsUsed());
        assertEquals(1024L, accounts.velocityDebitLimit());
        assertEquals(86_400L, accounts.velocityWindowSeconds());

        accounts.next();
        assertAccountTwoVersionOneFields(accounts);
        assertEquals(FreezeScope.DEBITS, accounts.freezeScope());
        assertEquals(1L, accounts.transferAmountLimit());
        assertEquals(0x0FFF_FFFF_FFFF_FFFFL, accounts.dailyDebitLimit());
        assertEquals(0x0FFF_FFFF_FFFF_FFFEL, accounts.dailyDebitsUsed());
        assertEquals(0xFFFF_FFFEL, accounts.velocityDebitLimit());
        assertEquals(0x8000_0001L, accounts.velocityWindowSeconds());

        accounts.next();
        assertAccountThreeVersionOneFields(accounts);
        assertEquals(FreezeScope.NONE, accounts.freezeScope());
        assertEquals(0x7654_3210_FEDC_BA98L, accounts.transferAmountLimit());
        assertEquals(0x0000_0001_0000_0000L, accounts.dailyDebitLimit());
        assertEquals(0x0000_0000_FFFF_FFFFL, accounts.dailyDebitsUsed());
        assertEquals(16L, accounts.velocityDebitLimit());
        assertEquals(1L, accounts.velocityWindowSeconds());

        accounts.next();
        assertAccountFourVersionOneFields(accounts);
        assertEquals(FreezeScope.ALL, accounts.freezeScope());
        assertEquals(0L, accounts.transferAmountLimit());
        assertEquals(0L, accounts.dailyDebitLimit());
        assertEquals(0L, accounts.dailyDebitsUsed());
        assertEquals(0L, accounts.velocityDebitLimit());
        assertEquals(0L, accounts.velocityWindowSeconds());

        assertFalse(accounts.hasNext());
        assertEquals(buffer.capacity(), decoder.limit(), "decoding must consume the frame exactly");
    }

    @Test
    void versionOneClientReadsLookupAccountsResponseOfVersionTwo()
    {
        final DirectBuffer buffer = GoldenFrames.buffer(VERSION_V2, "LookupAccountsResponse");
        GoldenFrames.assertHeader(header, buffer, ROOT_BLOCK_LENGTH, 6, VERSION_V2);

        // What a client built from the version 1 schema does: its own version, the sender's block lengths.
        final LookupAccountsResponseDecoder decoder = new LookupAccountsResponseDecoder().wrap(
            buffer, FrameDescriptor.MESSAGE_OFFSET + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), VERSION_V1);
        assertEquals(VERSION_V1, decoder.actingVersion());
        assertEquals(0xFFFF_FFFF_FFFF_FFFEL, decoder.correlationId());

        final LookupAccountsResponseDecoder.AccountsDecoder accounts = decoder.accounts();
        assertEquals(4, accounts.count());
        assertEquals(LOOKUP_ACCOUNTS_ELEMENT_LENGTH_V2, accounts.actingBlockLength(),
            "steps over the fields it does not know");

        accounts.next();
        assertAccountOneVersionOneFields(accounts);
        assertNoVersionTwoAccountFields(accounts);
        accounts.next();
        assertAccountTwoVersionOneFields(accounts);
        assertNoVersionTwoAccountFields(accounts);
        accounts.next();
        assertAccountThreeVersionOneFields(accounts);
        assertNoVersionTwoAccountFields(accounts);
        accounts.next();
        assertAccountFourVersionOneFields(accounts);
        assertNoVersionTwoAccountFields(accounts);

        assertFalse(accounts.hasNext());
        assertEquals(buffer.capacity(), decoder.limit(), "decoding must consume the frame exactly");
    }

    @Test
    void versionTwoClientReadsLookupAccountsResponseOfVersionOne()
    {
        final DirectBuffer buffer = GoldenFrames.buffer(VERSION_V1, "LookupAccountsResponse");
        GoldenFrames.assertHeader(header, buffer, ROOT_BLOCK_LENGTH, 6, VERSION_V1);

        final LookupAccountsResponseDecoder decoder = new LookupAccountsResponseDecoder()
            .wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header);
        final LookupAccountsResponseDecoder.AccountsDecoder accounts = decoder.accounts();
        assertEquals(3, accounts.count());
        assertEquals(LOOKUP_ACCOUNTS_ELEMENT_LENGTH_V1, accounts.actingBlockLength());

        accounts.next();
        assertAccountOneVersionOneFields(accounts);
        assertNoVersionTwoAccountFields(accounts);
        accounts.next();
        assertAccountTwoVersionOneFields(accounts);
        assertNoVersionTwoAccountFields(accounts);
        accounts.next();
        assertAccountThreeVersionOneFields(accounts);
        assertNoVersionTwoAccountFields(accounts);

        assertFalse(accounts.hasNext());
        assertEquals(buffer.capacity(), decoder.limit(), "decoding must consume the frame exactly");
    }

    @Test
    void decodesLookupTransfers()
    {
        final DirectBuffer buffer = GoldenFrames.buffer(VERSION_V2, "LookupTransfers");
        GoldenFrames.assertHeader(header, buffer, ROOT_BLOCK_LENGTH, 7, VERSION_V2);

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
    void decodesLookupTransfersResponseWithItsVersionTwoFieldsAndTheReviewFlag()
    {
        final DirectBuffer buffer = GoldenFrames.buffer(VERSION_V2, "LookupTransfersResponse");
        GoldenFrames.assertHeader(header, buffer, ROOT_BLOCK_LENGTH, 8, VERSION_V2);

        final LookupTransfersResponseDecoder decoder = new LookupTransfersResponseDecoder()
            .wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header);
        assertEquals(1L, decoder.correlationId());

        final LookupTransfersResponseDecoder.TransfersDecoder transfers = decoder.transfers();
        assertEquals(4, transfers.count());
        assertEquals(LOOKUP_TRANSFERS_ELEMENT_LENGTH_V2, transfers.actingBlockLength());

        transfers.next();
        assertTransferOneVersionOneFields(transfers);
        assertEquals(0x7E7E_7E7E_7E7E_7E7EL, transfers.fee());
        assertEquals(0xFEE0_0000_0000_0001L, transfers.feeAccountId());

        transfers.next();
        assertTransferTwoVersionOneFields(transfers);
        assertEquals(1L, transfers.fee());
        assertEquals(0x8000_0000_0000_0000L, transfers.feeAccountId());

        transfers.next();
        assertTransferThreeVersionOneFields(transfers);
        assertEquals(Long.MAX_VALUE, transfers.fee());
        assertEquals(0xFFFF_FFFF_FFFF_FFFEL, transfers.feeAccountId());

        transfers.next();
        assertTransferFourVersionOneFields(transfers);
        assertEquals(0L, transfers.fee());
        assertEquals(0L, transfers.feeAccountId());

        assertFalse(transfers.hasNext());
        assertEquals(buffer.capacity(), decoder.limit(), "decoding must consume the frame exactly");
    }

    @Test
    void versionOneClientReadsLookupTransfersResponseOfVersionTwo()
    {
        final DirectBuffer buffer = GoldenFrames.buffer(VERSION_V2, "LookupTransfersResponse");
        GoldenFrames.assertHeader(header, buffer, ROOT_BLOCK_LENGTH, 8, VERSION_V2);

        final LookupTransfersResponseDecoder decoder = new LookupTransfersResponseDecoder().wrap(
            buffer, FrameDescriptor.MESSAGE_OFFSET + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), VERSION_V1);
        assertEquals(VERSION_V1, decoder.actingVersion());
        assertEquals(1L, decoder.correlationId());

        final LookupTransfersResponseDecoder.TransfersDecoder transfers = decoder.transfers();
        assertEquals(4, transfers.count());
        assertEquals(LOOKUP_TRANSFERS_ELEMENT_LENGTH_V2, transfers.actingBlockLength(),
            "steps over the fields it does not know");

        transfers.next();
        assertTransferOneVersionOneFields(transfers);
        assertNoVersionTwoTransferFields(transfers);
        transfers.next();
        assertTransferTwoVersionOneFields(transfers);
        assertNoVersionTwoTransferFields(transfers);
        transfers.next();
        assertTransferThreeVersionOneFields(transfers);
        assertNoVersionTwoTransferFields(transfers);
        transfers.next();
        // A version 1 client sees a hold (pending, status PENDING) with bit 4 set, a flag it has no name for.
        assertTransferFourVersionOneFields(transfers);
        assertNoVersionTwoTransferFields(transfers);

        assertFalse(transfers.hasNext());
        assertEquals(buffer.capacity(), decoder.limit(), "decoding must consume the frame exactly");
    }

    @Test
    void versionTwoClientReadsLookupTransfersResponseOfVersionOne()
    {
        final DirectBuffer buffer = GoldenFrames.buffer(VERSION_V1, "LookupTransfersResponse");
        GoldenFrames.assertHeader(header, buffer, ROOT_BLOCK_LENGTH, 8, VERSION_V1);

        final LookupTransfersResponseDecoder decoder = new LookupTransfersResponseDecoder()
            .wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header);
        final LookupTransfersResponseDecoder.TransfersDecoder transfers = decoder.transfers();
        assertEquals(3, transfers.count());
        assertEquals(LOOKUP_TRANSFERS_ELEMENT_LENGTH_V1, transfers.actingBlockLength());

        transfers.next();
        assertUInt128(transfers.id(), 0x0102_0304_0506_0708L, 0x8182_8384_8586_8788L);
        assertNoVersionTwoTransferFields(transfers);
        transfers.next();
        assertUInt128(transfers.id(), 0x3132_3334_3536_3738L, 0xB1B2_B3B4_B5B6_B7B8L);
        assertNoVersionTwoTransferFields(transfers);
        transfers.next();
        assertUInt128(transfers.id(), 0xFFFF_FFFF_FFFF_FFFFL, 0x0000_0000_0000_0001L);
        assertEquals(0xFFFL, transfers.amount(), "the version 1 file's own amount");
        assertNoVersionTwoTransferFields(transfers);

        assertFalse(transfers.hasNext());
        assertEquals(buffer.capacity(), decoder.limit(), "decoding must consume the frame exactly");
    }

    @Test
    void decodesErrorResponse()
    {
        final DirectBuffer buffer = GoldenFrames.buffer(VERSION_V2, "ErrorResponse");
        GoldenFrames.assertHeader(header, buffer, ERROR_ROOT_BLOCK_LENGTH, 9, VERSION_V2);

        final ErrorResponseDecoder decoder = new ErrorResponseDecoder()
            .wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header);
        assertEquals(0xE1E2_E3E4_E5E6_E7E8L, decoder.correlationId());
        assertEquals(ErrorCode.BATCH_TOO_LARGE, decoder.code());
        assertEquals(67, decoder.messageLength(), "UTF-8 bytes, not chars");
        assertEquals("batch of 8191 events exceeds batchEventsMax 8190 \u2014 r\u00e9essayez \u2713", decoder.message());

        assertEquals(buffer.capacity(), decoder.limit(), "decoding must consume the frame exactly");
    }

    // ---------------------------------------------------------------------------------------------------
    // The version 1 fields of the lookup responses: the same in the version 2 frames, whoever decodes them.

    private static void assertAccountOneVersionOneFields(final LookupAccountsResponseDecoder.AccountsDecoder accounts)
    {
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
    }

    private static void assertAccountTwoVersionOneFields(final LookupAccountsResponseDecoder.AccountsDecoder accounts)
    {
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
    }

    private static void assertAccountThreeVersionOneFields(final LookupAccountsResponseDecoder.AccountsDecoder accounts)
    {
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
    }

    private static void assertAccountFourVersionOneFields(final LookupAccountsResponseDecoder.AccountsDecoder accounts)
    {
        assertEquals(0x4000_0000_0000_0004L, accounts.id());
        assertEquals(0x404L, accounts.debitsPending());
        assertEquals(0x4_0404L, accounts.debitsPosted());
        assertEquals(0x4_0404_0404L, accounts.creditsPending());
        assertEquals(0x4_0404_0404_0404L, accounts.creditsPosted());
        assertEquals(0x4444_4444_4444_4444L, accounts.userData());
        assertEquals(1_767_225_601_000_000_004L, accounts.timestamp());
        assertEquals(978, accounts.currency());
        assertEquals(0x8000, accounts.code());
        assertAccountFlags(accounts.flags(), false, true, false);
        assertEquals(AccountStatus.FROZEN, accounts.status());
    }

    /** What the decoder of today's schema answers, acting as version 1, for fields added in version 2. */
    private static void assertNoVersionTwoAccountFields(final LookupAccountsResponseDecoder.AccountsDecoder accounts)
    {
        assertEquals(FreezeScope.NULL_VAL, accounts.freezeScope());
        assertEquals((short)255, accounts.freezeScopeRaw());
        assertEquals(Long.MIN_VALUE, accounts.transferAmountLimit());
        assertEquals(
            LookupAccountsResponseDecoder.AccountsDecoder.transferAmountLimitNullValue(), accounts.transferAmountLimit());
        assertEquals(Long.MIN_VALUE, accounts.dailyDebitLimit());
        assertEquals(LookupAccountsResponseDecoder.AccountsDecoder.dailyDebitLimitNullValue(), accounts.dailyDebitLimit());
        assertEquals(Long.MIN_VALUE, accounts.dailyDebitsUsed());
        assertEquals(LookupAccountsResponseDecoder.AccountsDecoder.dailyDebitsUsedNullValue(), accounts.dailyDebitsUsed());
        assertEquals(0xFFFF_FFFFL, accounts.velocityDebitLimit());
        assertEquals(
            LookupAccountsResponseDecoder.AccountsDecoder.velocityDebitLimitNullValue(), accounts.velocityDebitLimit());
        assertEquals(0xFFFF_FFFFL, accounts.velocityWindowSeconds());
        assertEquals(LookupAccountsResponseDecoder.AccountsDecoder.velocityWindowSecondsNullValue(),
            accounts.velocityWindowSeconds());
    }

    private static void assertTransferOneVersionOneFields(final LookupTransfersResponseDecoder.TransfersDecoder transfers)
    {
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
        assertTransferFlags(transfers.flags(), true, true, false, false, false);
        assertEquals(PendingStatus.PENDING, transfers.pendingStatus());
    }

    private static void assertTransferTwoVersionOneFields(final LookupTransfersResponseDecoder.TransfersDecoder transfers)
    {
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
        assertTransferFlags(transfers.flags(), false, false, true, false, false);
        assertEquals(PendingStatus.NONE, transfers.pendingStatus());
    }

    private static void assertTransferThreeVersionOneFields(final LookupTransfersResponseDecoder.TransfersDecoder transfers)
    {
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
        assertTransferFlags(transfers.flags(), true, false, false, true, false);
        assertEquals(PendingStatus.EXPIRED, transfers.pendingStatus());
    }

    private static void assertTransferFourVersionOneFields(final LookupTransfersResponseDecoder.TransfersDecoder transfers)
    {
        assertUInt128(transfers.id(), 0x0A0B_0C0D_0E0F_1011L, 0x2000_0000_0000_0000L);
        assertEquals(0x0000_0000_0000_0D04L, transfers.debitAccountId());
        assertEquals(0x0000_0000_0000_0C04L, transfers.creditAccountId());
        assertEquals(1_000_000_001L, transfers.amount());
        assertUInt128(transfers.pendingId(), 0L, 0L);
        assertUInt128(transfers.userData128(), 0x7172_7374_7576_7778L, 0xF1F2_F3F4_F5F6_F7F8L);
        assertEquals(0x4444_4444_4444_4444L, transfers.userData64());
        assertEquals(0x4444_4444L, transfers.userData32());
        assertEquals(0L, transfers.timeout());
        assertEquals(1_767_225_601_000_000_004L, transfers.timestamp());
        assertEquals(978, transfers.currency());
        assertEquals(0x0D0E, transfers.code());
        assertTransferFlags(transfers.flags(), false, true, false, false, true);
        assertEquals(PendingStatus.PENDING, transfers.pendingStatus());
    }

    private static void assertNoVersionTwoTransferFields(final LookupTransfersResponseDecoder.TransfersDecoder transfers)
    {
        assertEquals(Long.MIN_VALUE, transfers.fee());
        assertEquals(LookupTransfersResponseDecoder.TransfersDecoder.feeNullValue(), transfers.fee());
        assertEquals(0xFFFF_FFFF_FFFF_FFFFL, transfers.feeAccountId());
        assertEquals(LookupTransfersResponseDecoder.TransfersDecoder.feeAccountIdNullValue(), transfers.feeAccountId());
    }

    private static void assertNextResult(
        final CreateTransfersResponseDecoder.ResultsDecoder results, final int index, final int value, final ResultCode code)
    {
        results.next();
        assertEquals(index, results.index(), "index");
        assertEquals(value, results.resultRaw(), code.name());
        assertEquals(code, results.result());
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
        final boolean voidPending,
        final boolean review)
    {
        assertEquals(linked, flags.linked(), "linked");
        assertEquals(pending, flags.pending(), "pending");
        assertEquals(postPending, flags.postPending(), "postPending");
        assertEquals(voidPending, flags.voidPending(), "voidPending");
        assertEquals(review, flags.review(), "review");
        final int knownBits =
            (linked ? 1 : 0) | (pending ? 2 : 0) | (postPending ? 4 : 0) | (voidPending ? 8 : 0) | (review ? 16 : 0);
        assertEquals(knownBits, flags.getRaw(), "no other bit may be set");
    }
}
