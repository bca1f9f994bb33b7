package io.walletledger.protocol;

import io.walletledger.protocol.sbe.AuthChallengeDecoder;
import io.walletledger.protocol.sbe.AuthHelloDecoder;
import io.walletledger.protocol.sbe.AuthProofDecoder;
import io.walletledger.protocol.sbe.AuthResultDecoder;
import io.walletledger.protocol.sbe.ErrorCode;
import io.walletledger.protocol.sbe.ErrorResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import org.agrona.DirectBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Decodes the checked-in version 3 frames (the authentication templates, ids 20 to 23, and an {@code ErrorResponse}
 * with a version 3 error code) with the codecs generated from today's schema, and checks every value by hand. A
 * later schema change that would break a version 3 client makes this test fail; the fix is to undo the change, never
 * to rewrite the files. The values are the ones {@link AuthGoldenFrames} wrote, spelled out here on purpose.
 */
final class AuthGoldenFileV3Test
{
    private static final int VERSION_V3 = 3;

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();

    @Test
    void decodesAuthHello()
    {
        final DirectBuffer buffer = GoldenFrames.buffer(VERSION_V3, "AuthHello");
        GoldenFrames.assertHeader(header, buffer, 40, 20, VERSION_V3);
        final AuthHelloDecoder decoder = new AuthHelloDecoder().wrapAndApplyHeader(buffer,
            FrameDescriptor.MESSAGE_OFFSET, header);
        assertEquals(0x2020_2121_2222_2323L, decoder.correlationId());
        assertArrayEquals(bytes(32, 0x10), nonce(decoder));
        assertEquals("payments-eu~1", decoder.keyId());
        assertEquals(buffer.capacity(), decoder.limit(), "decoding must consume the frame exactly");
    }

    @Test
    void decodesAuthChallenge()
    {
        final DirectBuffer buffer = GoldenFrames.buffer(VERSION_V3, "AuthChallenge");
        GoldenFrames.assertHeader(header, buffer, 60, 21, VERSION_V3);
        final AuthChallengeDecoder decoder = new AuthChallengeDecoder().wrapAndApplyHeader(buffer,
            FrameDescriptor.MESSAGE_OFFSET, header);
        assertEquals(0x2020_2121_2222_2323L, decoder.correlationId());
        assertEquals(210_000L, decoder.iterations());
        final byte[] salt = new byte[16];
        decoder.getSalt(salt, 0, 16);
        assertArrayEquals(bytes(16, 0xA0), salt);
        final byte[] serverNonce = new byte[32];
        decoder.getServerNonce(serverNonce, 0, 32);
        assertArrayEquals(bytes(32, 0x40), serverNonce);
        assertEquals(buffer.capacity(), decoder.limit());
    }

    @Test
    void decodesAuthProof()
    {
        final DirectBuffer buffer = GoldenFrames.buffer(VERSION_V3, "AuthProof");
        GoldenFrames.assertHeader(header, buffer, 40, 22, VERSION_V3);
        final AuthProofDecoder decoder = new AuthProofDecoder().wrapAndApplyHeader(buffer,
            FrameDescriptor.MESSAGE_OFFSET, header);
        assertEquals(0x2424_2525_2626_2727L, decoder.correlationId());
        final byte[] proof = new byte[32];
        decoder.getClientProof(proof, 0, 32);
        assertArrayEquals(bytes(32, 0xC0), proof);
        assertEquals(buffer.capacity(), decoder.limit());
    }

    @Test
    void decodesAuthResult()
    {
        final DirectBuffer buffer = GoldenFrames.buffer(VERSION_V3, "AuthResult");
        GoldenFrames.assertHeader(header, buffer, 41, 23, VERSION_V3);
        final AuthResultDecoder decoder = new AuthResultDecoder().wrapAndApplyHeader(buffer,
            FrameDescriptor.MESSAGE_OFFSET, header);
        assertEquals(0x2424_2525_2626_2727L, decoder.correlationId());
        assertEquals(1, decoder.ok());
        final byte[] signature = new byte[32];
        decoder.getServerSignature(signature, 0, 32);
        assertArrayEquals(bytes(32, 0xE0), signature);
        assertEquals(buffer.capacity(), decoder.limit());
    }

    @Test
    void decodesErrorResponseWithAVersionThreeErrorCode()
    {
        final DirectBuffer buffer = GoldenFrames.buffer(VERSION_V3, "ErrorResponse");
        GoldenFrames.assertHeader(header, buffer, 10, 9, VERSION_V3);
        final ErrorResponseDecoder decoder = new ErrorResponseDecoder().wrapAndApplyHeader(buffer,
            FrameDescriptor.MESSAGE_OFFSET, header);
        assertEquals(0x0909_0A0A_0B0B_0C0CL, decoder.correlationId());
        assertEquals(11, decoder.codeRaw());
        assertEquals(ErrorCode.RATE_LIMITED, decoder.code());
        assertEquals("key payments-eu~1: 100 transfers/s", decoder.message());
        assertEquals(buffer.capacity(), decoder.limit());
    }

    @Test
    void errorCodesOfVersionThreeKeepTheirNumbers()
    {
        assertEquals(9, ErrorCode.UNAUTHENTICATED.value());
        assertEquals(10, ErrorCode.FORBIDDEN.value());
        assertEquals(11, ErrorCode.RATE_LIMITED.value());
    }

    private static byte[] nonce(final AuthHelloDecoder decoder)
    {
        final byte[] nonce = new byte[32];
        decoder.getClientNonce(nonce, 0, 32);
        return nonce;
    }

    private static byte[] bytes(final int length, final int first)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(first + i);
        }
        return bytes;
    }
}
