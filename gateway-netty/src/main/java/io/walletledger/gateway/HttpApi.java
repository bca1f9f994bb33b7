package io.walletledger.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import io.walletledger.protocol.CurrencyRegistry;
import io.walletledger.protocol.ReplyHandler;
import io.walletledger.protocol.RequestSubmitter;
import io.walletledger.protocol.Submission;
import io.walletledger.protocol.sbe.ErrorCode;
import io.walletledger.protocol.sbe.ErrorResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The HTTP/JSON API, one handler per connection. Each request is translated to one SBE request ({@link HttpRoutes}
 * lists the ledger endpoints) and goes through the same ledger as the binary protocol; one request per connection is
 * in the ledger at a time (the connection stops reading meanwhile), so responses keep the order of requests.
 *
 * <pre>
 *  /v1/...        the ledger endpoints of {@link HttpRoutes}
 *  GET /health    200 while the ledger serves, 503 once it halted
 *  GET /metrics   Prometheus text format
 * </pre>
 */
final class HttpApi extends SimpleChannelInboundHandler<FullHttpRequest>
{
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final AtomicLong CORRELATION_IDS = new AtomicLong();

    private final RequestSubmitter ledger;
    private final HttpSettings settings;
    private final HttpRoutes routes;
    private final MetricsWriter metrics;
    private final RequestLatency latency;
    private final BooleanSupplier healthy;

    HttpApi(
        final RequestSubmitter ledger,
        final HttpSettings settings,
        final CurrencyRegistry currencies,
        final MetricsWriter metrics,
        final RequestLatency latency,
        final BooleanSupplier healthy)
    {
        this.ledger = ledger;
        this.settings = settings;
        this.routes = new HttpRoutes(currencies, settings.batchEventsMax());
        this.metrics = metrics;
        this.latency = latency;
        this.healthy = healthy;
    }

    /** Requests a client pipelined behind the one being answered: answered strictly in order, one at a time. */
    private final ArrayDeque<FullHttpRequest> queued = new ArrayDeque<>();
    private boolean answering;

    @Override
    protected void channelRead0(final ChannelHandlerContext ctx, final FullHttpRequest request)
    {
        if (answering || !queued.isEmpty())
        {
            queued.add(request.retain());
            updateReading(ctx);
            return;
        }
        handle(ctx, request);
        drainQueued(ctx);
    }

    private void drainQueued(final ChannelHandlerContext ctx)
    {
        while (!answering && !queued.isEmpty() && ctx.channel().isActive())
        {
            final FullHttpRequest request = queued.poll();
            try
            {
                handle(ctx, request);
            }
            finally
            {
                request.release();
            }
        }
        updateReading(ctx);
    }

    /**
     * Reads while nothing waits: no request in the ledger, none queued, and the client reads its responses.
     */
    private void updateReading(final ChannelHandlerContext ctx)
    {
        ctx.channel().config().setAutoRead(!answering && queued.isEmpty() && ctx.channel().isWritable());
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext ctx)
    {
        updateReading(ctx);
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(final ChannelHandlerContext ctx)
    {
        for (FullHttpRequest request = queued.poll(); request != null; request = queued.poll())
        {
            request.release();
        }
        ctx.fireChannelInactive();
    }

    private void handle(final ChannelHandlerContext ctx, final FullHttpRequest request)
    {
        final boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess())
        {
            // The decoder drops everything after a failure: answer and close.
            write(ctx, false, response(HttpResponseStatus.BAD_REQUEST, failure("malformed HTTP request")));
            return;
        }
        final HttpMethod method = request.method();
        String path = request.uri();
        try
        {
            path = JsonFields.pathOf(request.uri());
            if (path.equals("/health"))
            {
                HttpRoutes.requireMethod(method, HttpMethod.GET);
                final boolean up = healthy.getAsBoolean();
                final ObjectNode body = JsonCodec.MAPPER.createObjectNode().put("status", up ? "up" : "down");
                respond(ctx, keepAlive, up ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, body);
            }
            else if (path.equals("/metrics"))
            {
                HttpRoutes.requireMethod(method, HttpMethod.GET);
                final StringBuilder text = new StringBuilder(4096);
                metrics.write(text);
                latency.write(text);
                respond(ctx, keepAlive, HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8",
                    text.toString().getBytes(StandardCharsets.UTF_8));
            }
            else
            {
                final LedgerCall call = routes.route(method, path, request.content());
                if (call == null)
                {
                    respond(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, failure("no such endpoint: " + path));
                }
                else
                {
                    submit(ctx, keepAlive, call);
                }
            }
        }
        catch (final HttpRoutes.MethodNotAllowed ex)
        {
            final FullHttpResponse response = response(HttpResponseStatus.METHOD_NOT_ALLOWED,
                failure(method + " is not allowed on " + path + "; use " + ex.allowed()));
            response.headers().set(HttpHeaderNames.ALLOW, ex.allowed());
            write(ctx, keepAlive, response);
        }
        catch (final BadRequestException ex)
        {
            respond(ctx, keepAlive, HttpResponseStatus.BAD_REQUEST, failure(ex.getMessage()));
        }
    }

