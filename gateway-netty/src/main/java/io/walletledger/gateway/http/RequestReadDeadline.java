package io.walletledger.gateway.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes an HTTP connection whose client takes longer than a deadline to send a whole request, counted from the
 * first byte of that request (from the connection's opening for its first request, so a socket that sends nothing
 * is closed too): a slowloris client, which keeps a connection open by sending a byte now and then, is
 * shut out after the deadline however often it sends. An idle keep-alive connection between requests is not timed
 * here ({@code wallet.gateway.idle-timeout} does that).
 * <p>
 * Two handlers share the deadline: {@link #start()} goes first in the pipeline and arms it when bytes arrive while
 * no request is being read; {@link #end()} goes after the aggregator and disarms it when a whole request is
 * through. Both run on the connection's event loop.
 */
final class RequestReadDeadline
{
    private static final Logger LOG = LoggerFactory.getLogger(RequestReadDeadline.class);

    private final long deadlineNanos;
    private ScheduledFuture<?> timer;

    RequestReadDeadline(final Duration deadline)
    {
        this.deadlineNanos = deadline.toNanos();
    }

    ChannelInboundHandlerAdapter start()
    {
        return new ChannelInboundHandlerAdapter()
        {
            @Override
            public void channelActive(final ChannelHandlerContext ctx) throws Exception
            {
                // The first request is timed from the connection's opening: a socket that sends nothing at all
                // does not hold its slot for longer than a slow one would.
                arm(ctx, "of the connection's opening");
                super.channelActive(ctx);
            }

            @Override
            public void channelRead(final ChannelHandlerContext ctx, final Object msg) throws Exception
            {
                if (timer == null && msg instanceof ByteBuf && ((ByteBuf)msg).isReadable())
                {
                    arm(ctx, "of its first byte");
                }
                super.channelRead(ctx, msg);
            }

            private void arm(final ChannelHandlerContext ctx, final String since)
            {
                timer = ctx.executor().schedule(() ->
                {
                    LOG.info("closing HTTP connection {}: no whole request within {} ms {}",
                        ctx.channel().remoteAddress(), TimeUnit.NANOSECONDS.toMillis(deadlineNanos), since);
                    ctx.close();
                }, deadlineNanos, TimeUnit.NANOSECONDS);
            }

            @Override
            public void channelInactive(final ChannelHandlerContext ctx) throws Exception
            {
                cancel();
                super.channelInactive(ctx);
            }
        };
    }

    ChannelDuplexHandler end()
    {
        return new ChannelDuplexHandler()
        {
            @Override
            public void channelRead(final ChannelHandlerContext ctx, final Object msg) throws Exception
            {
                if (msg instanceof FullHttpRequest)
                {
                    cancel();
                }
                super.channelRead(ctx, msg);
            }
        };
    }

    private void cancel()
    {
        if (timer != null)
        {
            timer.cancel(false);
            timer = null;
        }
    }
}
