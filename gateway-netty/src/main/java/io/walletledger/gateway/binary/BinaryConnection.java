package io.walletledger.gateway.binary;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import io.walletledger.gateway.ConnectionAdmission;
import io.walletledger.gateway.GatewayContext;
import io.walletledger.gateway.RequestGate;
import io.walletledger.gateway.GatewayMetrics;
import io.walletledger.gateway.TransferArchive;
import io.walletledger.gateway.security.ApiKey;
import io.walletledger.gateway.security.GatewaySecurity;
import io.walletledger.gateway.security.TransferLookupFilter;
import io.walletledger.protocol.FrameDescriptor;
import io.walletledger.protocol.ProtocolLimits;
import io.walletledger.protocol.ReplyHandler;
import io.walletledger.protocol.RequestType;
import io.walletledger.protocol.Submission;
import io.walletledger.protocol.sbe.ErrorCode;
import io.walletledger.protocol.sbe.LookupTransfersDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One client connection of the binary gateway, after the length-field framing: every frame is one request. Runs on
 * the connection's event loop; replies arrive on the ledger's responder thread and are handed to the event loop.
 * <p>
 * Back-pressure, end to end: the connection stops reading from its socket (auto-read off) while the ledger's ring
 * is full, while it has {@code inFlightPerConnectionMax} requests in the ledger, or while its client does not read
 * its replies (the channel is above the high water mark); it reads again when all three clear. A client that stays
 * unwritable for {@code slowConsumerTimeout} is disconnected. So a connection holds at most the frames of one
 * socket read plus its requests in flight.
 * <p>
 * Reply memory is bounded in bytes too: each request in flight sets aside the longest answer it can have
 * ({@code ProtocolLimits.replyLengthMax}), and a request goes only while what is set aside plus the unsent replies
 * stay within the high water mark (or nothing else is in flight), so a client that asks for large answers and reads
 * them slowly holds at most about the high water mark plus one answer. A reply that cannot be built (no memory left)
 * frees its request and closes the connection: the client learns its outcome is unknown rather than waiting for
 * ever, and the connection's count of requests in flight never wedges.
 * <p>
 * Bad input never reaches the ledger and never harms another connection: a malformed request, an unknown message
 * type or a batch over the limit is answered with an {@code Error} and the connection goes on; a frame over the
 * size limit or a corrupt length field (after which the stream cannot be trusted) is answered and closed.
 * <p>
 * Security: when the server requires authentication, the first frames must be the exchange of
 * {@link BinaryAuthExchange}, finished within {@link #AUTHENTICATION_TIMEOUT_SECONDS}; anything else is answered
 * {@code UNAUTHENTICATED} and the connection closed. After it, every request goes through the {@link RequestGate}
 * (shape, key still current, role, accounts and rate) before it reaches the ledger ({@code FORBIDDEN},
 * {@code RATE_LIMITED}; the connection goes on).
 */
final class BinaryConnection extends ChannelInboundHandlerAdapter
{
    private static final Logger LOG = LoggerFactory.getLogger(BinaryConnection.class);
    private static final long BUSY_RETRY_MICROS = 200;
    /** A connection that has not authenticated this long after it opened is closed. */
    static final long AUTHENTICATION_TIMEOUT_SECONDS = 10;

    private final BinarySettings settings;
    private final GatewayMetrics metrics;
    private final GatewaySecurity security;
    private final RequestGate gate;
    private final TransferArchive archive;
    /** The connection's framing, told when the connection has authenticated (frames may be longer then). */
    private final BinaryFrameDecoder framing;
    private BinaryAuthExchange exchange;
    /** Who the connection acts for; null until it authenticated. */
    private ApiKey key;
    private boolean countedForKey;
    private ScheduledFuture<?> authenticationTimeout;
    /**
     * The head of {@link #waiting} once the gate admitted it but it met a full ring: admitted again after the retry
     * it would take its transfers' tokens twice.
     */
    private ByteBuf admitted;
    private final ArrayDeque<ByteBuf> waiting = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private int inFlight;
    /** The longest answers of the requests in flight, in bytes, not yet written to the channel. */
    private long replyBytesReserved;
    private boolean ringFull;
    private boolean flushScheduled;
    private boolean closing;
    private ScheduledFuture<?> busyRetry;
    private ScheduledFuture<?> slowConsumerCheck;
    private final Runnable flushTask = this::flushReplies;
    /**
     * Replies handed over by the ledger's responder thread, written by the event loop in one pass per wake-up:
     * one task and one flush for a burst of replies rather than one each, which matters on few cores.
     */
    private final Queue<Reply> replies = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean repliesScheduled = new AtomicBoolean();
    private final Runnable writeRepliesTask = this::writeReplies;

    BinaryConnection(final GatewayContext context, final BinarySettings settings, final BinaryFrameDecoder framing)
    {
        this.framing = framing;
        this.settings = settings;
        this.metrics = context.metrics();
        this.security = context.security();
        this.gate = new RequestGate(context, settings.batchEventsMax(), "binary");
        this.archive = context.archive();
        if (security.required())
        {
            exchange = new BinaryAuthExchange(security);
        }
        else
        {
            key = GatewaySecurity.DEVELOPMENT_KEY;
        }
    }

    @Override
    public void handlerAdded(final ChannelHandlerContext ctx)
    {
        this.ctx = ctx;
        if (exchange != null)
        {
            authenticationTimeout = ctx.executor().schedule(this::authenticationTimedOut,
                AUTHENTICATION_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    private void authenticationTimedOut()
    {
        if (key == null && ctx.channel().isActive() && !closing)
        {
            LOG.info("closing {}: not authenticated within {} seconds", ctx.channel().remoteAddress(),
                AUTHENTICATION_TIMEOUT_SECONDS);
            closeWith(0, ErrorCode.UNAUTHENTICATED, "not authenticated within " + AUTHENTICATION_TIMEOUT_SECONDS +
                " seconds");
        }
    }

    @Override
    public void channelRead(final ChannelHandlerContext ctx, final Object msg)
    {
        final ByteBuf frame = (ByteBuf)msg;
        if (closing)
        {
            frame.release();
            return;
        }
        waiting.add(frame);
        drain();
    }

    /**
     * Passes waiting frames to the ledger in order, until one cannot go yet.
     */
    private void drain()
    {
        while (!waiting.isEmpty() && inFlight < settings.inFlightPerConnectionMax() && !closing)
        {
            final ByteBuf frame = waiting.peek();
            final DirectBuffer request = view(frame);
            final int length = frame.readableBytes();
            if (key == null)
            {
                waiting.poll();
                authenticate(request, length);
                frame.release();
                continue;
            }
            if (frame != admitted)
            {
                final ErrorCode refused =
                    gate.admit(key, request, 0, length, ConnectionAdmission.remoteHost(ctx.channel()));
                if (refused != null)
                {
                    if (refuse(refused, request, length))
                    {
                        continue;
                    }
                    return;
                }
                admitted = frame;
            }
            final int reserve = FrameDescriptor.LENGTH_FIELD_LENGTH + ProtocolLimits.replyLengthMax(
                RequestType.of(FrameDescriptor.templateId(request, 0)),
                FrameDescriptor.groupCount(request, FrameDescriptor.groupHeaderOffset(request, 0)));
            if (!replyFits(reserve))
            {
                // Goes on when replies are written (writeReplies) or the channel is writable again.
                updateReading();
                return;
            }
            if (!submit(frame, request, length, reserve))
            {
                return;
            }
        }
        ringFull = false;
        updateReading();
    }

    /**
     * @return whether a request whose answer may take {@code reserve} bytes may go now: what the requests in flight
     * set aside and the unsent replies leave room for it below the high water mark, or nothing else is in flight.
     */
    private boolean replyFits(final int reserve)
    {
        if (!ctx.channel().isWritable())
        {
            return false;
        }
        return inFlight == 0 || replyBytesReserved + reserve <= ctx.channel().bytesBeforeUnwritable();
    }

    /**
     * Answers the head of {@link #waiting}, which the gate refused, and drops it.
     *
     * @return whether the connection goes on: false once it is closing.
     */
    private boolean refuse(final ErrorCode refused, final DirectBuffer request, final int length)
    {
        // Read before the frame is released: the request is a view of its memory.
        final long correlationId = FrameDescriptor.correlationId(request, 0, length);
        final int templateId = FrameDescriptor.templateId(request, 0, length);
        waiting.poll().release();
        if (refused == ErrorCode.UNAUTHENTICATED)
        {
            LOG.info("closing {}: key {} was revoked or changed in the keys file",
                ConnectionAdmission.remoteHost(ctx.channel()), key.id());
            closeWith(correlationId, ErrorCode.UNAUTHENTICATED, gate.message());
            return false;
        }
        ctx.write(ErrorReplies.frame(ctx.alloc(), correlationId, refused,
            BinaryAuthExchange.isAuthTemplate(templateId) ? authenticatedAlready() : gate.message()));
        scheduleFlush();
        return true;
    }

    /**
     * Offers the head of {@link #waiting}, which the gate admitted, to the ledger.
     *
     * @return whether to go on with the next frame: false while the ring is full or once the connection is closing.
     */
    private boolean submit(final ByteBuf frame, final DirectBuffer request, final int length, final int reserve)
    {
        final long correlationId = FrameDescriptor.correlationId(request, 0, length);
        final RequestType type = RequestType.of(FrameDescriptor.templateId(request, 0));
        if (type.fromRecord())
        {
            // Decoded before the frame is released; the record answers on its own thread.
            final Reply reply = new Reply(type, null, null, false, reserve);
            CompletableFuture<ByteBuf> answer;
            try
            {
                answer = RecordQueries.history(archive, ctx.alloc(), request, length);
            }
            catch (final RuntimeException | OutOfMemoryError ex)
            {
                answer = CompletableFuture.failedFuture(ex);
            }
            waiting.poll();
            admitted = null;
            frame.release();
            inFlight++;
            replyBytesReserved += reserve;
            answer.whenComplete(reply::answered);
            return true;
        }
        final Submission submission;
        try
        {
            submission = gate.submit(key, request, 0, length, new Reply(type, frame,
                RequestGate.answerFilter(key, request, 0), archive != TransferArchive.NONE &&
                FrameDescriptor.templateId(request, 0) == LookupTransfersDecoder.TEMPLATE_ID, reserve),
                ConnectionAdmission.remoteHost(ctx.channel()));
        }
        catch (final RuntimeException ex)
        {
            // A request the ledger refuses outright (longer than any request can be): drop the connection.
            waiting.poll();
            admitted = null;
            frame.release();
            LOG.warn("closing {}: the ledger refused a request: {}", ctx.channel().remoteAddress(), ex.getMessage());
            closeWith(correlationId, ErrorCode.MALFORMED, "request refused: " + ex.getMessage());
            return false;
        }
        switch (submission)
        {
            case ACCEPTED:
                waiting.poll();
                admitted = null;
                inFlight++;
                replyBytesReserved += reserve;
                return true;
            case BUSY:
                ringFull = true;
                scheduleBusyRetry();
                updateReading();
                return false;
            default:
                // Shutting down: this request is answered, and so are those in flight, before the server closes the
                // connection; the client learns each outcome.
                waiting.poll();
                admitted = null;
                frame.release();
                ctx.write(ErrorReplies.frame(ctx.alloc(), correlationId, ErrorCode.BUSY, "the ledger is shutting " +
                    "down: this request was not applied; send it again once the server is back"));
                scheduleFlush();
                return true;
        }
    }

    /**
     * One frame of the authentication exchange, on a connection that has not authenticated.
     */
    private void authenticate(final DirectBuffer request, final int length)
    {
        final BinaryAuthExchange.Outcome outcome = exchange.onFrame(ctx.alloc(), request, length);
        final String remote = ConnectionAdmission.remoteHost(ctx.channel());
        switch (outcome)
        {
            case CONTINUE:
                ctx.write(exchange.reply());
                scheduleFlush();
                return;
            case AUTHENTICATED:
                if (!security.connectionOpened(exchange.key()))
                {
                    exchange.reply().release();
                    LOG.warn("closing {}: key {} already has {} connections", remote, exchange.key().id(),
                        security.connectionsPerKeyMax());
                    closeWith(FrameDescriptor.correlationId(request, 0, length), ErrorCode.RATE_LIMITED, "key " +
                        exchange.key().id() + " already has " + security.connectionsPerKeyMax() +
                        " connections (wallet.security.max-connections-per-key)");
                    return;
                }
                countedForKey = true;
                key = exchange.key();
                framing.authenticated();
                ctx.write(exchange.reply());
                scheduleFlush();
                exchange = null;
                authenticationTimeout.cancel(false);
                security.audit().authenticated(key.id(), remote, "binary");
                return;
            default:
                metrics.authenticationFailed(GatewayMetrics.BINARY);
                if (exchange.keyId() != null)
                {
                    security.audit().authenticationFailed(exchange.keyId(), remote, "binary");
                }
                LOG.debug("closing {}: authentication failed: {}", remote, exchange.problem());
                closing = true;
                ctx.writeAndFlush(exchange.reply()).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * An authentication message after the exchange: a shape error for the gate, but the client deserves to know why.
     */
    private String authenticatedAlready()
    {
        return security.required() ? "this connection has authenticated already" :
            "authentication is off on this server (wallet.security.mode = development)";
    }

    private static DirectBuffer view(final ByteBuf frame)
    {
        if (frame.hasMemoryAddress())
        {
            return new UnsafeBuffer(frame.memoryAddress() + frame.readerIndex(), frame.readableBytes());
        }
        if (frame.hasArray())
        {
            return new UnsafeBuffer(frame.array(), frame.arrayOffset() + frame.readerIndex(), frame.readableBytes());
        }
        final ByteBuffer nio = frame.nioBuffer(frame.readerIndex(), frame.readableBytes());
        return new UnsafeBuffer(nio, 0, nio.remaining());
    }

    private void scheduleBusyRetry()
    {
        // A retry running now is not "done" until it returns, so it clears the handle itself first: otherwise a
        // retry that meets a full ring again would schedule nothing, and a connection with nothing in flight
        // would wait for ever.
        if (busyRetry == null)
        {
            busyRetry = ctx.executor().schedule(() ->
            {
                busyRetry = null;
                drain();
            }, BUSY_RETRY_MICROS, TimeUnit.MICROSECONDS);
        }
    }

    /**
     * Reads while nothing holds the connection back.
     */
    private void updateReading()
    {
        final boolean read = !closing && !ringFull && waiting.isEmpty() &&
            inFlight < settings.inFlightPerConnectionMax() && ctx.channel().isWritable();
        if (read != ctx.channel().config().isAutoRead())
        {
            ctx.channel().config().setAutoRead(read);
            if (read)
            {
                ctx.read();
            }
        }
    }

    /**
     * On the event loop: writes every reply that has arrived, with one flush, then passes on waiting requests.
     */
    private void writeReplies()
    {
        // Cleared before taking replies, so a reply that arrives meanwhile schedules another pass.
        repliesScheduled.set(false);
        final boolean active = ctx.channel().isActive();
        boolean wrote = false;
        boolean lost = false;
        for (Reply reply = replies.poll(); reply != null; reply = replies.poll())
        {
            inFlight--;
            replyBytesReserved -= reply.reserved;
            final ByteBuf frame = reply.answer;
            if (frame == null)
            {
                lost = true;
            }
            else if (active && !closing)
            {
                ctx.write(frame);
                wrote = true;
            }
            else
            {
                frame.release();
            }
        }
        if (wrote)
        {
            ctx.flush();
        }
        if (lost && !closing)
        {
            LOG.warn("closing {}: the answer to one of its requests could not be built (the request was processed; " +
                "its client must look its outcome up or resend it)", ctx.channel().remoteAddress());
            closing = true;
            ctx.close();
            return;
        }
        drain();
    }

    private void scheduleFlush()
    {
        // Replies written in one turn of the event loop go out with one flush.
        if (!flushScheduled)
        {
            flushScheduled = true;
            ctx.executor().execute(flushTask);
        }
    }

    private void flushReplies()
    {
        flushScheduled = false;
        ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext ctx)
    {
        if (!ctx.channel().isWritable())
        {
            if (slowConsumerCheck == null || slowConsumerCheck.isDone())
            {
                slowConsumerCheck = ctx.executor().schedule(this::checkSlowConsumer,
                    settings.slowConsumerTimeout().toNanos(), TimeUnit.NANOSECONDS);
            }
        }
        else
        {
            if (slowConsumerCheck != null)
            {
                slowConsumerCheck.cancel(false);
            }
            // Requests held back because their answers would not have fit may go now.
            drain();
        }
        updateReading();
        ctx.fireChannelWritabilityChanged();
    }

    private void checkSlowConsumer()
    {
        if (ctx.channel().isActive() && !ctx.channel().isWritable())
        {
            LOG.warn("closing {}: it has not read its replies for {}", ctx.channel().remoteAddress(),
                settings.slowConsumerTimeout());
            closing = true;
            ctx.close();
        }
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object event)
    {
        if (event instanceof IdleStateEvent)
        {
            if (inFlight > 0 || !waiting.isEmpty() || !ctx.channel().config().isAutoRead())
            {
                return; // quiet because it waits on us, not idle
            }
            LOG.info("closing {}: idle for {}", ctx.channel().remoteAddress(), settings.idleTimeout());
            closing = true;
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        if (cause instanceof TooLongFrameException)
        {
            LOG.warn("closing {}: {}", ctx.channel().remoteAddress(), cause.getMessage());
            closeWith(0, ErrorCode.FRAME_TOO_LARGE, key == null ? cause.getMessage() :
                "frame larger than " + settings.frameBytesMax() + " bytes");
        }
        else if (cause instanceof CorruptedFrameException || cause instanceof DecoderException)
        {
            LOG.warn("closing {}: corrupt frame: {}", ctx.channel().remoteAddress(), cause.getMessage());
            closeWith(0, ErrorCode.MALFORMED, "corrupt frame length");
        }
        else if (cause instanceof IOException)
        {
            LOG.debug("connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
        else
        {
            LOG.warn("closing {} after an unexpected error", ctx.channel().remoteAddress(), cause);
            ctx.close();
        }
    }

    private void closeWith(final long correlationId, final ErrorCode code, final String message)
    {
        closing = true;
        ctx.writeAndFlush(ErrorReplies.frame(ctx.alloc(), correlationId, code, message))
            .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        closing = true;
        admitted = null;
        if (countedForKey)
        {
            countedForKey = false;
            security.connectionClosed(key);
        }
        if (authenticationTimeout != null)
        {
            authenticationTimeout.cancel(false);
        }
        for (ByteBuf frame = waiting.poll(); frame != null; frame = waiting.poll())
        {
            frame.release();
        }
        if (busyRetry != null)
        {
            busyRetry.cancel(false);
        }
        if (slowConsumerCheck != null)
        {
            slowConsumerCheck.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    /**
     * One request in flight: holds its frame (the ledger reads it until the reply), the bytes set aside for its
     * answer, and carries the answer back: the frame to write, or null if it could not be built.
     */
    private final class Reply implements ReplyHandler
    {
        private final RequestType type;
        /** The request's frame; null for a query the record answers, whose frame is released when it is asked. */
        private final ByteBuf request;
        /** A restricted key whose transfer lookup is answered with its own transfers only; else null. */
        private final ApiKey filterFor;
        /** A transfer lookup, whose ids the engine no longer remembers the record may hold. */
        private final boolean completedFromRecord;
        private final int reserved;
        private final long start = System.nanoTime();
        private ByteBuf answer;

        Reply(
            final RequestType type,
            final ByteBuf request,
            final ApiKey filterFor,
            final boolean completedFromRecord,
            final int reserved)
        {
            this.type = type;
            this.request = request;
            this.filterFor = filterFor;
            this.completedFromRecord = completedFromRecord;
            this.reserved = reserved;
        }

        @Override
        public void onReply(final DirectBuffer buffer, final int offset, final int length)
        {
            // On the ledger's responder thread: copy, free the request, and let the event loop write. Whatever
            // fails here (no memory for the answer), the request is freed and the connection hears of it.
            boolean released = false;
            ByteBuf frame = null;
            try
            {
                DirectBuffer answer = buffer;
                int answerOffset = offset;
                int answerLength = length;
                if (filterFor != null)
                {
                    answer = new UnsafeBuffer(TransferLookupFilter.filter(filterFor, buffer, offset, length));
                    answerOffset = 0;
                    answerLength = answer.capacity();
                }
                if (completedFromRecord)
                {
                    final RecordQueries.Lookup lookup = RecordQueries.lookup(view(request), answer, answerOffset);
                    if (lookup != null && lookup.incomplete())
                    {
                        request.release();
                        released = true;
                        RecordQueries.complete(archive, ctx.alloc(), lookup, filterFor).whenComplete(this::answered);
                        return;
                    }
                }
                frame = ctx.alloc().directBuffer(FrameDescriptor.LENGTH_FIELD_LENGTH + answerLength);
                frame.writeIntLE(answerLength);
                answer.getBytes(answerOffset, frame.nioBuffer(frame.writerIndex(), answerLength), answerLength);
                frame.writerIndex(frame.writerIndex() + answerLength);
            }
            catch (final RuntimeException | OutOfMemoryError ex)
            {
                LOG.warn("the answer to a request of {} could not be built: {}", ctx.channel().remoteAddress(),
                    ex.toString());
                if (frame != null)
                {
                    frame.release();
                    frame = null;
                }
            }
            finally
            {
                if (!released)
                {
                    request.release();
                }
            }
            answered(frame, null);
        }

        /**
         * From whichever thread made it: the answer (a whole frame), or why there is none.
         */
        void answered(final ByteBuf frame, final Throwable failure)
        {
            metrics.requestBinary(type, System.nanoTime() - start);
            if (failure != null)
            {
                LOG.warn("the answer to a request of {} could not be built: {}", ctx.channel().remoteAddress(),
                    failure.toString());
            }
            answer = failure == null ? frame : null;
            deliver(this);
        }
    }

    /**
     * Hands a reply to the event loop, from whichever thread made it (the ledger's responder, a record reader).
     */
    private void deliver(final Reply reply)
    {
        replies.add(reply);
        if (repliesScheduled.compareAndSet(false, true))
        {
            try
            {
                ctx.executor().execute(writeRepliesTask);
            }
            catch (final RejectedExecutionException ex)
            {
                // The gateway has shut down: nobody to answer.
                for (Reply unsent = replies.poll(); unsent != null; unsent = replies.poll())
                {
                    if (unsent.answer != null)
                    {
                        unsent.answer.release();
                    }
                }
            }
        }
    }
}
