package io.walletledger.gateway;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.walletledger.protocol.CurrencyRegistry;
import io.walletledger.protocol.RequestSubmitter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The HTTP/JSON API listener ({@link HttpApi} lists the endpoints). Bodies larger than the limit are refused
 * with 413 by Netty's aggregator before they are read whole.
 */
public final class HttpGateway implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(HttpGateway.class);

    private final EventLoopGroup group;
    private final ChannelGroup connections;
    private final Channel server;

    private HttpGateway(final EventLoopGroup group, final ChannelGroup connections, final Channel server)
    {
        this.group = group;
        this.connections = connections;
        this.server = server;
    }

    /**
     * Binds and starts serving.
     *
     * @param ledger     where requests go.
     * @param settings   address and limits.
     * @param currencies the registry that names currencies in JSON.
     * @param metrics    writes the node's metrics for {@code GET /metrics}.
     * @param latency    where request latencies are recorded, and reported.
     * @param healthy    whether the ledger serves, for {@code GET /health}.
     * @return the running gateway.
     */
    public static HttpGateway start(
        final RequestSubmitter ledger,
        final HttpSettings settings,
        final CurrencyRegistry currencies,
        final MetricsWriter metrics,
        final RequestLatency latency,
        final BooleanSupplier healthy)
    {
        final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        final ChannelGroup connections = new DefaultChannelGroup("wallet-http", GlobalEventExecutor.INSTANCE);
        try
        {
            final Channel server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>()
                {
                    @Override
                    protected void initChannel(final SocketChannel channel)
                    {
                        connections.add(channel);
                        channel.pipeline().addLast(
                            new HttpServerCodec(),
                            new HttpServerKeepAliveHandler(),
                            new HttpObjectAggregator(settings.maxBodyBytes()),
                            new HttpApi(ledger, settings, currencies, metrics, latency, healthy));
                    }
                })
                .bind(settings.host(), settings.port()).syncUninterruptibly().channel();
            LOG.info("HTTP API listening on {}", server.localAddress());
            return new HttpGateway(group, connections, server);
        }
        catch (final RuntimeException ex)
        {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot listen on " + settings.host() + ":" + settings.port() + ": " +
                ex.getMessage(), ex);
        }
    }

    public InetSocketAddress address()
    {
        return (InetSocketAddress)server.localAddress();
    }

    @Override
    public void close()
    {
        server.close().syncUninterruptibly();
        connections.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
