package io.walletledger.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.walletledger.protocol.FrameDescriptor;
import io.walletledger.protocol.PortableBuffer;
import io.walletledger.protocol.ProtocolLimits;
import io.walletledger.protocol.sbe.ErrorCode;
import io.walletledger.protocol.sbe.ErrorResponseDecoder;
import org.agrona.collections.Long2ObjectHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client's one connection and everything that waits on it, all owned by one Netty event loop: requests queued
 * for the connection or a free slot, requests on the wire keyed by correlation id, requests pausing after a
 * {@code BUSY}, their time-outs, and reconnecting. Callers on any thread hand requests over with {@link #submit};
 * every future completes on the event loop.
 *
 * <pre>
 *  submit ──► QUEUED ──(connected, slot free)──► IN_FLIGHT ──response──► DONE
 *               ▲                                   │  │
 *               └──────── BUSY_WAIT ◄───BUSY────────┘  └─connection lost──► DONE (WalletConnectionException)
 *  any state ──deadline──► DONE (WalletTimeoutException)
 * </pre>
 */
final class RequestDispatcher
{
    private static final Logger LOG = LoggerFactory.getLogger(RequestDispatcher.class);
    private static final long BUSY_RETRY_DELAY_INITIAL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long CLOSE_WAIT_SECONDS = 5;

    private final WalletClientOptions options;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private static final String RESPONSE_HANDLER = "responses";

    private final Bootstrap bootstrap;
    private final ResponseAdapter response = new ResponseAdapter();
    /** The frame being decoded, as a heap copy: the client reads through VarHandles, never Unsafe (no JVM flags). */
    private final PortableBuffer frameView = new PortableBuffer();
    private byte[] frameCopy = new byte[4096];
    private final Long2ObjectHashMap<PendingRequest<?>> inFlight = new Long2ObjectHashMap<>();
    private final ArrayDeque<PendingRequest<?>> queued = new ArrayDeque<>();
    private final Set<PendingRequest<?>> busyWaiting = new HashSet<>();
    private final AtomicLong nextCorrelationId = new AtomicLong(1);
    private final AtomicLong requestsSent = new AtomicLong();
    private final AtomicLong connectionsEstablished = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CompletableFuture<Void> firstConnection = new CompletableFuture<>();
    private volatile boolean connected;
    private Channel channel;
    private boolean gaveUp;
    private long reconnectDelayNanos;
    private String lastServerError;

    RequestDispatcher(final WalletClientOptions options)
    {
        this.options = options;
        this.reconnectDelayNanos = options.reconnectDelayInitial().toNanos();
        // A daemon thread: a client the application forgot to close does not keep the JVM alive.
        final ThreadFactory ioThreads = options.ioThreadFactory() != null ? options.ioThreadFactory() :
            new DefaultThreadFactory("wallet-client", true);
        this.group = new MultiThreadIoEventLoopGroup(1, ioThreads, NioIoHandler.newFactory());
        this.loop = group.next();
        final int frameLengthMax = FrameDescriptor.LENGTH_FIELD_LENGTH +
            ProtocolLimits.responseLengthMax(options.batchEventsMax());
        this.bootstrap = new Bootstrap()
            .group(loop)
            .channel(NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)Math.min(Integer.MAX_VALUE,
                options.requestTimeout().toMillis()))
            .handler(new ChannelInitializer<SocketChannel>()
            {
                @Override
                protected void initChannel(final SocketChannel channel)
                {
                    if (options.tls() != null)
                    {
                        channel.pipeline().addLast(
                            options.tls().context().newHandler(channel.alloc(), options.host(), options.port()));
                    }
                    channel.pipeline().addLast(
                        new LengthFieldBasedFrameDecoder(FrameDescriptor.BYTE_ORDER, frameLengthMax,
                            FrameDescriptor.LENGTH_FIELD_OFFSET, FrameDescriptor.LENGTH_FIELD_LENGTH, 0,
                            FrameDescriptor.LENGTH_FIELD_LENGTH, true));
                    channel.pipeline().addLast(RESPONSE_HANDLER, new ResponseHandler());
                }
            });
    }

    /**
     * Starts the first connection attempt.
     *
     * @return completes when connected, or exceptionally with the reason the first attempt failed.
     */
    CompletableFuture<Void> start()
    {
        loop.execute(this::connect);
        return firstConnection;
    }

    /**
     * @return a correlation id not used before by this client.
     */
    long nextCorrelationId()
    {
        return nextCorrelationId.getAndIncrement();
    }

    /**
     * Hands a request to the event loop. Thread-safe.
     *
     * @return the request's future, which completes on the event loop.
     */
    <T> CompletableFuture<T> submit(final PendingRequest<T> request)
    {
        try
        {
            loop.execute(() -> enqueue(request));
        }
        catch (final RejectedExecutionException ex)
        {
            request.future.completeExceptionally(closedException());
        }
        return request.future;
    }

    EventLoop loop()
    {
        return loop;
    }

    boolean isClosed()
    {
        return closed.get();
    }

    boolean isConnected()
    {
        return connected;
    }

    long requestsSent()
    {
        return requestsSent.get();
    }

    long connectionsEstablished()
    {
        return connectionsEstablished.get();
    }

    static WalletConnectionException closedException()
    {
        return new WalletConnectionException("the client is closed", null);
    }

    private void connect()
    {
        if (closed.get())
        {
            return;
        }
        bootstrap.connect(options.host(), options.port()).addListener((ChannelFutureListener)this::onConnectDone);
    }

    private void onConnectDone(final ChannelFuture future)
    {
        if (closed.get())
        {
            future.channel().close();
            return;
        }
        if (!future.isSuccess())
        {
            if (!firstConnection.isDone())
            {
                firstConnection.completeExceptionally(future.cause());
                return;
            }
            LOG.debug("cannot reconnect to {}:{}: {}", options.host(), options.port(), future.cause().toString());
            scheduleReconnect();
            return;
        }
        final SslHandler tls = future.channel().pipeline().get(SslHandler.class);
        if (tls != null)
        {
            // Connected means able to send: after the handshake, which also proves the server's identity.
            tls.handshakeFuture().addListener((handshake) -> onHandshakeDone(future.channel(), handshake));
            return;
        }
        authenticate(future.channel());
    }

    private void onHandshakeDone(final Channel handshaken, final Future<?> handshake)
    {
        if (closed.get())
        {
            handshaken.close();
            return;
        }
        if (handshake.isSuccess())
        {
            authenticate(handshaken);
            return;
        }
        handshaken.close();
        final Throwable cause = handshake.cause();
        if (!firstConnection.isDone())
        {
            firstConnection.completeExceptionally(new SSLException("the TLS handshake failed (" +
                options.tls() + "): " + cause.getMessage(), cause));
            return;
        }
        LOG.warn("cannot reconnect to {}:{}: the TLS handshake failed: {}", options.host(), options.port(),
            cause.toString());
        scheduleReconnect();
    }

    /**
     * With credentials, runs the authentication exchange before the connection counts as connected; a refused key
     * fails the first connection, and on a later one is logged and retried with backoff.
     */
    private void authenticate(final Channel connection)
    {
        if (options.credentials() == null)
        {
            onConnected(connection);
            return;
        }
        final io.netty.util.concurrent.Promise<Void> done = loop.newPromise();
        final ClientAuthExchange exchange = new ClientAuthExchange(options.credentials(), done);
        connection.pipeline().addBefore(RESPONSE_HANDLER, "authentication", exchange);
        done.addListener((result) ->
        {
            if (closed.get())
            {
                connection.close();
                return;
            }
            if (result.isSuccess())
            {
                onConnected(connection);
                return;
            }
            connection.close();
            if (!firstConnection.isDone())
            {
                firstConnection.completeExceptionally(result.cause());
                return;
            }
            LOG.warn("cannot reconnect to {}:{}: {}", options.host(), options.port(), result.cause().getMessage());
            scheduleReconnect();
        });
        exchange.start(connection);
    }

    private void onConnected(final Channel channel)
    {
        this.channel = channel;
        connected = true;
        lastServerError = null;
        reconnectDelayNanos = options.reconnectDelayInitial().toNanos();
        connectionsEstablished.incrementAndGet();
        if (!firstConnection.complete(null))
        {
            LOG.info("reconnected to {}:{}", options.host(), options.port());
        }
        drain();
    }

    private void scheduleReconnect()
    {
        if (closed.get())
        {
            return;
        }
        final long delay = reconnectDelayNanos;
        reconnectDelayNanos = Math.min(delay * 2, options.reconnectDelayMax().toNanos());
        loop.schedule(this::connect, delay, TimeUnit.NANOSECONDS);
    }

    private void enqueue(final PendingRequest<?> request)
    {
        if (closed.get())
        {
            request.fail(closedException());
            return;
        }
        if (gaveUp)
        {
            request.fail(new WalletConnectionException("the connection to " + options.host() + ":" + options.port() +
                " was lost and reconnecting is off; " + request + " was not sent", null));
            return;
        }
        final long remainingNanos = request.deadlineNanos - System.nanoTime();
        if (remainingNanos <= 0)
        {
            request.fail(new WalletTimeoutException(request + " timed out before it could be sent; it was not sent"));
            return;
        }
        if (queued.size() >= options.queuedRequestsMax())
        {
            request.fail(new WalletQueueFullException(options.queuedRequestsMax() + " requests already wait in the " +
                "client; " + request + " was not sent"));
            return;
        }
        request.timeout = loop.schedule(() -> onTimeout(request), remainingNanos, TimeUnit.NANOSECONDS);
        request.state = PendingRequest.State.QUEUED;
        queued.add(request);
        drain();
    }

    /**
     * Writes queued requests while the connection is up, a slot is free and the socket takes more.
     */
    private void drain()
    {
        final Channel channel = this.channel;
        if (channel == null || !channel.isActive())
        {
            return;
        }
        boolean wrote = false;
        while (inFlight.size() + busyWaiting.size() < options.inFlightRequestsMax() && channel.isWritable())
        {
            final PendingRequest<?> request = queued.poll();
            if (request == null)
            {
                break;
            }
            request.state = PendingRequest.State.IN_FLIGHT;
            inFlight.put(request.correlationId, request);
            channel.write(Unpooled.wrappedBuffer(request.frame), channel.voidPromise());
            requestsSent.incrementAndGet();
            wrote = true;
        }
        if (wrote)
        {
            channel.flush();
        }
    }

    private void onFrame(final ByteBuf frame)
    {
        final int length = frame.readableBytes();
        if (frame.hasArray())
        {
            frameView.wrap(frame.array(), frame.arrayOffset() + frame.readerIndex(), length);
        }
        else
        {
            if (frameCopy.length < length)
            {
                // Bounded by the frame decoder's maximum, the longest response to the largest batch.
                frameCopy = new byte[Math.max(length, frameCopy.length * 2)];
            }
            frame.getBytes(frame.readerIndex(), frameCopy, 0, length);
            frameView.wrap(frameCopy, 0, length);
        }

        if (!response.wrap(frameView, 0, length))
        {
            protocolError("a response that is too short or of another schema");
            return;
        }
        final long correlationId = response.correlationId();
        final PendingRequest<?> request = inFlight.get(correlationId);
        try
        {
            if (response.templateId() == ErrorResponseDecoder.TEMPLATE_ID)
            {
                onErrorResponse(request, correlationId);
            }
            else if (request == null)
            {
                LOG.debug("dropping the response to request {}, which is no longer waiting", correlationId);
            }
            else if (response.templateId() != request.responseTemplateId)
            {
                protocolError("response template " + response.templateId() + " to " + request);
                return;
            }
            else
            {
                request.succeed(response);
                inFlight.remove(correlationId);
            }
        }
        catch (final RuntimeException ex)
        {
            LOG.warn("cannot read the response to request {}", correlationId, ex);
            protocolError("an unreadable response to request " + correlationId + ": " + ex.getMessage());
            return;
        }
        drain();
    }

    private void onErrorResponse(final PendingRequest<?> request, final long correlationId)
    {
        final ErrorCode code = response.errorCode();
        final String message = response.errorMessage();
        if (request == null)
        {
            // Correlation id 0 or unknown: about the connection as a whole, e.g. just before the server closes it.
            lastServerError = code + ": " + message;
            LOG.warn("{}:{} said about request {}: {} {}", options.host(), options.port(), correlationId, code, message);
            return;
        }
        inFlight.remove(correlationId);
        if (code == ErrorCode.BUSY && request.busyRetries < options.busyRetriesMax())
        {
            // Nothing of the request was applied; transfer ids are idempotency keys, so sending it again is safe.
            final long delay = BUSY_RETRY_DELAY_INITIAL_NANOS << request.busyRetries;
            request.busyRetries++;
            request.state = PendingRequest.State.BUSY_WAIT;
            busyWaiting.add(request);
            request.busyRetry = loop.schedule(() -> retryAfterBusy(request), delay, TimeUnit.NANOSECONDS);
            return;
        }
        request.fail(new WalletException(code, message));
    }

    private void retryAfterBusy(final PendingRequest<?> request)
    {
        if (request.state != PendingRequest.State.BUSY_WAIT)
        {
            return;
        }
        busyWaiting.remove(request);
        request.state = PendingRequest.State.QUEUED;
        queued.addFirst(request);
        drain();
    }

    private void onTimeout(final PendingRequest<?> request)
    {
        final String detail;
        switch (request.state)
        {
            case QUEUED:
                queued.remove(request);
                detail = channel == null ?
                    " while waiting for a connection to " + options.host() + ":" + options.port() + "; it was not sent" :
                    " while waiting for a free in-flight slot; it was not sent";
                break;
            case IN_FLIGHT:
                inFlight.remove(request.correlationId);
                detail = "; its outcome is unknown: resending the same transfer ids is safe (they answer EXISTS or " +
                    "their original failure)";
                break;
            case BUSY_WAIT:
                busyWaiting.remove(request);
                detail = " after the server answered BUSY " + request.busyRetries + " times; nothing was applied";
                break;
            default:
                return;
        }
        request.fail(new WalletTimeoutException(request + " got no answer within " + options.requestTimeout() + detail));
        drain();
    }

    private void onChannelInactive(final Channel inactive)
    {
        if (inactive != channel)
        {
            return;
        }
        channel = null;
        connected = false;
        final List<PendingRequest<?>> lost = new ArrayList<>(inFlight.values());
        inFlight.clear();
        final String reason = "the connection to " + options.host() + ":" + options.port() + " was lost" +
            (lastServerError == null ? "" : " after the server said " + lastServerError);
        for (final PendingRequest<?> request : lost)
        {
            request.fail(new WalletConnectionException(reason + "; the outcome of " + request + " is unknown: " +
                "resending the same transfer ids is safe (they answer EXISTS or their original failure)", null));
        }
        if (closed.get())
        {
            return;
        }
        if (options.reconnect())
        {
            LOG.warn("{}; reconnecting", reason);
            scheduleReconnect();
        }
        else
        {
            LOG.warn("{}; reconnecting is off", reason);
            gaveUp = true;
            failWaiting(new WalletConnectionException(reason + " and reconnecting is off; the request was not sent",
                null));
        }
    }

    private void failWaiting(final WalletClientException cause)
    {
        final List<PendingRequest<?>> waiting = new ArrayList<>(queued);
        waiting.addAll(busyWaiting);
        queued.clear();
        busyWaiting.clear();
        for (final PendingRequest<?> request : waiting)
        {
            request.fail(cause);
        }
    }

    private void protocolError(final String what)
    {
        LOG.warn("closing the connection to {}:{}: {}", options.host(), options.port(), what);
        lastServerError = "(protocol error: " + what + ")";
        if (channel != null)
        {
            channel.close();
        }
    }

    /**
     * Fails everything still waiting, closes the connection and stops the event loop. Idempotent.
     *
     * @param beforeClose runs on the event loop first, e.g. to fail what the caller keeps there.
     */
    void close(final Runnable beforeClose)
    {
        if (!closed.compareAndSet(false, true))
        {
            return;
        }
        final Runnable shutdown = () ->
        {
            beforeClose.run();
            shutdownOnLoop();
        };
        if (loop.inEventLoop())
        {
            shutdown.run();
            group.shutdownGracefully(0, CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
            return;
        }
        try
        {
            loop.submit(shutdown).awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
        }
        catch (final RejectedExecutionException alreadyStopped)
        {
            LOG.debug("the client's event loop had already stopped");
        }
        group.shutdownGracefully(0, CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)
            .awaitUninterruptibly(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private void shutdownOnLoop()
    {
        firstConnection.completeExceptionally(closedException());
        failWaiting(closedException());
        final List<PendingRequest<?>> lost = new ArrayList<>(inFlight.values());
        inFlight.clear();
        for (final PendingRequest<?> request : lost)
        {
            request.fail(new WalletConnectionException("the client was closed while " + request + " was in flight; " +
                "its outcome is unknown", null));
        }
        if (channel != null)
        {
            channel.close();
            channel = null;
        }
        connected = false;
    }

    /**
     * The end of the pipeline: whole response frames in, connection events to the dispatcher.
     */
    private final class ResponseHandler extends ChannelInboundHandlerAdapter
    {
        @Override
        public void channelRead(final ChannelHandlerContext ctx, final Object msg)
        {
            final ByteBuf frame = (ByteBuf)msg;
            try
            {
                if (ctx.channel() == channel)
                {
                    onFrame(frame);
                }
            }
            finally
            {
                frame.release();
            }
        }

        @Override
        public void channelWritabilityChanged(final ChannelHandlerContext ctx)
        {
            drain();
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(final ChannelHandlerContext ctx)
        {
            onChannelInactive(ctx.channel());
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
        {
            if (cause instanceof IOException || cause.getCause() instanceof SSLException)
            {
                // A failed TLS handshake is reported where the handshake's outcome is awaited.
                LOG.debug("connection to {}:{} failed: {}", options.host(), options.port(), cause.toString());
            }
            else
            {
                LOG.warn("closing the connection to {}:{} after an error", options.host(), options.port(), cause);
                lastServerError = "(" + cause + ")";
            }
            ctx.close();
        }
    }
}
