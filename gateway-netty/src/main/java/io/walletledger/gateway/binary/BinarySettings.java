package io.walletledger.gateway.binary;

import io.netty.handler.ssl.SslContext;
import io.walletledger.protocol.ProtocolLimits;

import java.time.Duration;

/**
 * The address and limits of the binary protocol's listener.
 *
 * @param host                       to bind, e.g. 127.0.0.1.
 * @param port                       to bind; 0 for any free port.
 * @param batchEventsMax             the most events per request (the engine's limit).
 * @param frameBytesMax              the largest request frame accepted, length field excluded; larger ones are
 *                                   answered FRAME_TOO_LARGE and the connection is closed.
 * @param inFlightPerConnectionMax   requests of one connection in the ledger at once; reading pauses beyond it.
 * @param writeBufferLowWaterMark    bytes of unsent replies below which a paused connection reads again.
 * @param writeBufferHighWaterMark   bytes of unsent replies above which the connection stops reading.
 * @param slowConsumerTimeout        a connection unwritable for this long (its client does not read) is closed.
 * @param idleTimeout                a connection that sends nothing for this long is closed; zero: never.
 * @param connectionsMax             connections open at once; more are closed at once.
 * @param connectionsPerAddressMax   connections from one client address at once; more are closed at once; 0: no
 *                                   limit.
 * @param tls                        the server's TLS context ({@link ServerTls#context}); null for plain TCP.
 */
public record BinarySettings(
    String host,
    int port,
    int batchEventsMax,
    int frameBytesMax,
    int inFlightPerConnectionMax,
    int writeBufferLowWaterMark,
    int writeBufferHighWaterMark,
    Duration slowConsumerTimeout,
    Duration idleTimeout,
    int connectionsMax,
    int connectionsPerAddressMax,
    SslContext tls)
{
    /**
     * @return settings for a loopback listener on a free port, with the defaults of the configuration reference.
     */
    public static BinarySettings loopback(final int batchEventsMax)
    {
        return new BinarySettings("127.0.0.1", 0, batchEventsMax, ProtocolLimits.messageLengthMax(batchEventsMax),
            64, 1 << 20, 4 << 20, Duration.ofSeconds(30), Duration.ZERO, 1024, 0, null);
    }

    public BinarySettings
    {
        if (port < 0 || port > 65535)
        {
            throw new IllegalArgumentException("port must be in 0..65535, was " + port);
        }
        if (frameBytesMax < 16)
        {
            throw new IllegalArgumentException("frameBytesMax must be at least 16, was " + frameBytesMax);
        }
        if (inFlightPerConnectionMax < 1 || connectionsMax < 1 || connectionsPerAddressMax < 0)
        {
            throw new IllegalArgumentException("inFlightPerConnectionMax and connectionsMax must be at least 1, " +
                "connectionsPerAddressMax not negative");
        }
        if (writeBufferLowWaterMark < 1 || writeBufferHighWaterMark <= writeBufferLowWaterMark)
        {
            throw new IllegalArgumentException("the write buffer high water mark must exceed the low one, which " +
                "must be positive: " + writeBufferLowWaterMark + ", " + writeBufferHighWaterMark);
        }
        if (slowConsumerTimeout.isNegative() || slowConsumerTimeout.isZero() || idleTimeout.isNegative())
        {
            throw new IllegalArgumentException("slowConsumerTimeout must be positive and idleTimeout not negative");
        }
        if (tls != null && !tls.isServer())
        {
            throw new IllegalArgumentException("tls must be a server context");
        }
    }

    /**
     * @return the same settings on another port.
     */
    public BinarySettings withPort(final int port)
    {
        return new BinarySettings(host, port, batchEventsMax, frameBytesMax, inFlightPerConnectionMax,
            writeBufferLowWaterMark, writeBufferHighWaterMark, slowConsumerTimeout, idleTimeout, connectionsMax,
            connectionsPerAddressMax, tls);
    }

    /**
     * @param tls the server's TLS context; null for plain TCP.
     * @return the same settings with TLS on or off.
     */
    public BinarySettings withTls(final SslContext tls)
    {
        return new BinarySettings(host, port, batchEventsMax, frameBytesMax, inFlightPerConnectionMax,
            writeBufferLowWaterMark, writeBufferHighWaterMark, slowConsumerTimeout, idleTimeout, connectionsMax,
            connectionsPerAddressMax, tls);
    }
}
