package io.walletledger.gateway;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.walletledger.gateway.binary.BinaryGateway;
import io.walletledger.gateway.binary.BinarySettings;
import io.walletledger.gateway.security.GatewaySecurity;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.walletledger.protocol.FrameDescriptor;
import io.walletledger.protocol.ProtocolLimits;
import io.walletledger.protocol.sbe.AccountAction;
import io.walletledger.protocol.sbe.AccountCommandsEncoder;
import io.walletledger.protocol.sbe.CommandResultsResponseDecoder;
import io.walletledger.protocol.sbe.CreateAccountsEncoder;
import io.walletledger.protocol.sbe.CreateTransfersEncoder;
import io.walletledger.protocol.sbe.ErrorResponseDecoder;
import io.walletledger.protocol.sbe.LookupAccountHistoryResponseDecoder;
import io.walletledger.protocol.sbe.FreezeScope;
import io.walletledger.protocol.sbe.LookupAccountsEncoder;
import io.walletledger.protocol.sbe.LookupPoliciesResponseDecoder;
import io.walletledger.protocol.sbe.LookupTransfersEncoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.protocol.sbe.SetAccountLimitsEncoder;
import io.walletledger.protocol.sbe.SetFeesEncoder;
import io.walletledger.protocol.sbe.SetReviewThresholdsEncoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Coverage-guided fuzzing of the binary request path: bytes off the socket through the gateway's own pipeline
 * (length-field framing, {@code BinaryConnection}, the {@link RequestGate}) into a real {@code LedgerEngine}.
 * <p>
 * An input is a little program of frames: a frame of fuzzed bytes, a valid request with fuzzed bytes written over
 * it (so the fuzzer starts deep in the decoders), a lying length field, or raw bytes that break the framing. Whatever
 * comes in, nothing may throw out of the pipeline, every frame gets exactly one well-formed reply while the
 * connection stays open, an {@code Error} answer leaves the ledger as it was, only valid requests reach it, and the
 * books balance ({@link EngineLedger}).
 * <p>
 * {@code ./mvnw verify} fuzzes for a few seconds (JAZZER_FUZZ is set by the gateway's pom); without JAZZER_FUZZ it
 * replays the inputs under {@code src/test/resources/.../BinaryRequestFuzzTestInputs}. docs/security.md gives the longer
 * run.
 */
class BinaryRequestFuzzTest
{
    private static final int USD = 840;
    private static final int FRAME_BYTES_MAX = ProtocolLimits.messageLengthMax(EngineLedger.BATCH_EVENTS_MAX);
    /** Every response template. */
    private static final Set<Integer> RESPONSE_TEMPLATES = Set.of(2, 4, 6, 8, ErrorResponseDecoder.TEMPLATE_ID,
        CommandResultsResponseDecoder.TEMPLATE_ID, LookupPoliciesResponseDecoder.TEMPLATE_ID,
        LookupAccountHistoryResponseDecoder.TEMPLATE_ID);
    private static final List<byte[]> TEMPLATES = templates();

    @FuzzTest(maxDuration = "10s")
    void anyBytesGetWellFormedAnswersAndNeverHarmTheLedger(final byte[] data)
    {
        final EngineLedger ledger = new EngineLedger();
        final BinarySettings settings = new BinarySettings("127.0.0.1", 0, EngineLedger.BATCH_EVENTS_MAX,
            FRAME_BYTES_MAX, 4, 8 * 1024, 64 * 1024, Duration.ofSeconds(30), Duration.ZERO, 16, 0, null);
        final EmbeddedChannel channel = new EmbeddedChannel();
        // Development mode: every frame goes straight to the request path (AuthExchangeFuzzTest fuzzes the exchange).
        BinaryGateway.addProtocolHandlers(
            channel.pipeline(), GatewayContext.of(ledger, GatewaySecurity.development()), settings);

        final Input input = new Input(data);
        int frames = 0;
        boolean framingBroken = false;
        while (input.remaining() > 0 && channel.isActive())
        {
            final byte[] bytes;
            switch (input.next() & 3)
            {
                case 0 -> bytes = frame(input.bytes(input.next() | input.next() << 8 & 0x7F00));
                case 1 -> bytes = frame(edited(input));
                case 2 ->
                {
                    // A length field that says anything at all, then whatever follows.
                    final ByteBuf lie = Unpooled.buffer().writeIntLE(input.nextInt())
                        .writeBytes(input.bytes(input.next()));
                    bytes = new byte[lie.readableBytes()];
                    lie.readBytes(bytes);
                    framingBroken = true;
                }
                default ->
                {
                    bytes = input.bytes(input.next());
                    framingBroken = true;
                }
            }
            if (!framingBroken)
            {
                frames++;
            }
            channel.writeInbound(Unpooled.wrappedBuffer(bytes));
            channel.runPendingTasks();
        }
        channel.runPendingTasks();
        channel.checkException();

        final int replies = checkReplies(channel, reply -> { });
        assertNull(ledger.failure());
        if (!framingBroken && channel.isActive())
        {
            assertEquals(frames, replies, "one reply per frame while the connection is open");
        }
        channel.finishAndReleaseAll();
    }

    /**
     * Reads every reply the channel wrote and checks each: a whole frame, this schema, a response template; then
     * gives it to {@code more} (the message, header and body, without the length field).
     *
     * @return the number of replies.
     */
    static int checkReplies(final EmbeddedChannel channel, final Consumer<UnsafeBuffer> more)
    {
        final ByteBuf out = Unpooled.buffer();
        for (ByteBuf chunk = channel.readOutbound(); chunk != null; chunk = channel.readOutbound())
        {
            out.writeBytes(chunk);
            chunk.release();
        }
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        int replies = 0;
        while (out.isReadable())
        {
            assertTrue(out.readableBytes() >= FrameDescriptor.LENGTH_FIELD_LENGTH, "a whole length field");
            final int length = out.readIntLE();
            assertTrue(length >= MessageHeaderDecoder.ENCODED_LENGTH + Long.BYTES && length <= out.readableBytes(),
                "a whole reply of " + length + " bytes");
            final byte[] message = new byte[length];
            out.readBytes(message);
            final UnsafeBuffer reply = new UnsafeBuffer(message);
            header.wrap(reply, 0);
            assertEquals(MessageHeaderDecoder.SCHEMA_ID, header.schemaId());
            assertTrue(RESPONSE_TEMPLATES.contains(header.templateId()), "reply " + replies + " has template " +
                header.templateId() + ": " + ByteBufUtil.hexDump(message));
            more.accept(reply);
            replies++;
        }
        return replies;
    }

    private static byte[] frame(final byte[] message)
    {
        final ByteBuf frame = Unpooled.buffer(FrameDescriptor.LENGTH_FIELD_LENGTH + message.length)
            .writeIntLE(message.length).writeBytes(message);
        return frame.array();
    }

    /**
     * A valid request chosen by the input, with bytes the input chooses written over it.
     */
    private static byte[] edited(final Input input)
    {
        final byte[] message = TEMPLATES.get(input.next() % TEMPLATES.size()).clone();
        final int edits = input.next() & 7;
        for (int i = 0; i < edits; i++)
        {
            final int offset = (input.next() | input.next() << 8) % message.length;
            message[offset] = (byte)input.next();
        }
        return message;
    }

    /**
     * Accounts 1 (may go negative) and 2, 3 (may not) in USD; transfers among them, a hold and its post; lookups.
     */
    private static List<byte[]> templates()
    {
        final List<byte[]> templates = new ArrayList<>();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
        final MessageHeaderEncoder header = new MessageHeaderEncoder();

        final CreateAccountsEncoder accounts = new CreateAccountsEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(1);
        final CreateAccountsEncoder.AccountsEncoder account = accounts.accountsCount(3);
        for (int id = 1; id <= 3; id++)
        {
            account.next().id(id).userData(0).currency(USD).code(1).flags().clear().debitsMustNotExceedCredits(id > 1);
        }
        templates.add(Arrays.copyOf(buffer.byteArray(),
            MessageHeaderEncoder.ENCODED_LENGTH + accounts.encodedLength()));

        final CreateTransfersEncoder transfers = new CreateTransfersEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(2);
        final CreateTransfersEncoder.TransfersEncoder transfer = transfers.transfersCount(4);
        transfer(transfer.next(), 10, 1, 2, 500, 0, 0).flags().clear();
        transfer(transfer.next(), 11, 2, 3, 200, 0, 0).flags().clear().linked(true);
        transfer(transfer.next(), 12, 3, 2, 50, 0, 0).flags().clear();
        transfer(transfer.next(), 13, 2, 1, 100, 0, 60).flags().clear().pending(true);
        templates.add(Arrays.copyOf(buffer.byteArray(),
            MessageHeaderEncoder.ENCODED_LENGTH + transfers.encodedLength()));

        final CreateTransfersEncoder post = new CreateTransfersEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(3);
        final CreateTransfersEncoder.TransfersEncoder posting = post.transfersCount(2);
        transfer(posting.next(), 14, 2, 1, 40, 13, 0).flags().clear().postPending(true);
        transfer(posting.next(), 15, 2, 1, 0, 13, 0).flags().clear().voidPending(true);
        templates.add(Arrays.copyOf(buffer.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + post.encodedLength()));

        final LookupAccountsEncoder lookupAccounts = new LookupAccountsEncoder()
            .wrapAndApplyHeader(buffer, 0, header).correlationId(4);
        final LookupAccountsEncoder.IdsEncoder accountIds = lookupAccounts.idsCount(3);
        for (int id = 1; id <= 3; id++)
        {
            accountIds.next().id(id);
        }
        templates.add(Arrays.copyOf(buffer.byteArray(),
            MessageHeaderEncoder.ENCODED_LENGTH + lookupAccounts.encodedLength()));

        final LookupTransfersEncoder lookupTransfers = new LookupTransfersEncoder()
            .wrapAndApplyHeader(buffer, 0, header).correlationId(5);
        final LookupTransfersEncoder.IdsEncoder transferIds = lookupTransfers.idsCount(2);
        transferIds.next().id().lo(10).hi(0);
        transferIds.next().id().lo(13).hi(0);
        templates.add(Arrays.copyOf(buffer.byteArray(),
            MessageHeaderEncoder.ENCODED_LENGTH + lookupTransfers.encodedLength()));

        // Policies: limits and a freeze on wallet 2, a fee paid to account 1, a review threshold.
        final SetAccountLimitsEncoder limits = new SetAccountLimitsEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(6);
        limits.limitsCount(1).next().accountId(2).transferAmountLimit(300).dailyDebitLimit(1_000).velocityDebitLimit(3)
            .velocityWindowSeconds(60);
        templates.add(Arrays.copyOf(buffer.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + limits.encodedLength()));
        final SetFeesEncoder fees = new SetFeesEncoder().wrapAndApplyHeader(buffer, 0, header).correlationId(7);
        fees.feesCount(1).next().transferCode(0).currency(USD).fixedAmount(1).basisPoints(25).minimum(0).maximum(0)
            .feeAccountId(1);
        templates.add(Arrays.copyOf(buffer.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + fees.encodedLength()));
        final SetReviewThresholdsEncoder thresholds = new SetReviewThresholdsEncoder()
            .wrapAndApplyHeader(buffer, 0, header).correlationId(8);
        thresholds.thresholdsCount(1).next().currency(USD).threshold(400);
        templates.add(Arrays.copyOf(buffer.byteArray(),
            MessageHeaderEncoder.ENCODED_LENGTH + thresholds.encodedLength()));
        final AccountCommandsEncoder freeze = new AccountCommandsEncoder().wrapAndApplyHeader(buffer, 0, header)
            .correlationId(9);
        freeze.commandsCount(1).next().accountId(3).action(AccountAction.FREEZE).freezeScope(FreezeScope.DEBITS);
        templates.add(Arrays.copyOf(buffer.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + freeze.encodedLength()));
        return List.copyOf(templates);
    }

    private static CreateTransfersEncoder.TransfersEncoder transfer(
        final CreateTransfersEncoder.TransfersEncoder transfer,
        final long id,
        final long debit,
        final long credit,
        final long amount,
        final long pendingId,
        final int timeout)
    {
        transfer.id().lo(id).hi(0);
        transfer.debitAccountId(debit).creditAccountId(credit).amount(amount);
        transfer.pendingId().lo(pendingId).hi(0);
        transfer.userData128().lo(0).hi(0);
        return transfer.userData64(0).userData32(0).timeout(timeout).currency(USD).code(1);
    }

    /**
     * Reads the fuzzer's bytes front to back; past the end, zeros.
     */
    private static final class Input
    {
        private final byte[] data;
        private int position;

        Input(final byte[] data)
        {
            this.data = data;
        }

        int remaining()
        {
            return data.length - position;
        }

        int next()
        {
            return position < data.length ? data[position++] & 0xFF : 0;
        }

        int nextInt()
        {
            return next() | next() << 8 | next() << 16 | next() << 24;
        }

        byte[] bytes(final int count)
        {
            final int length = Math.min(count, remaining());
            final byte[] bytes = Arrays.copyOfRange(data, position, position + length);
            position += length;
            return bytes;
        }
    }
}
