package io.walletledger.gateway.binary;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import io.walletledger.protocol.FrameDescriptor;

import java.nio.ByteOrder;

/**
 * The binary protocol's framing: a little-endian length, then that many bytes. Until the connection has
 * authenticated, a frame may be no longer than an authentication message needs ({@link #AUTHENTICATION_FRAME_MAX}):
 * a longer length is refused as soon as its four bytes arrive, before any of the frame is buffered, so an
 * unauthenticated client cannot make the server hold a request's worth of memory per connection. After it, the
 * server's frame limit applies.
 */
final class BinaryFrameDecoder extends LengthFieldBasedFrameDecoder
{
    /**
     * The longest frame before authentication, header and body: an {@code AuthHello} with the longest key id is 116
     * bytes, an {@code AuthProof} 48.
     */
    static final int AUTHENTICATION_FRAME_MAX = 256;

    private boolean authenticated;

    /**
     * @param frameBytesMax the longest frame (header and body) once authenticated.
     * @param authenticated whether the connection needs no authentication (development mode).
     */
    BinaryFrameDecoder(final int frameBytesMax, final boolean authenticated)
    {
        super(FrameDescriptor.BYTE_ORDER, frameBytesMax + FrameDescriptor.LENGTH_FIELD_LENGTH,
            FrameDescriptor.LENGTH_FIELD_OFFSET, FrameDescriptor.LENGTH_FIELD_LENGTH, 0,
            FrameDescriptor.LENGTH_FIELD_LENGTH, true);
        this.authenticated = authenticated;
    }

    /**
     * The connection authenticated: frames up to the server's limit from now on.
     */
    void authenticated()
    {
        authenticated = true;
    }

    @Override
    protected long getUnadjustedFrameLength(
        final ByteBuf buffer, final int offset, final int length, final ByteOrder order)
    {
        final long frameLength = super.getUnadjustedFrameLength(buffer, offset, length, order);
        if (!authenticated && frameLength > AUTHENTICATION_FRAME_MAX)
        {
            throw new TooLongFrameException("a frame of " + frameLength + " bytes before authentication: the " +
                "exchange needs at most " + AUTHENTICATION_FRAME_MAX);
        }
        return frameLength;
    }
}
