package io.walletledger.gateway;

import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The limits every listener applies to a new connection: a cap on open connections, and an idle timeout.
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
        final Duration idleTimeout,
        final String listener)
    {
        if (connections.size() >= connectionsMax)
        {
            LOG.warn("refusing {}: {} {} connections are open", channel.remoteAddress(), connectionsMax, listener);
            channel.close();
            return false;
        }
        connections.add(channel);
        if (!idleTimeout.isZero())
        {
            channel.pipeline().addLast(new IdleStateHandler(idleTimeout.toNanos(), 0, 0, TimeUnit.NANOSECONDS));
        }
        return true;
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
