package io.walletledger.gateway;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import io.netty.buffer.Unpooled;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The limits every listener applies to a new connection: a cap on open connections, a cap per client address (so
 * one address cannot take every slot), and an idle timeout.
 */
public final class ConnectionAdmission
{
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionAdmission.class);

    private ConnectionAdmission()
    {
    }

    /**
     * Closes the connection if {@code connectionsMax} are already open; otherwise tracks it in {@code connections}
     * and, for a non-zero {@code idleTimeout}, adds the handler that reports it idle.
     *
     * @return whether the connection was admitted: the caller adds its handlers only then.
     */
    public static boolean admit(
        final SocketChannel channel,
        final ChannelGroup connections,
        final int connectionsMax,
        final PerAddress perAddress,
        final Duration idleTimeout,
        final String listener)
    {
        if (connections.size() >= connectionsMax)
        {
            LOG.warn("refusing {}: {} {} connections are open", channel.remoteAddress(), connectionsMax, listener);
            channel.close();
            return false;
        }
        final InetAddress address = channel.remoteAddress() == null ? null : channel.remoteAddress().getAddress();
        if (address != null && !perAddress.tryOpen(address))
        {
            LOG.warn("refusing {}: {} {} connections from that address are open", channel.remoteAddress(),
                perAddress.max, listener);
            channel.close();
            return false;
        }
        if (address != null)
        {
            channel.closeFuture().addListener(closed -> perAddress.closed(address));
        }
        connections.add(channel);
        if (!idleTimeout.isZero())
        {
            channel.pipeline().addLast(new IdleStateHandler(idleTimeout.toNanos(), 0, 0, TimeUnit.NANOSECONDS));
        }
        return true;
    }

    /**
     * Connections open per client address, for one listener.
     */
    public static final class PerAddress
    {
        private final int max;
        private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();

        /**
         * @param max connections one address may hold at once; 0: no limit.
         */
        public PerAddress(final int max)
        {
            this.max = max;
        }

        boolean tryOpen(final InetAddress address)
        {
            final boolean[] admitted = {false};
            open.compute(address, (key, count) ->
            {
                final int now = count == null ? 0 : count;
                if (max > 0 && now >= max)
                {
                    return count;
                }
                admitted[0] = true;
                return now + 1;
            });
            return admitted[0];
        }

        void closed(final InetAddress address)
        {
            open.computeIfPresent(address, (key, count) -> count <= 1 ? null : count - 1);
        }
    }

    /** How long a shutdown waits for clients to take the replies they were given before it closes them. */
    static final long FLUSH_AT_CLOSE_SECONDS = 5;

    /**
     * Writes out what each connection was given, then closes it. The flush goes on each connection's event loop after
     * the replies already handed to that loop, so those go first; a client that does not take them within
     * {@link #FLUSH_AT_CLOSE_SECONDS} is closed anyway.
     */
    public static void flushAndClose(final ChannelGroup connections)
    {
        if (!connections.writeAndFlush(Unpooled.EMPTY_BUFFER).awaitUninterruptibly(FLUSH_AT_CLOSE_SECONDS,
            TimeUnit.SECONDS))
        {
            LOG.warn("closing connections whose clients did not take their replies within {} s",
                FLUSH_AT_CLOSE_SECONDS);
        }
        connections.close().syncUninterruptibly();
    }

    /**
     * @return the address a connection comes from, without the port, for logs.
     */
    public static String remoteHost(final io.netty.channel.Channel channel)
    {
        return channel.remoteAddress() instanceof java.net.InetSocketAddress address && address.getAddress() != null ?
            address.getAddress().getHostAddress() : String.valueOf(channel.remoteAddress());
    }
}
