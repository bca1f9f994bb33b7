package io.walletledger.gateway.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.walletledger.gateway.ConnectionAdmission;
import io.walletledger.gateway.GatewayContext;
import io.walletledger.gateway.GatewayMetrics;
import io.walletledger.gateway.ServerTls;
import io.walletledger.gateway.security.BearerAuthenticator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP/JSON API listener ({@link HttpRoutes} says which endpoint group answers a path). Bodies larger than the limit are refused
 * with 413 by Netty's aggregator before they are read whole.
 */
public final class HttpGateway implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(HttpGateway.class);

    private final EventLoopGroup group;
    private final ChannelGroup connections;
    private final Channel server;
    private final BearerAuthenticator bearer;

    private HttpGateway(
        final EventLoopGroup group, final ChannelGroup connections, final Channel server,
        final BearerAuthenticator bearer)
    {
        this.bearer = bearer;
        this.group = group;
        this.connections = connections;
        this.server = server;
    }

    /**
     * Binds and starts serving.
     *
     * @param context  where requests go, who may send them, currency names, metrics and health.
     * @param settings address and limits.
     * @return the running gateway.
     */
    public static HttpGateway start(final GatewayContext context, final HttpSettings settings)
    {
        final BearerAuthenticator bearer = new BearerAuthenticator(context.security());
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        final ChannelGroup connections = new DefaultChannelGroup("wallet-http", GlobalEventExecutor.INSTANCE);
        context.metrics().connections(GatewayMetrics.HTTP, connections::size);
        final ConnectionAdmission.PerAddress perAddress =
            new ConnectionAdmission.PerAddress(settings.connectionsPerAddressMax());
        try
        {
            final Channel server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(64 * 1024, 256 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>()
                {
                    @Override
                    protected void initChannel(final SocketChannel channel)
                    {
                        if (!ConnectionAdmission.admit(channel, connections, settings.connectionsMax(), perAddress,
                            settings.idleTimeout(), "HTTP"))
                        {
                            return;
                        }
                        if (settings.tls() != null)
                        {
                            ServerTls.addTo(channel, settings.tls(), "HTTP");
                        }
                        addProtocolHandlers(channel.pipeline(), context, settings, bearer);
                    }
                })
                .bind(settings.host(), settings.port()).syncUninterruptibly().channel();
            LOG.info("HTTP API listening on {}{}{}", server.localAddress(), settings.tls() == null ? "" : " (HTTPS)",
                context.security().required() ? "" : " WITHOUT AUTHENTICATION (development mode)");
            return new HttpGateway(group, connections, server, bearer);
        }
        catch (final RuntimeException ex)
        {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            bearer.close();
            throw new IllegalStateException("cannot listen on " + settings.host() + ":" + settings.port() + ": " +
                ex.getMessage(), ex);
        }
    }

    /**
     * The handlers of one connection after admission and TLS: HTTP/1.1, keep-alive, whole bodies up to the limit,
     * then the API. The fuzz tests build the same pipeline on an embedded channel.
     */
    public static void addProtocolHandlers(
        final ChannelPipeline pipeline,
        final GatewayContext context,
        final HttpSettings settings,
        final BearerAuthenticator bearer)
    {
        if (!settings.requestReadTimeout().isZero())
        {
            final RequestReadDeadline deadline = new RequestReadDeadline(settings.requestReadTimeout());
            pipeline.addLast(deadline.start(), new HttpServerCodec(), new ResponseCounter(context.metrics()),
                new HttpServerKeepAliveHandler(), new JsonObjectAggregator(settings.bodyBytesMax()), deadline.end());
        }
        else
        {
            pipeline.addLast(new HttpServerCodec(), new ResponseCounter(context.metrics()),
                new HttpServerKeepAliveHandler(), new JsonObjectAggregator(settings.bodyBytesMax()));
        }
        pipeline.addLast(new HttpApi(context, settings, bearer));
    }

    /**
     * Counts every response written on the connection by status, whichever handler wrote it.
     */
    private static final class ResponseCounter extends ChannelOutboundHandlerAdapter
    {
        private final GatewayMetrics metrics;

        ResponseCounter(final GatewayMetrics metrics)
        {
            this.metrics = metrics;
        }

        @Override
        public void write(final ChannelHandlerContext ctx, final Object msg, final ChannelPromise promise)
        {
            if (msg instanceof HttpResponse response)
            {
                metrics.httpResponse(response.status().code());
            }
            ctx.write(msg, promise);
        }
    }

    /**
     * Refuses a body over the limit with 413 and a JSON message that names the limit, then closes the connection
     * (the rest of the body would otherwise have to be read and thrown away).
     */
    private static final class JsonObjectAggregator extends HttpObjectAggregator
    {
        JsonObjectAggregator(final int bodyBytesMax)
        {
            super(bodyBytesMax);
        }

        @Override
        protected void handleOversizedMessage(final ChannelHandlerContext ctx, final HttpMessage oversized)
        {
            final FullHttpResponse response = HttpResponses.response(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
                HttpResponses.failure("the request body is larger than the limit of " + maxContentLength() +
                    " bytes (wallet.http.max-body-bytes)"));
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    public InetSocketAddress address()
    {
        return (InetSocketAddress)server.localAddress();
    }

    /**
     * Stops accepting connections; those open go on, so that requests already in the ledger are answered while it
     * drains, and a request that comes meanwhile is answered 503.
     */
    public void stopAccepting()
    {
        server.close().syncUninterruptibly();
    }

    /**
     * Stops accepting, writes out every response the connections were given, closes every connection and stops the
     * event loops. Call it once the ledger has drained, so that every request it accepted has been answered.
     */
    @Override
    public void close()
    {
        server.close().syncUninterruptibly();
        ConnectionAdmission.flushAndClose(connections);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        bearer.close();
    }
}
