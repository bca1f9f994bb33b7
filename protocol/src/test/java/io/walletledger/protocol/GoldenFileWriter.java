package io.walletledger.protocol;

import io.walletledger.protocol.sbe.AccountStatus;
import io.walletledger.protocol.sbe.CreateAccountsEncoder;
import io.walletledger.protocol.sbe.CreateAccountsResponseEncoder;
import io.walletledger.protocol.sbe.CreateTransfersEncoder;
import io.walletledger.protocol.sbe.CreateTransfersResponseEncoder;
import io.walletledger.protocol.sbe.ErrorCode;
import io.walletledger.protocol.sbe.ErrorResponseEncoder;
import io.walletledger.protocol.sbe.FreezeScope;
import io.walletledger.protocol.sbe.LookupAccountsEncoder;
import io.walletledger.protocol.sbe.LookupAccountsResponseEncoder;
import io.walletledger.protocol.sbe.LookupTransfersEncoder;
import io.walletledger.protocol.sbe.LookupTransfersResponseEncoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.protocol.sbe.PendingStatus;
import io.walletledger.protocol.sbe.ResultCode;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;

/**
 * Writes the golden frames that {@link ProtocolGoldenFileV2Test} and {@link PolicyGoldenFileV2Test} decode: one file
 * per message template, each one complete frame (length prefix, message header, body) with fixed, distinctive
 * values, every field set explicitly. It exists so the files can be reproduced and reviewed; the test suite never
 * runs it.
 * <p>
 * The files of a released version must never be rewritten: they stand for what old clients send and
 * expect. The writer therefore writes into {@code v<current schema version>} and refuses to replace a
 * file that is already there. From the project's root, after {@code ./mvnw -q -pl protocol test-compile}:
 * <pre>
 *   java --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED \
 *       -cp protocol/target/classes:protocol/target/test-classes:$HOME/.m2/repository/org/agrona/agrona/2.6.0/agrona-2.6.0.jar \
 *       io.walletledger.protocol.GoldenFileWriter protocol/src/test/resources/golden
 * </pre>
 * This version writes {@code v5}: the hold policies and {@code SkipJournalEntries} ({@link HoldPolicyGoldenFrames}).
 * The {@code v4} files, the history templates ({@link HistoryGoldenFrames}), came from {@code writeVersion4}. The
 * {@code v3} files, the
 * authentication templates ({@link AuthGoldenFrames}), came from {@code writeVersion3}. The {@code v2} files,
 * the version 1 templates with their version 2 fields and result codes and the policy templates
 * ({@link PolicyGoldenFrames}), came from {@code writeVersion2}. The {@code v1} files came from this class as it was at version 1;
 * {@link ProtocolGoldenFileTest} spells out their values. Every value below is also spelled out in
 * {@link ProtocolGoldenFileV2Test}; change neither without the other.
 */
public final class GoldenFileWriter
{
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(4096);

    /**
     * @param args the golden directory (the one holding {@code v1}, {@code v2}, ...).
     * @throws IOException if a file cannot be written.
     */
    public static void main(final String[] args) throws IOException
    {
        if (args.length != 1)
        {
            System.err.println("usage: GoldenFileWriter <golden directory, e.g. protocol/src/test/resources/golden>");
            System.exit(2);
        }
        final Path directory = Paths.get(args[0]).resolve("v" + MessageHeaderEncoder.SCHEMA_VERSION);
        Files.createDirectories(directory);

        final GoldenFileWriter writer = new GoldenFileWriter();
        // Version 5 added the hold policies and SkipJournalEntries: the frames of the older templates are those of
        // v2 to v4.
        final HoldPolicyGoldenFrames holds = new HoldPolicyGoldenFrames(writer.header);
        writer.write(directory, "SetPolicySettings", holds.setPolicySettings(writer.clear()));
        writer.write(directory, "LookupPoliciesResponse", holds.lookupPoliciesResponse(writer.clear()));
        writer.write(directory, "CreateTransfersResponse", holds.createTransfersResponse(writer.clear()));
        writer.write(directory, "SkipJournalEntries", holds.skipJournalEntries(writer.clear()));
    }

