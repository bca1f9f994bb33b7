package io.walletledger.gateway;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.walletledger.gateway.binary.BinaryGateway;
import io.walletledger.gateway.binary.BinarySettings;
import io.walletledger.gateway.security.GatewaySecurity;
import io.walletledger.protocol.FrameDescriptor;
import io.walletledger.protocol.ProtocolLimits;
import io.walletledger.protocol.RequestSubmitter;
import io.walletledger.protocol.sbe.LookupAccountsEncoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The answer to a request cannot be allocated (direct memory exhausted): the binary connection's own pipeline on an
 * embedded channel whose allocator fails when an answer is built, behind a ledger that reports a failing reply
 * handler as the server's responder does (it logs and goes on). The request's frame must be freed, nothing may
 * escape to the responder, and the connection must be closed rather than wait for ever with a request counted in
 * flight.
 */
class ReplyAllocationFailureTest
{
    @Test
    void anAnswerThatCannotBeAllocatedFreesItsRequestAndClosesTheConnection()
    {
        final EngineLedger engine = new EngineLedger();
        final AtomicReference<Throwable> escaped = new AtomicReference<>();
        final RequestSubmitter ledger = (request, offset, length, handler) -> engine.submit(request, offset, length,
            (buffer, replyOffset, replyLength) ->
            {
                try
                {
                    handler.onReply(buffer, replyOffset, replyLength);
                }
                catch (final Throwable ex)
                {
                    escaped.set(ex); // what the server's responder does: log it and go on
                }
            });
        final BinarySettings settings = new BinarySettings("127.0.0.1", 0, EngineLedger.BATCH_EVENTS_MAX,
            ProtocolLimits.messageLengthMax(EngineLedger.BATCH_EVENTS_MAX), 4, 8 * 1024, 64 * 1024,
            Duration.ofSeconds(30), Duration.ZERO, 16, 0, null);
        final EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(new AnswersFail());
        BinaryGateway.addProtocolHandlers(channel.pipeline(), GatewayContext.of(ledger, GatewaySecurity.development()),
            settings);

        final ByteBuf request = lookupFrame();
        channel.writeInbound(request);
        channel.runPendingTasks();

        assertNull(escaped.get(), "nothing escaped to the ledger's responder");
        assertEquals(0, request.refCnt(), "the request's frame was freed");
        assertFalse(channel.isActive(), "the connection was closed, not left waiting for an answer");
        assertNull(channel.readOutbound(), "no answer was sent");
        channel.finishAndReleaseAll();
    }

    private static ByteBuf lookupFrame()
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[256]);
        final LookupAccountsEncoder lookup = new LookupAccountsEncoder()
            .wrapAndApplyHeader(message, 0, new MessageHeaderEncoder()).correlationId(1);
        lookup.idsCount(2).next().id(1).next().id(2);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + lookup.encodedLength();
        return Unpooled.buffer(FrameDescriptor.LENGTH_FIELD_LENGTH + length).writeIntLE(length)
            .writeBytes(message.byteArray(), 0, length);
    }

    /**
     * Fails every direct buffer asked for while an answer is being built (on the reply path), as Netty does when its
     * direct memory is used up.
     */
    private static final class AnswersFail extends AbstractByteBufAllocator
    {
        AnswersFail()
        {
            super(false);
        }

        @Override
        protected ByteBuf newHeapBuffer(final int initialCapacity, final int maxCapacity)
        {
            return UnpooledByteBufAllocator.DEFAULT.heapBuffer(initialCapacity, maxCapacity);
        }

        @Override
        protected ByteBuf newDirectBuffer(final int initialCapacity, final int maxCapacity)
        {
            final boolean answering = StackWalker.getInstance().walk(frames -> frames
                .anyMatch(frame -> frame.getMethodName().equals("onReply")));
            if (answering)
            {
                throw new OutOfMemoryError("Cannot reserve " + initialCapacity + " bytes of direct buffer memory " +
                    "(a test's allocator)");
            }
            return UnpooledByteBufAllocator.DEFAULT.directBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public boolean isDirectBufferPooled()
        {
            return false;
        }
    }
}
