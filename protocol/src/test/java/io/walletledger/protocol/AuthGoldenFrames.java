package io.walletledger.protocol;

import io.walletledger.protocol.sbe.AuthChallengeEncoder;
import io.walletledger.protocol.sbe.AuthHelloEncoder;
import io.walletledger.protocol.sbe.AuthProofEncoder;
import io.walletledger.protocol.sbe.AuthResultEncoder;
import io.walletledger.protocol.sbe.ErrorCode;
import io.walletledger.protocol.sbe.ErrorResponseEncoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import org.agrona.MutableDirectBuffer;

/**
 * The golden frames of what version 3 of the schema added (the authentication templates, ids 20 to 23, and an
 * {@code ErrorResponse} with a version 3 error code), for {@link GoldenFileWriter}: each method encodes one message
 * at {@link FrameDescriptor#MESSAGE_OFFSET} of a zeroed buffer and returns its length (header and body). Every value
 * is also spelled out in {@link AuthGoldenFileV3Test}; change neither without the other.
 */
final class AuthGoldenFrames
{
    private final MessageHeaderEncoder header;

    AuthGoldenFrames(final MessageHeaderEncoder header)
    {
        this.header = header;
    }

    /** Bytes {@code first, first + 1, ...} (wrapping), distinct per field so a shifted field shows. */
    static byte[] counting(final int length, final int first)
    {
        final byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++)
        {
            bytes[i] = (byte)(first + i);
        }
        return bytes;
    }

    int authHello(final MutableDirectBuffer buffer)
    {
        final AuthHelloEncoder encoder = new AuthHelloEncoder();
        encoder.wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header)
            .correlationId(0x2020_2121_2222_2323L)
            .putClientNonce(counting(32, 0x10), 0, 32)
            .keyId("payments-eu~1");
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    int authChallenge(final MutableDirectBuffer buffer)
    {
        final AuthChallengeEncoder encoder = new AuthChallengeEncoder();
        encoder.wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header)
            .correlationId(0x2020_2121_2222_2323L)
            .iterations(210_000)
            .putSalt(counting(16, 0xA0), 0, 16)
            .putServerNonce(counting(32, 0x40), 0, 32);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    int authProof(final MutableDirectBuffer buffer)
    {
        final AuthProofEncoder encoder = new AuthProofEncoder();
        encoder.wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header)
            .correlationId(0x2424_2525_2626_2727L)
            .putClientProof(counting(32, 0xC0), 0, 32);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    int authResult(final MutableDirectBuffer buffer)
    {
        final AuthResultEncoder encoder = new AuthResultEncoder();
        encoder.wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header)
            .correlationId(0x2424_2525_2626_2727L)
            .ok((short)1)
            .putServerSignature(counting(32, 0xE0), 0, 32);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    int errorResponse(final MutableDirectBuffer buffer)
    {
        final ErrorResponseEncoder encoder = new ErrorResponseEncoder();
        encoder.wrapAndApplyHeader(buffer, FrameDescriptor.MESSAGE_OFFSET, header)
            .correlationId(0x0909_0A0A_0B0B_0C0CL)
            .code(ErrorCode.RATE_LIMITED)
            .message("key payments-eu~1: 100 transfers/s");
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }
}