    /**
     * The frames of version 4, as this class wrote them at that version (kept so they can be reproduced).
     */
    @SuppressWarnings("unused")
    private static void writeVersion4(final GoldenFileWriter writer, final Path directory) throws IOException
    {
        // Version 4 added only the history templates and two error codes: the frames of the older templates are
        // those of v2 and v3.
        final HistoryGoldenFrames history = new HistoryGoldenFrames(writer.header);
        writer.write(directory, "LookupAccountHistory", history.lookupAccountHistory(writer.clear()));
        writer.write(directory, "LookupAccountHistoryResponse", history.lookupAccountHistoryResponse(writer.clear()));
        writer.write(directory, "ErrorResponse", history.errorResponse(writer.clear()));
        writer.write(directory, "SetLedgerSettings", history.setLedgerSettings(writer.clear()));
    }

    /**
     * The frames of version 3, as this class wrote them at that version (kept so they can be reproduced).
     */
    @SuppressWarnings("unused")
    private static void writeVersion3(final GoldenFileWriter writer, final Path directory) throws IOException
    {
        // Version 3 added only the authentication templates and three error codes: the frames of the older
        // templates are those of v2 (a version 3 client sends the same bytes but for the header's version).
        final AuthGoldenFrames auth = new AuthGoldenFrames(writer.header);
        writer.write(directory, "AuthHello", auth.authHello(writer.clear()));
        writer.write(directory, "AuthChallenge", auth.authChallenge(writer.clear()));
        writer.write(directory, "AuthProof", auth.authProof(writer.clear()));
        writer.write(directory, "AuthResult", auth.authResult(writer.clear()));
        writer.write(directory, "ErrorResponse", auth.errorResponse(writer.clear()));
    }

    /**
     * The frames of version 2, as this class wrote them at that version (kept so they can be reproduced).
     */
    @SuppressWarnings("unused")
    private static void writeVersion2(final GoldenFileWriter writer, final Path directory) throws IOException
    {
        writer.write(directory, "CreateAccounts", writer.createAccounts());
        writer.write(directory, "CreateAccountsResponse", writer.createAccountsResponse());
        writer.write(directory, "CreateTransfers", writer.createTransfers());
        writer.write(directory, "CreateTransfersResponse", writer.createTransfersResponse());
        writer.write(directory, "LookupAccounts", writer.lookupAccounts());
        writer.write(directory, "LookupAccountsResponse", writer.lookupAccountsResponse());
        writer.write(directory, "LookupTransfers", writer.lookupTransfers());
        writer.write(directory, "LookupTransfersResponse", writer.lookupTransfersResponse());
        writer.write(directory, "ErrorResponse", writer.errorResponse());

        final PolicyGoldenFrames policies = new PolicyGoldenFrames(writer.header);
        writer.write(directory, "CommandResultsResponse", policies.commandResultsResponse(writer.clear()));
        writer.write(directory, "AccountCommands", policies.accountCommands(writer.clear()));
        writer.write(directory, "SetAccountLimits", policies.setAccountLimits(writer.clear()));
        writer.write(directory, "SetCodeLimits", policies.setCodeLimits(writer.clear()));
        writer.write(directory, "SetFees", policies.setFees(writer.clear()));
        writer.write(directory, "SetReviewThresholds", policies.setReviewThresholds(writer.clear()));
        writer.write(directory, "ReviewTransfers", policies.reviewTransfers(writer.clear()));
        writer.write(directory, "SetPolicySettings", policies.setPolicySettings(writer.clear()));
        writer.write(directory, "LookupPolicies", policies.lookupPolicies(writer.clear()));
        writer.write(directory, "LookupPoliciesResponse", policies.lookupPoliciesResponse(writer.clear()));
    }

    private void write(final Path directory, final String messageName, final int messageLength) throws IOException
    {
        final Path file = directory.resolve(messageName + ".bin");
        if (Files.exists(file))
        {
            throw new IllegalStateException(file + " exists; golden files of a schema version are never rewritten");
        }
        buffer.putInt(FrameDescriptor.LENGTH_FIELD_OFFSET, messageLength, FrameDescriptor.BYTE_ORDER);
        final byte[] frame = Arrays.copyOf(buffer.byteArray(), FrameDescriptor.LENGTH_FIELD_LENGTH + messageLength);
        Files.write(file, frame);
        System.out.println("wrote " + file + " (" + frame.length + " bytes)");
    }