    private void submit(final ChannelHandlerContext ctx, final boolean keepAlive, final LedgerCall call)
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[call.capacity()]);
        final int length = call.encoder().encode(CORRELATION_IDS.incrementAndGet(), message);
        final Pending pending = new Pending(ctx, keepAlive, call.reader());
        final Submission submission = ledger.submit(message, 0, length, pending);
        if (submission == Submission.ACCEPTED)
        {
            // One request in the ledger per connection: responses keep the order of requests.
            answering = true;
            updateReading(ctx);
            pending.timeout = ctx.executor().schedule(pending::timedOut,
                settings.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
            return;
        }
        final FullHttpResponse response = response(HttpResponseStatus.SERVICE_UNAVAILABLE,
            JsonCodec.MAPPER.createObjectNode().put("status", submission == Submission.BUSY ? "busy" : "unavailable")
                .put("message", submission == Submission.BUSY ?
                "the ledger is at capacity; retry shortly (requests are idempotent by id)" :
                "the ledger is shutting down"));
        response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
        write(ctx, keepAlive, response);
    }

    /**
     * A request in the ledger. The reply arrives on the ledger's responder thread: it is copied and decoded on the
     * connection's event loop.
     */
    private final class Pending implements ReplyHandler
    {
        private final ChannelHandlerContext ctx;
        private final boolean keepAlive;
        private final LedgerCall.ReplyReader reader;
        private final long start = System.nanoTime();
        private ScheduledFuture<?> timeout;
        private boolean answered;

        Pending(final ChannelHandlerContext ctx, final boolean keepAlive, final LedgerCall.ReplyReader reader)
        {
            this.ctx = ctx;
            this.keepAlive = keepAlive;
            this.reader = reader;
        }

        @Override
        public void onReply(final DirectBuffer buffer, final int offset, final int length)
        {
            latency.recordHttp(System.nanoTime() - start);
            final byte[] reply = new byte[length];
            buffer.getBytes(offset, reply);
            ctx.executor().execute(() -> answer(reply));
        }

        private void answer(final byte[] reply)
        {
            if (answered)
            {
                return;
            }
            answered = true;
            if (timeout != null)
            {
                timeout.cancel(false);
            }
            FullHttpResponse response;
            try
            {
                response = decode(reader, new UnsafeBuffer(reply));
            }
            catch (final RuntimeException ex)
            {
                LOG.error("could not answer an HTTP request", ex);
                response = response(HttpResponseStatus.INTERNAL_SERVER_ERROR, failure("internal error"));
            }
            answering = false;
            write(ctx, keepAlive, response);
            drainQueued(ctx);
        }

        private void timedOut()
        {
            if (answered)
            {
                return;
            }
            answered = true;
            write(ctx, keepAlive, response(HttpResponseStatus.GATEWAY_TIMEOUT, failure("the ledger did not answer " +
                "within " + settings.requestTimeout() + "; the outcome is unknown: resend the same request (it is " +
                "idempotent by id) or look it up")));
            answering = false;
            drainQueued(ctx);
        }
    }

    private static FullHttpResponse decode(final LedgerCall.ReplyReader reader, final UnsafeBuffer reply)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(reply, 0);
        if (header.templateId() == ErrorResponseDecoder.TEMPLATE_ID)
        {
            final ErrorResponseDecoder error = new ErrorResponseDecoder().wrapAndApplyHeader(reply, 0, header);
            final ErrorCode code = error.code();
            final HttpResponseStatus status = code == ErrorCode.BUSY ? HttpResponseStatus.SERVICE_UNAVAILABLE :
                code == ErrorCode.INTERNAL_ERROR ? HttpResponseStatus.INTERNAL_SERVER_ERROR :
                HttpResponseStatus.BAD_REQUEST;
            final FullHttpResponse response = response(status, JsonCodec.MAPPER.createObjectNode()
                .put("status", "failed").put("code", code.name()).put("message", error.message()));
            if (code == ErrorCode.BUSY)
            {
                response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
            }
            return response;
        }
        final LedgerCall.Answer answer = reader.read(header, reply);
        return response(answer.status(), answer.body());
    }

    private static ObjectNode failure(final String message)
    {
        return JsonCodec.MAPPER.createObjectNode().put("status", "failed").put("message", message);
    }

    private static FullHttpResponse response(final HttpResponseStatus status, final JsonNode body)
    {
        try
        {
            return response(status, HttpHeaderValues.APPLICATION_JSON.toString(),
                JsonCodec.MAPPER.writeValueAsBytes(body));
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static FullHttpResponse response(final HttpResponseStatus status, final String type, final byte[] body)
    {
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
            io.netty.buffer.Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return response;
    }

    private void respond(
        final ChannelHandlerContext ctx, final boolean keepAlive, final HttpResponseStatus status, final JsonNode body)
    {
        write(ctx, keepAlive, response(status, body));
    }

    private void respond(
        final ChannelHandlerContext ctx,
        final boolean keepAlive,
        final HttpResponseStatus status,
        final String type,
        final byte[] body)
    {
        write(ctx, keepAlive, response(status, type, body));
    }

    private static void write(final ChannelHandlerContext ctx, final boolean keepAlive, final FullHttpResponse response)
    {
        if (keepAlive)
        {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        }
        else
        {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void userEventTriggered(final ChannelHandlerContext ctx, final Object event)
    {
        if (event instanceof IdleStateEvent)
        {
            if (!answering && queued.isEmpty())
            {
                ctx.close(); // silent, and not waiting for us
            }
            return;
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(final ChannelHandlerContext ctx, final Throwable cause)
    {
        LOG.debug("HTTP connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
