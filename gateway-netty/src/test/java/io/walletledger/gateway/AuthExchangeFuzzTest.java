package io.walletledger.gateway;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.walletledger.gateway.binary.BinaryGateway;
import io.walletledger.gateway.binary.BinarySettings;
import io.walletledger.gateway.security.ApiKey;
import io.walletledger.gateway.security.GatewaySecurity;
import io.walletledger.gateway.security.KeysFile;
import io.walletledger.protocol.Role;
import io.walletledger.gateway.security.KeyRateLimits;
import io.walletledger.protocol.ProtocolLimits;
import io.walletledger.protocol.ScramSha256;
import io.walletledger.protocol.sbe.AuthChallengeDecoder;
import io.walletledger.protocol.sbe.AuthHelloEncoder;
import io.walletledger.protocol.sbe.AuthProofEncoder;
import io.walletledger.protocol.sbe.AuthResultDecoder;
import io.walletledger.protocol.sbe.ErrorCode;
import io.walletledger.protocol.sbe.ErrorResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the server's side of the authentication exchange on a connection of a gateway that requires keys, built
 * as the listener builds it, in front of a real engine. An input is a sequence of frames: fuzzed bytes, an
 * {@code AuthHello} (for a real or made-up key id) with fuzzed bytes written over it, an {@code AuthProof} with a
 * fuzzed proof, or a ledger request. Nobody who does not know a secret can authenticate, so for every input: nothing
 * throws out of the pipeline, no request reaches the ledger, every reply is an {@code AuthChallenge}, a failed
 * {@code AuthResult} or an {@code UNAUTHENTICATED} error, and after anything but a challenge the connection is closed.
 */
class AuthExchangeFuzzTest
{
    private static final ApiKey KEY = KeysFile.create("admin", EnumSet.of(Role.ADMIN), new long[0],
        ScramSha256.ITERATIONS_MIN, 0, 0).key();

    @FuzzTest(maxDuration = "10s")
    void nobodyWithoutTheSecretGetsInOrReachesTheLedger(final byte[] data)
    {
        final EngineLedger ledger = new EngineLedger();
        final long before = ledger.stateHash();
        final BinarySettings settings = new BinarySettings("127.0.0.1", 0, EngineLedger.BATCH_EVENTS_MAX,
            ProtocolLimits.messageLengthMax(EngineLedger.BATCH_EVENTS_MAX), 4, 8 * 1024, 64 * 1024,
            Duration.ofSeconds(30), Duration.ZERO, 16, 0, null);
        final EmbeddedChannel channel = new EmbeddedChannel();
        BinaryGateway.addProtocolHandlers(channel.pipeline(), GatewayContext.of(ledger,
            GatewaySecurity.required(Map.of(KEY.id(), KEY), KeyRateLimits.transfers(0, 0), 0)), settings);

        int position = 0;
        while (position < data.length && channel.isActive())
        {
            final int kind = data[position++] & 3;
            final int length = position < data.length ? data[position++] & 0x7F : 0;
            final byte[] fuzz = Arrays.copyOfRange(data, Math.min(position, data.length),
                Math.min(position + length, data.length));
            position += length;
            final byte[] message = switch (kind)
            {
                case 0 -> fuzz;
                case 1 -> overwrite(hello(fuzz.length > 0 && (fuzz[0] & 1) == 0 ? "admin" : "x" + fuzz.length), fuzz);
                case 2 -> proof(fuzz);
                default -> overwrite(lookup(), fuzz);
            };
            final ByteBuf frame = Unpooled.buffer().writeIntLE(message.length).writeBytes(message);
            channel.writeInbound(frame);
            channel.runPendingTasks();
        }
        channel.runPendingTasks();
        channel.checkException();

        checkReplies(channel);
        assertNull(ledger.failure());
        assertEquals(0, ledger.submitted(), "nothing reaches the ledger before authentication");
        assertEquals(before, ledger.stateHash());
        channel.finishAndReleaseAll();
    }

    private static void checkReplies(final EmbeddedChannel channel)
    {
        final ByteBuf out = Unpooled.buffer();
        for (ByteBuf chunk = channel.readOutbound(); chunk != null; chunk = channel.readOutbound())
        {
            out.writeBytes(chunk);
            chunk.release();
        }
        final MessageHeaderDecoder header = new MessageHeaderDecoder();
        boolean ended = false;
        while (out.isReadable())
        {
            assertFalse(ended, "nothing after the answer that closes the connection");
            final int length = out.readIntLE();
            assertTrue(length >= MessageHeaderDecoder.ENCODED_LENGTH && length <= out.readableBytes());
            final byte[] message = new byte[length];
            out.readBytes(message);
            final UnsafeBuffer buffer = new UnsafeBuffer(message);
            header.wrap(buffer, 0);
            switch (header.templateId())
            {
                case AuthChallengeDecoder.TEMPLATE_ID -> assertEquals(
                    MessageHeaderEncoder.ENCODED_LENGTH + AuthChallengeDecoder.BLOCK_LENGTH, length);
                case AuthResultDecoder.TEMPLATE_ID ->
                {
                    assertEquals(0, new AuthResultDecoder().wrapAndApplyHeader(buffer, 0, header).ok());
                    ended = true;
                }
                case ErrorResponseDecoder.TEMPLATE_ID ->
                {
                    assertEquals(ErrorCode.UNAUTHENTICATED,
                        new ErrorResponseDecoder().wrapAndApplyHeader(buffer, 0, header).code());
                    ended = true;
                }
                default -> throw new AssertionError("reply template " + header.templateId());
            }
        }
        if (ended)
        {
            assertFalse(channel.isActive(), "closed after a failed exchange");
        }
    }

    private static byte[] overwrite(final byte[] message, final byte[] fuzz)
    {
        if (fuzz.length < 2)
        {
            return message;
        }
        final byte[] edited = message.clone();
        for (int i = 0; i + 1 < fuzz.length; i += 2)
        {
            edited[(fuzz[i] & 0xFF) % edited.length] = fuzz[i + 1];
        }
        return edited;
    }

    private static byte[] hello(final String keyId)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final AuthHelloEncoder encoder = new AuthHelloEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .correlationId(1).putClientNonce(new byte[32], 0, 32).keyId(keyId);
        return Arrays.copyOf(buffer.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    private static byte[] proof(final byte[] fuzz)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final AuthProofEncoder encoder = new AuthProofEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .correlationId(2).putClientProof(Arrays.copyOf(fuzz, 32), 0, 32);
        return Arrays.copyOf(buffer.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    private static byte[] lookup()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final io.walletledger.protocol.sbe.LookupAccountsEncoder encoder = new io.walletledger.protocol.sbe
            .LookupAccountsEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(3);
        encoder.idsCount(1).next().id(1);
        return Arrays.copyOf(buffer.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

}
