package io.walletledger.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;

/**
 * Sits right behind the {@code SslHandler}: a connection whose TLS fails (a client speaking plain TCP or HTTP to a
 * TLS port, a client that does not trust the certificate, a handshake that times out) is logged once, in one line,
 * and closed. Its error stops here, so the protocol handlers behind never mistake it for bad frames.
 */
final class TlsFailureHandler extends ChannelInboundHandlerAdapter
{
    private static final Logger LOG = LoggerFactory.getLogger(TlsFailureHandler.class);

    private final String listener;
    private boolean logged;

    TlsFailureHandler(final String listener)
    {
        this.listener = listener;
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object event)
    {
        if (event instanceof SslHandshakeCompletionEvent && !((SslHandshakeCompletionEvent)event).isSuccess())
        {
            refuse(ctx, ((SslHandshakeCompletionEvent)event).cause());
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        final Throwable tls = cause instanceof DecoderException ? cause.getCause() : cause;
        if (tls instanceof SSLException)
        {
            refuse(ctx, tls);
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    private void refuse(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (!logged)
        {
            logged = true;
            LOG.info("closing {} connection {}: TLS failed: {}", listener, ctx.channel().remoteAddress(),
                abbreviate(String.valueOf(cause.getMessage())));
        }
        ctx.close();
    }

    /**
     * A plain-text client's bytes end up in the exception's message as hex: a line, not a page, per connection.
     */
    private static String abbreviate(final String message)
    {
        return message.length() <= 160 ? message : message.substring(0, 160) + "...";
    }
}