    private int createAccounts()
    {
        final CreateAccountsEncoder encoder = new CreateAccountsEncoder();
        encoder.wrapAndApplyHeader(clear(), FrameDescriptor.MESSAGE_OFFSET, header)
            .correlationId(0xC1C2_C3C4_C5C6_C7C8L);

        final CreateAccountsEncoder.AccountsEncoder accounts = encoder.accountsCount(3);
        accounts.next()
            .id(0x8000_0000_0000_0001L)
            .userData(0xFEDC_BA98_7654_3210L)
            .currency(840)
            .code(65534);
        accounts.flags().clear().linked(true).debitsMustNotExceedCredits(true);
        accounts.next()
            .id(0x0123_4567_89AB_CDEFL)
            .userData(0xFFFF_FFFF_FFFF_FFFEL)
            .currency(392)
            .code(1);
        accounts.flags().clear().creditsMustNotExceedDebits(true);
        accounts.next()
            .id(0x7FFF_FFFF_FFFF_FFFEL)
            .userData(0x0000_0000_0000_0001L)
            .currency(1001)
            .code(0x1234);
        accounts.flags().clear().linked(true).creditsMustNotExceedDebits(true);

        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private int createAccountsResponse()
    {
        final CreateAccountsResponseEncoder encoder = new CreateAccountsResponseEncoder();
        encoder.wrapAndApplyHeader(clear(), FrameDescriptor.MESSAGE_OFFSET, header)
            .correlationId(0xC1C2_C3C4_C5C6_C7C8L);

        final CreateAccountsResponseEncoder.ResultsEncoder results = encoder.resultsCount(4);
        results.next().index(0).result(ResultCode.LINKED_EVENT_FAILED);
        results.next().index(7).result(ResultCode.EXISTS_WITH_DIFFERENT_USER_DATA);
        results.next().index(8190).result(ResultCode.LIMITED_ACCOUNTS_FULL);
        results.next().index(65534).result(ResultCode.CURRENCY_UNKNOWN);

        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private int createTransfers()
    {
        final CreateTransfersEncoder encoder = new CreateTransfersEncoder();
        encoder.wrapAndApplyHeader(clear(), FrameDescriptor.MESSAGE_OFFSET, header)
            .correlationId(0x8000_0000_0000_0000L);

        final CreateTransfersEncoder.TransfersEncoder transfers = encoder.transfersCount(3);
        transfers.next();
        transfers.id().lo(0x0102_0304_0506_0708L).hi(0x8182_8384_8586_8788L);
        transfers
            .debitAccountId(0xD000_0000_0000_0001L)
            .creditAccountId(0x0C00_0000_0000_0002L)
            .amount(Long.MAX_VALUE);
        transfers.pendingId().lo(0x1112_1314_1516_1718L).hi(0x9192_9394_9596_9798L);
        transfers.userData128().lo(0x2122_2324_2526_2728L).hi(0xA1A2_A3A4_A5A6_A7A8L);
        transfers
            .userData64(0xFFFF_FFFF_FFFF_FFFEL)
            .userData32(0xFFFF_FFFEL)
            .timeout(0x8000_0001L)
            .currency(840)
            .code(65534);
        transfers.flags().clear().linked(true).pending(true);

        transfers.next();
        transfers.id().lo(0x3132_3334_3536_3738L).hi(0xB1B2_B3B4_B5B6_B7B8L);
        transfers
            .debitAccountId(0x0000_0000_0000_0D02L)
            .creditAccountId(0x8000_0000_0000_0C02L)
            .amount(1L);
        transfers.pendingId().lo(0x0102_0304_0506_0708L).hi(0x8182_8384_8586_8788L);
        transfers.userData128().lo(0x4142_4344_4546_4748L).hi(0xC1C2_C3C4_C5C6_C7C8L);
        transfers
            .userData64(0x0000_0000_0000_0064L)
            .userData32(0x0000_0020L)
            .timeout(0L)
            .currency(392)
            .code(2);
        transfers.flags().clear().postPending(true);

        transfers.next();
        transfers.id().lo(0xFFFF_FFFF_FFFF_FFFFL).hi(0x0000_0000_0000_0001L);
        transfers
            .debitAccountId(0x0000_0000_0000_0D03L)
            .creditAccountId(0x0000_0000_0000_0C03L)
            .amount(0L);
        transfers.pendingId().lo(0x5152_5354_5556_5758L).hi(0xD1D2_D3D4_D5D6_D7D8L);
        transfers.userData128().lo(0x6162_6364_6566_6768L).hi(0xE1E2_E3E4_E5E6_E7E8L);
        transfers
            .userData64(0x7FFF_FFFF_FFFF_FFFFL)
            .userData32(0x7FFF_FFFFL)
            .timeout(86_400L)
            .currency(1001)
            .code(0xABCD);
        transfers.flags().clear().linked(true).voidPending(true);

        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private int createTransfersResponse()
    {
        final CreateTransfersResponseEncoder encoder = new CreateTransfersResponseEncoder();
        encoder.wrapAndApplyHeader(clear(), FrameDescriptor.MESSAGE_OFFSET, header)
            .correlationId(0x8000_0000_0000_0000L);

        // The version 1 entries, and between them every result code of version 2 that a transfer can get.
        final CreateTransfersResponseEncoder.ResultsEncoder results = encoder.resultsCount(15);
        results.next().index(1).result(ResultCode.EXCEEDS_CREDITS);
        results.next().index(2).result(ResultCode.PENDING_TRANSFER_EXPIRED);
        results.next().index(3).result(ResultCode.HELD_FOR_REVIEW);
        results.next().index(4).result(ResultCode.CREDIT_ACCOUNT_FROZEN);
        results.next().index(5).result(ResultCode.EXCEEDS_TRANSFER_AMOUNT_LIMIT);
        results.next().index(6).result(ResultCode.EXCEEDS_DAILY_DEBIT_LIMIT);
        results.next().index(9).result(ResultCode.EXCEEDS_VELOCITY_LIMIT);
        results.next().index(10).result(ResultCode.REVIEW_REQUIRED_OUTSIDE_LINKED_CHAIN);
        results.next().index(0x0100).result(ResultCode.PENDING_TRANSFER_UNDER_REVIEW);
        results.next().index(0x0FFF).result(ResultCode.FEE_ACCOUNT_NOT_FOUND);
        results.next().index(0x1000).result(ResultCode.FEE_ACCOUNT_HAS_DIFFERENT_CURRENCY);
        results.next().index(8188).result(ResultCode.FEE_ACCOUNT_CLOSED);
        results.next().index(8189).result(ResultCode.OVERFLOWS_DEBITS_POSTED);
        results.next().index(8190).result(ResultCode.FEE_ACCOUNT_FROZEN);
        results.next().index(65534).result(ResultCode.PENDING_TRANSFERS_FULL);

        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private int lookupAccounts()
    {
        final LookupAccountsEncoder encoder = new LookupAccountsEncoder();
        encoder.wrapAndApplyHeader(clear(), FrameDescriptor.MESSAGE_OFFSET, header)
            .correlationId(0xFFFF_FFFF_FFFF_FFFEL);

        final LookupAccountsEncoder.IdsEncoder ids = encoder.idsCount(4);
        ids.next().id(0x8000_0000_0000_0001L);
        ids.next().id(0xFFFF_FFFF_FFFF_FFFEL);
        ids.next().id(0x0123_4567_89AB_CDEFL);
        ids.next().id(1L);

        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private int lookupAccountsResponse()
    {
        final LookupAccountsResponseEncoder encoder = new LookupAccountsResponseEncoder();
        encoder.wrapAndApplyHeader(clear(), FrameDescriptor.MESSAGE_OFFSET, header)
            .correlationId(0xFFFF_FFFF_FFFF_FFFEL);

        final LookupAccountsResponseEncoder.AccountsEncoder accounts = encoder.accountsCount(4);
        accounts.next()
            .id(0x8000_0000_0000_0001L)
            .debitsPending(0x0000_0000_0000_0101L)
            .debitsPosted(0x0000_0000_0000_0202L)
            .creditsPending(0x0000_0000_0000_0303L)
            .creditsPosted(Long.MAX_VALUE)
            .userData(0xFEDC_BA98_7654_3210L)
            .timestamp(0x8000_0000_0000_0007L)
            .currency(840)
            .code(65534);
        accounts.flags().clear().linked(true).debitsMustNotExceedCredits(true);
        accounts.status(AccountStatus.ACTIVE)
            .freezeScope(FreezeScope.NONE)
            .transferAmountLimit(0x1111_2222_3333_4444L)
            .dailyDebitLimit(Long.MAX_VALUE)
            .dailyDebitsUsed(0x0000_0000_0000_0A0BL)
            .velocityDebitLimit(1024L)
            .velocityWindowSeconds(86_400L);

        accounts.next()
            .id(0xFFFF_FFFF_FFFF_FFFEL)
            .debitsPending(Long.MAX_VALUE - 1)
            .debitsPosted(0x1234_5678_9ABC_DEF0L)
            .creditsPending(0L)
            .creditsPosted(0x0FED_CBA9_8765_4321L)
            .userData(0xFFFF_FFFF_FFFF_FFFEL)
            .timestamp(1_767_225_600_123_456_789L)
            .currency(392)
            .code(1);
        accounts.flags().clear().creditsMustNotExceedDebits(true);
        accounts.status(AccountStatus.FROZEN)
            .freezeScope(FreezeScope.DEBITS)
            .transferAmountLimit(1L)
            .dailyDebitLimit(0x0FFF_FFFF_FFFF_FFFFL)
            .dailyDebitsUsed(0x0FFF_FFFF_FFFF_FFFEL)
            .velocityDebitLimit(0xFFFF_FFFEL)
            .velocityWindowSeconds(0x8000_0001L);

        accounts.next()
            .id(0x0123_4567_89AB_CDEFL)
            .debitsPending(5L)
            .debitsPosted(6L)
            .creditsPending(7L)
            .creditsPosted(8L)
            .userData(0L)
            .timestamp(1_767_225_600_999_999_999L)
            .currency(1001)
            .code(0x1234);
        accounts.flags().clear();
        accounts.status(AccountStatus.CLOSED)
            .freezeScope(FreezeScope.NONE)
            .transferAmountLimit(0x7654_3210_FEDC_BA98L)
            .dailyDebitLimit(0x0000_0001_0000_0000L)
            .dailyDebitsUsed(0x0000_0000_FFFF_FFFFL)
            .velocityDebitLimit(16L)
            .velocityWindowSeconds(1L);

        // New in version 2: an account frozen for credits too, without limits (0 = none).
        accounts.next()
            .id(0x4000_0000_0000_0004L)
            .debitsPending(0x0000_0000_0000_0404L)
            .debitsPosted(0x0000_0000_0004_0404L)
            .creditsPending(0x0000_0004_0404_0404L)
            .creditsPosted(0x0004_0404_0404_0404L)
            .userData(0x4444_4444_4444_4444L)
            .timestamp(1_767_225_601_000_000_004L)
            .currency(978)
            .code(0x8000);
        accounts.flags().clear().debitsMustNotExceedCredits(true);
        accounts.status(AccountStatus.FROZEN)
            .freezeScope(FreezeScope.ALL)
            .transferAmountLimit(0L)
            .dailyDebitLimit(0L)
            .dailyDebitsUsed(0L)
            .velocityDebitLimit(0L)
            .velocityWindowSeconds(0L);

        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private int lookupTransfers()
    {
        final LookupTransfersEncoder encoder = new LookupTransfersEncoder();
        encoder.wrapAndApplyHeader(clear(), FrameDescriptor.MESSAGE_OFFSET, header)
            .correlationId(0x0000_0000_0000_0001L);

        final LookupTransfersEncoder.IdsEncoder ids = encoder.idsCount(3);
        ids.next();
        ids.id().lo(0x0102_0304_0506_0708L).hi(0x8182_8384_8586_8788L);
        ids.next();
        ids.id().lo(0xFFFF_FFFF_FFFF_FFFFL).hi(0x0000_0000_0000_0001L);
        ids.next();
        ids.id().lo(0x0000_0000_0000_0001L).hi(0xFFFF_FFFF_FFFF_FFFEL);

        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private int lookupTransfersResponse()
    {
        final LookupTransfersResponseEncoder encoder = new LookupTransfersResponseEncoder();
        encoder.wrapAndApplyHeader(clear(), FrameDescriptor.MESSAGE_OFFSET, header)
            .correlationId(0x0000_0000_0000_0001L);

        final LookupTransfersResponseEncoder.TransfersEncoder transfers = encoder.transfersCount(4);
        transfers.next();
        transfers.id().lo(0x0102_0304_0506_0708L).hi(0x8182_8384_8586_8788L);
        transfers
            .debitAccountId(0xD000_0000_0000_0001L)
            .creditAccountId(0x0C00_0000_0000_0002L)
            .amount(Long.MAX_VALUE);
        transfers.pendingId().lo(0L).hi(0L);
        transfers.userData128().lo(0x2122_2324_2526_2728L).hi(0xA1A2_A3A4_A5A6_A7A8L);
        transfers
            .userData64(0xFFFF_FFFF_FFFF_FFFEL)
            .userData32(0xFFFF_FFFEL)
            .timeout(0x8000_0001L)
            .timestamp(0x8000_0000_0000_0007L)
            .currency(840)
            .code(65534);
        transfers.flags().clear().linked(true).pending(true);
        transfers.pendingStatus(PendingStatus.PENDING)
            .fee(0x7E7E_7E7E_7E7E_7E7EL)
            .feeAccountId(0xFEE0_0000_0000_0001L);

        transfers.next();
        transfers.id().lo(0x3132_3334_3536_3738L).hi(0xB1B2_B3B4_B5B6_B7B8L);
        transfers
            .debitAccountId(0x0000_0000_0000_0D02L)
            .creditAccountId(0x8000_0000_0000_0C02L)
            .amount(1L);
        transfers.pendingId().lo(0x0102_0304_0506_0708L).hi(0x8182_8384_8586_8788L);
        transfers.userData128().lo(0x4142_4344_4546_4748L).hi(0xC1C2_C3C4_C5C6_C7C8L);
        transfers
            .userData64(0x0000_0000_0000_0064L)
            .userData32(0x0000_0020L)
            .timeout(0L)
            .timestamp(1_767_225_600_123_456_789L)
            .currency(392)
            .code(2);
        transfers.flags().clear().postPending(true);
        transfers.pendingStatus(PendingStatus.NONE)
            .fee(1L)
            .feeAccountId(0x8000_0000_0000_0000L);

        transfers.next();
        transfers.id().lo(0xFFFF_FFFF_FFFF_FFFFL).hi(0x0000_0000_0000_0001L);
        transfers
            .debitAccountId(0x0000_0000_0000_0D03L)
            .creditAccountId(0x0000_0000_0000_0C03L)
            .amount(0x0000_0000_0000_0FFFL);
        transfers.pendingId().lo(0x5152_5354_5556_5758L).hi(0xD1D2_D3D4_D5D6_D7D8L);
        transfers.userData128().lo(0x6162_6364_6566_6768L).hi(0xE1E2_E3E4_E5E6_E7E8L);
        transfers
            .userData64(0x7FFF_FFFF_FFFF_FFFFL)
            .userData32(0x7FFF_FFFFL)
            .timeout(86_400L)
            .timestamp(1_767_225_600_999_999_999L)
            .currency(1001)
            .code(0xABCD);
        transfers.flags().clear().linked(true).voidPending(true);
        transfers.pendingStatus(PendingStatus.EXPIRED)
            .fee(Long.MAX_VALUE)
            .feeAccountId(0xFFFF_FFFF_FFFF_FFFEL);

        // New in version 2: a transfer held for review (the engine sets the review flag) that pays no fee yet.
        transfers.next();
        transfers.id().lo(0x0A0B_0C0D_0E0F_1011L).hi(0x2000_0000_0000_0000L);
        transfers
            .debitAccountId(0x0000_0000_0000_0D04L)
            .creditAccountId(0x0000_0000_0000_0C04L)
            .amount(1_000_000_001L);
        transfers.pendingId().lo(0L).hi(0L);
        transfers.userData128().lo(0x7172_7374_7576_7778L).hi(0xF1F2_F3F4_F5F6_F7F8L);
        transfers
            .userData64(0x4444_4444_4444_4444L)
            .userData32(0x4444_4444L)
            .timeout(0L)
            .timestamp(1_767_225_601_000_000_004L)
            .currency(978)
            .code(0x0D0E);
        transfers.flags().clear().pending(true).review(true);
        transfers.pendingStatus(PendingStatus.PENDING)
            .fee(0L)
            .feeAccountId(0L);

        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private int errorResponse()
    {
        final ErrorResponseEncoder encoder = new ErrorResponseEncoder();
        encoder.wrapAndApplyHeader(clear(), FrameDescriptor.MESSAGE_OFFSET, header)
            .correlationId(0xE1E2_E3E4_E5E6_E7E8L)
            .code(ErrorCode.BATCH_TOO_LARGE)
            .message("batch of 8191 events exceeds batchEventsMax 8190 \u2014 r\u00e9essayez \u2713");

        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private MutableDirectBuffer clear()
    {
        buffer.setMemory(0, buffer.capacity(), (byte)0);
        return buffer;
    }
}
