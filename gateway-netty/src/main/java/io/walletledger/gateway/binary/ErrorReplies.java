package io.walletledger.gateway.binary;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.walletledger.protocol.FrameDescriptor;
import io.walletledger.protocol.sbe.ErrorCode;
import io.walletledger.protocol.sbe.ErrorResponseEncoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Frames for the {@code Error} response the gateway sends itself, for requests that never reach the ledger.
 */
final class ErrorReplies
{
    private static final int MESSAGE_MAX = 200;

    private ErrorReplies()
    {
    }

    /**
     * @return a whole frame (length field and message).
     */
    static ByteBuf frame(
        final ByteBufAllocator allocator, final long correlationId, final ErrorCode code, final String message)
    {
        final byte[] text = message.getBytes(StandardCharsets.UTF_8);
        final int textLength = Math.min(text.length, MESSAGE_MAX);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + ErrorResponseEncoder.BLOCK_LENGTH +
            ErrorResponseEncoder.messageHeaderLength() + textLength;
        final ByteBuf frame = allocator.heapBuffer(FrameDescriptor.LENGTH_FIELD_LENGTH + length);
        final UnsafeBuffer view = new UnsafeBuffer(frame.array(), frame.arrayOffset(), frame.capacity());
        view.putInt(0, length, FrameDescriptor.BYTE_ORDER);
        new ErrorResponseEncoder()
            .wrapAndApplyHeader(view, FrameDescriptor.LENGTH_FIELD_LENGTH, new MessageHeaderEncoder())
            .correlationId(correlationId)
            .code(code)
            .putMessage(text, 0, textLength);
        frame.writerIndex(FrameDescriptor.LENGTH_FIELD_LENGTH + length);
        return frame;
    }
}
