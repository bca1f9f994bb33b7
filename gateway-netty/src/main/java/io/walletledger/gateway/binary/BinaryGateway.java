package io.walletledger.gateway.binary;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.walletledger.gateway.ConnectionAdmission;
import io.walletledger.gateway.GatewayContext;
import io.walletledger.gateway.GatewayMetrics;
import io.walletledger.gateway.ServerTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The binary protocol over TCP: frames of a 4-byte little-endian length and one SBE request each, passed to the
 * ledger, each answered by one response frame. See {@link BinaryConnection} for back-pressure and bad input.
 */
public final class BinaryGateway implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(BinaryGateway.class);

    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final ChannelGroup connections;
    private final Channel server;

    private BinaryGateway(
        final EventLoopGroup acceptor, final EventLoopGroup workers, final ChannelGroup connections, final Channel server)
    {
        this.acceptor = acceptor;
        this.workers = workers;
        this.connections = connections;
        this.server = server;
    }

    /**
     * Binds and starts serving, with event-loop threads of a default factory.
     *
     * @see #start(GatewayContext, BinarySettings, int, ThreadFactory)
     */
    public static BinaryGateway start(final GatewayContext context, final BinarySettings settings, final int threads)
    {
        return start(context, settings, threads, new DefaultThreadFactory("wallet-binary"));
    }

    /**
     * Binds and starts serving.
     *
     * @param context       where requests go, who may send them, where latencies are recorded.
     * @param settings      address and limits.
     * @param threads       event-loop threads for connections.
     * @param threadFactory makes the connections' event-loop threads (the server's sets their scheduling).
     * @return the running gateway.
     * @throws IllegalStateException if the address cannot be bound.
     */
    public static BinaryGateway start(
        final GatewayContext context,
        final BinarySettings settings,
        final int threads,
        final ThreadFactory threadFactory)
    {
        final EventLoopGroup acceptor = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        final EventLoopGroup workers =
            new MultiThreadIoEventLoopGroup(threads, threadFactory, NioIoHandler.newFactory());
        final ChannelGroup connections = new DefaultChannelGroup("wallet-binary", GlobalEventExecutor.INSTANCE);
        context.metrics().connections(GatewayMetrics.BINARY, connections::size);
        final ConnectionAdmission.PerAddress perAddress =
            new ConnectionAdmission.PerAddress(settings.connectionsPerAddressMax());
        try
        {
            final ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, workers)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                    new WriteBufferWaterMark(settings.writeBufferLowWaterMark(), settings.writeBufferHighWaterMark()))
                .childHandler(new ChannelInitializer<SocketChannel>()
                {
                    @Override
                    protected void initChannel(final SocketChannel channel)
                    {
                        if (!ConnectionAdmission.admit(channel, connections, settings.connectionsMax(), perAddress,
                            settings.idleTimeout(), "binary"))
                        {
                            return;
                        }
                        if (settings.tls() != null)
                        {
                            ServerTls.addTo(channel, settings.tls(), "binary");
                        }
                        addProtocolHandlers(channel.pipeline(), context, settings);
                    }
                });
            final Channel server = bootstrap.bind(settings.host(), settings.port()).syncUninterruptibly().channel();
            LOG.info("binary gateway listening on {}{}{}", server.localAddress(), settings.tls() == null ? "" : " (TLS)",
                context.security().required() ? "" : " WITHOUT AUTHENTICATION (development mode)");
            return new BinaryGateway(acceptor, workers, connections, server);
        }
        catch (final RuntimeException ex)
        {
            acceptor.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IllegalStateException("cannot listen on " + settings.host() + ":" + settings.port() + ": " +
                ex.getMessage(), ex);
        }
    }

    /**
     * The handlers of one connection after admission and TLS: framing, then the requests of the connection. The
     * fuzz tests build the same pipeline on an embedded channel.
     */
    public static void addProtocolHandlers(
        final ChannelPipeline pipeline, final GatewayContext context, final BinarySettings settings)
    {
        final BinaryFrameDecoder framing =
            new BinaryFrameDecoder(settings.frameBytesMax(), !context.security().required());
        pipeline.addLast(framing, new BinaryConnection(context, settings, framing));
    }

    /**
     * @return the bound address (the actual port when 0 was asked for).
     */
    public InetSocketAddress address()
    {
        return (InetSocketAddress)server.localAddress();
    }

    /**
     * Stops accepting connections; those open go on, so that requests already in the ledger are answered while it
     * drains, and a request that comes meanwhile is answered that the ledger is shutting down.
     */
    public void stopAccepting()
    {
        server.close().syncUninterruptibly();
    }

    /**
     * Stops accepting, writes out every reply the connections were given (the event loops run them in order), closes
     * every connection and stops the event loops. Call it once the ledger has drained, so that every request it
     * accepted has been answered.
     */
    @Override
    public void close()
    {
        server.close().syncUninterruptibly();
        ConnectionAdmission.flushAndClose(connections);
        acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
