package io.walletledger.gateway.binary;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.walletledger.gateway.security.ApiKey;
import io.walletledger.gateway.security.GatewaySecurity;
import io.walletledger.protocol.FrameDescriptor;
import io.walletledger.protocol.ScramSha256;
import io.walletledger.protocol.sbe.AuthChallengeEncoder;
import io.walletledger.protocol.sbe.AuthHelloDecoder;
import io.walletledger.protocol.sbe.AuthProofDecoder;
import io.walletledger.protocol.sbe.AuthResultEncoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/**
 * The server's side of the authentication exchange on one binary connection ({@link ScramSha256} has the math):
 * <pre>
 *   client                                      server
 *   AuthHello {keyId, clientNonce}      ──►
 *                                       ◄──     AuthChallenge {salt, iterations, serverNonce}   (fresh nonce)
 *   AuthProof {clientProof}             ──►
 *                                       ◄──     AuthResult {ok, serverSignature}                (ok = 0: closed)
 * </pre>
 * Only HMACs run here, never PBKDF2, so a flood of attempts costs the server little. An unknown key id is answered
 * with a decoy challenge and fails at the proof exactly as a wrong secret does.
 */
final class BinaryAuthExchange
{
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What the connection does next. */
    enum Outcome
    {
        /** Write {@link #reply()} and wait for the next frame. */
        CONTINUE,
        /** Write {@link #reply()}: the connection acts as {@link #key()} from now on. */
        AUTHENTICATED,
        /** Write {@link #reply()}, then close. */
        CLOSE
    }

    private final GatewaySecurity security;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private String keyId;
    private byte[] clientNonce;
    private byte[] serverNonce;
    private GatewaySecurity.Challenge challenge;
    private ByteBuf reply;
    private ApiKey key;
    private String problem;

    BinaryAuthExchange(final GatewaySecurity security)
    {
        this.security = security;
    }

    /**
     * @return whether the template is one of the exchange's.
     */
    static boolean isAuthTemplate(final int templateId)
    {
        return templateId == AuthHelloDecoder.TEMPLATE_ID || templateId == AuthProofDecoder.TEMPLATE_ID;
    }

    /**
     * Takes the next frame of a connection that has not authenticated yet.
     */
    Outcome onFrame(final ByteBufAllocator allocator, final DirectBuffer request, final int length)
    {
        reply = null;
        problem = null;
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return fail(allocator, 0, "a frame too short for a message header");
        }
        header.wrap(request, 0);
        final long correlationId = FrameDescriptor.correlationId(request, 0, length);
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID)
        {
            return fail(allocator, correlationId, "another schema");
        }
        if (header.templateId() == AuthHelloDecoder.TEMPLATE_ID && challenge == null)
        {
            return onHello(allocator, request, length, correlationId);
        }
        if (header.templateId() == AuthProofDecoder.TEMPLATE_ID && challenge != null)
        {
            return onProof(allocator, request, length, correlationId);
        }
        return fail(allocator, correlationId, challenge == null ? "a request before AuthHello" :
            "a request before AuthProof");
    }

    private Outcome onHello(
        final ByteBufAllocator allocator, final DirectBuffer request, final int length, final long correlationId)
    {
        final int blockLength = header.blockLength();
        final int dataOffset = MessageHeaderDecoder.ENCODED_LENGTH + blockLength;
        if (blockLength < AuthHelloDecoder.BLOCK_LENGTH || length < dataOffset + 4)
        {
            return fail(allocator, correlationId, "a malformed AuthHello");
        }
        final long idLength = request.getInt(dataOffset, FrameDescriptor.BYTE_ORDER) & 0xFFFF_FFFFL;
        if (idLength < 1 || idLength > ScramSha256.KEY_ID_LENGTH_MAX || dataOffset + 4 + idLength != length)
        {
            return fail(allocator, correlationId, "an AuthHello whose key id is not 1 to 64 bytes");
        }
        final AuthHelloDecoder hello = new AuthHelloDecoder().wrapAndApplyHeader(request, 0, header);
        clientNonce = new byte[ScramSha256.HASH_LENGTH];
        hello.getClientNonce(clientNonce, 0, clientNonce.length);
        final byte[] id = new byte[(int)idLength];
        request.getBytes(dataOffset + 4, id);
        keyId = new String(id, StandardCharsets.US_ASCII);
        if (!ScramSha256.isValidKeyId(keyId))
        {
            return fail(allocator, correlationId, "an AuthHello whose key id is not printable ASCII");
        }
        challenge = security.challenge(keyId);
        serverNonce = new byte[ScramSha256.HASH_LENGTH];
        RANDOM.nextBytes(serverNonce);

        final int messageLength = MessageHeaderEncoder.ENCODED_LENGTH + AuthChallengeEncoder.BLOCK_LENGTH;
        reply = frame(allocator, messageLength);
        new AuthChallengeEncoder()
            .wrapAndApplyHeader(view(reply), FrameDescriptor.MESSAGE_OFFSET, new MessageHeaderEncoder())
            .correlationId(correlationId)
            .iterations(challenge.iterations())
            .putSalt(challenge.salt(), 0, ScramSha256.SALT_LENGTH)
            .putServerNonce(serverNonce, 0, ScramSha256.HASH_LENGTH);
        return Outcome.CONTINUE;
    }

    private Outcome onProof(
        final ByteBufAllocator allocator, final DirectBuffer request, final int length, final long correlationId)
    {
        final int blockLength = header.blockLength();
        if (blockLength < AuthProofDecoder.BLOCK_LENGTH || length != MessageHeaderDecoder.ENCODED_LENGTH + blockLength)
        {
            return fail(allocator, correlationId, "a malformed AuthProof");
        }
        final byte[] proof = new byte[ScramSha256.HASH_LENGTH];
        new AuthProofDecoder().wrapAndApplyHeader(request, 0, header).getClientProof(proof, 0, proof.length);
        final byte[] authMessage = ScramSha256.authMessage(keyId, clientNonce, serverNonce, challenge.salt(),
            challenge.iterations());
        // Runs for a decoy too, so a missing key costs what a wrong secret costs.
        final boolean verified = ScramSha256.verifyClientProof(challenge.storedKey(), authMessage, proof);
        final byte[] signature = ScramSha256.serverSignature(challenge.serverKey(), authMessage);
        if (!verified || challenge.key() == null)
        {
            problem = "wrong proof";
            reply = result(allocator, correlationId, false, new byte[ScramSha256.HASH_LENGTH]);
            return Outcome.CLOSE;
        }
        key = challenge.key();
        reply = result(allocator, correlationId, true, signature);
        return Outcome.AUTHENTICATED;
    }

    private Outcome fail(final ByteBufAllocator allocator, final long correlationId, final String what)
    {
        problem = what;
        reply = ErrorReplies.frame(allocator, correlationId, io.walletledger.protocol.sbe.ErrorCode.UNAUTHENTICATED,
            "authenticate first (AuthHello, AuthProof): got " + what);
        return Outcome.CLOSE;
    }

    private static ByteBuf result(
        final ByteBufAllocator allocator, final long correlationId, final boolean ok, final byte[] signature)
    {
        final int messageLength = MessageHeaderEncoder.ENCODED_LENGTH + AuthResultEncoder.BLOCK_LENGTH;
        final ByteBuf frame = frame(allocator, messageLength);
        new AuthResultEncoder()
            .wrapAndApplyHeader(view(frame), FrameDescriptor.MESSAGE_OFFSET, new MessageHeaderEncoder())
            .correlationId(correlationId)
            .ok((short)(ok ? 1 : 0))
            .putServerSignature(signature, 0, ScramSha256.HASH_LENGTH);
        return frame;
    }

    private static ByteBuf frame(final ByteBufAllocator allocator, final int messageLength)
    {
        final ByteBuf frame = allocator.heapBuffer(FrameDescriptor.LENGTH_FIELD_LENGTH + messageLength);
        frame.writerIndex(FrameDescriptor.LENGTH_FIELD_LENGTH + messageLength);
        frame.setIntLE(0, messageLength);
        return frame;
    }

    private static UnsafeBuffer view(final ByteBuf frame)
    {
        return new UnsafeBuffer(frame.array(), frame.arrayOffset(), frame.capacity());
    }

    ByteBuf reply()
    {
        return reply;
    }

    /**
     * @return the key authenticated, after {@link Outcome#AUTHENTICATED}.
     */
    ApiKey key()
    {
        return key;
    }

    /**
     * @return the key id the client named, or null before its {@code AuthHello}.
     */
    String keyId()
    {
        return keyId;
    }

    /**
     * @return what went wrong, after {@link Outcome#CLOSE}.
     */
    String problem()
    {
        return problem;
    }
}
