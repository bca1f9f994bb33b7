package io.walletledger.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
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
import io.walletledger.protocol.ProtocolLimits;
import io.walletledger.protocol.ReplyHandler;
import io.walletledger.protocol.RequestSubmitter;
import io.walletledger.protocol.Submission;
import io.walletledger.protocol.sbe.CreateAccountsResponseDecoder;
import io.walletledger.protocol.sbe.CreateTransfersResponseDecoder;
import io.walletledger.protocol.sbe.ErrorCode;
import io.walletledger.protocol.sbe.ErrorResponseDecoder;
import io.walletledger.protocol.sbe.LookupAccountsResponseDecoder;
import io.walletledger.protocol.sbe.LookupTransfersResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.ResultCode;
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
 * The HTTP/JSON API, one handler per connection. Each request is translated to one SBE request and goes through the
 * same ledger as the binary protocol; one request per connection is in the ledger at a time (the connection stops
 * reading meanwhile), so responses keep the order of requests.
 *
 * <pre>
 *  POST /v1/accounts                  create an account
 *  GET  /v1/accounts/{id}             an account with its balances
 *  POST /v1/wallet/balance_transfer   move an amount in major units between two accounts, idempotent by transaction_id
 *  POST /v1/transfers                 a batch of transfers with every field, amounts in minor units
 *  GET  /v1/transfers/{id}            a transfer (404 if unknown)
 *  GET  /health                       200 while the ledger serves, 503 once it halted
 *  GET  /metrics                      Prometheus text format
 * </pre>
 */
final class HttpApi extends SimpleChannelInboundHandler<FullHttpRequest>
{
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final AtomicLong CORRELATION_IDS = new AtomicLong();

    private enum Kind
    {
        CREATE_ACCOUNT, BALANCE_TRANSFER, CREATE_TRANSFERS, GET_ACCOUNT, GET_TRANSFER
    }

    private final RequestSubmitter ledger;
    private final HttpSettings settings;
    private final JsonCodec json;
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
        this.json = new JsonCodec(currencies);
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
            path = JsonCodec.pathOf(request.uri());
            if (path.equals("/health"))
            {
                requireMethod(method, HttpMethod.GET);
                final boolean up = healthy.getAsBoolean();
                final ObjectNode body = JsonCodec.MAPPER.createObjectNode().put("status", up ? "up" : "down");
                respond(ctx, keepAlive, up ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, body);
            }
            else if (path.equals("/metrics"))
            {
                requireMethod(method, HttpMethod.GET);
                final StringBuilder text = new StringBuilder(4096);
                metrics.write(text);
                latency.write(text);
                respond(ctx, keepAlive, HttpResponseStatus.OK, "text/plain; version=0.0.4; charset=utf-8",
                    text.toString().getBytes(StandardCharsets.UTF_8));
            }
            else if (path.equals("/v1/accounts"))
            {
                requireMethod(method, HttpMethod.POST);
                final JsonNode body = JsonCodec.parse(bytes(request.content()));
                submit(ctx, keepAlive, Kind.CREATE_ACCOUNT, body, 256,
                    (id, out) -> json.createAccount(body, id, out));
            }
            else if (path.startsWith("/v1/accounts/"))
            {
                requireMethod(method, HttpMethod.GET);
                final long id = JsonCodec.accountIdFromPath(path.substring("/v1/accounts/".length()));
                submit(ctx, keepAlive, Kind.GET_ACCOUNT, null, 64, (correlation, out) ->
                    json.lookupAccount(id, correlation, out));
            }
            else if (path.equals("/v1/wallet/balance_transfer"))
            {
                requireMethod(method, HttpMethod.POST);
                final JsonNode body = JsonCodec.parse(bytes(request.content()));
                submit(ctx, keepAlive, Kind.BALANCE_TRANSFER, body, 256,
                    (id, out) -> json.balanceTransfer(body, id, out));
            }
            else if (path.equals("/v1/transfers"))
            {
                requireMethod(method, HttpMethod.POST);
                final JsonNode body = JsonCodec.parse(bytes(request.content()));
                final int events = body.path("transfers").size();
                submit(ctx, keepAlive, Kind.CREATE_TRANSFERS, body,
                    ProtocolLimits.messageLengthMax(Math.max(1, Math.min(events, settings.batchEventsMax()))),
                    (id, out) -> json.createTransfers(body, id, settings.batchEventsMax(), out));
            }
            else if (path.startsWith("/v1/transfers/"))
            {
                requireMethod(method, HttpMethod.GET);
                final long[] id = JsonCodec.transferIdFromPath(path.substring("/v1/transfers/".length()));
                submit(ctx, keepAlive, Kind.GET_TRANSFER, null, 64, (correlation, out) ->
                    json.lookupTransfer(id, correlation, out));
            }
            else
            {
                respond(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, failure("no such endpoint: " + path));
            }
        }
        catch (final MethodNotAllowed ex)
        {
            final FullHttpResponse response = response(HttpResponseStatus.METHOD_NOT_ALLOWED,
                failure(method + " is not allowed on " + path + "; use " + ex.allowed));
            response.headers().set(HttpHeaderNames.ALLOW, ex.allowed.name());
            write(ctx, keepAlive, response);
        }
        catch (final BadRequestException ex)
        {
            respond(ctx, keepAlive, HttpResponseStatus.BAD_REQUEST, failure(ex.getMessage()));
        }
    }

    @FunctionalInterface
    private interface Encoder
    {
        int encode(long correlationId, UnsafeBuffer out);
    }

    private void submit(
        final ChannelHandlerContext ctx,
        final boolean keepAlive,
        final Kind kind,
        final JsonNode body,
        final int capacity,
        final Encoder encoder)
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[capacity]);
        final int length = encoder.encode(CORRELATION_IDS.incrementAndGet(), message);
        final Pending pending = new Pending(ctx, keepAlive, kind, idsOf(kind, body));
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
        private final Kind kind;
        private final String[] ids;
        private final long start = System.nanoTime();
        private ScheduledFuture<?> timeout;
        private boolean answered;

        Pending(final ChannelHandlerContext ctx, final boolean keepAlive, final Kind kind, final String[] ids)
        {
            this.ctx = ctx;
            this.keepAlive = keepAlive;
            this.kind = kind;
            this.ids = ids;
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
                response = decode(kind, ids, new UnsafeBuffer(reply));
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

    /**
     * @return what a response needs of the request: its ids, so the JSON tree can go.
     */
    private static String[] idsOf(final Kind kind, final JsonNode body)
    {
        return switch (kind)
        {
            case CREATE_ACCOUNT -> new String[] { body.get("id").asText() };
            case BALANCE_TRANSFER -> new String[] { body.get("transaction_id").asText() };
            case CREATE_TRANSFERS ->
            {
                final JsonNode transfers = body.get("transfers");
                final String[] ids = new String[transfers.size()];
                for (int i = 0; i < ids.length; i++)
                {
                    ids[i] = transfers.get(i).get("id").asText();
                }
                yield ids;
            }
            default -> new String[0];
        };
    }

    private FullHttpResponse decode(final Kind kind, final String[] ids, final UnsafeBuffer reply)
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
        switch (kind)
        {
            case CREATE_ACCOUNT:
            {
                final CreateAccountsResponseDecoder decoder =
                    new CreateAccountsResponseDecoder().wrapAndApplyHeader(reply, 0, header);
                ResultCode result = ResultCode.OK;
                for (final CreateAccountsResponseDecoder.ResultsDecoder r : decoder.results())
                {
                    result = r.result();
                }
                final ObjectNode json = JsonCodec.MAPPER.createObjectNode();
                final String id = ids[0];
                if (result == ResultCode.OK || result == ResultCode.EXISTS)
                {
                    json.put("status", result == ResultCode.OK ? "created" : "exists").put("id", id);
                    return response(result == ResultCode.OK ? HttpResponseStatus.CREATED : HttpResponseStatus.OK, json);
                }
                json.put("status", "failed").put("code", result.name()).put("id", id);
                return response(statusOf(result), json);
            }
            case BALANCE_TRANSFER:
            {
                final CreateTransfersResponseDecoder decoder =
                    new CreateTransfersResponseDecoder().wrapAndApplyHeader(reply, 0, header);
                ResultCode result = ResultCode.OK;
                for (final CreateTransfersResponseDecoder.ResultsDecoder r : decoder.results())
                {
                    result = r.result();
                }
                final ObjectNode json = JsonCodec.MAPPER.createObjectNode();
                final String transactionId = ids[0];
                if (result == ResultCode.OK || result == ResultCode.EXISTS)
                {
                    json.put("status", "success").put("transaction_id", transactionId);
                    return response(HttpResponseStatus.OK, json);
                }
                json.put("status", "failed").put("code", result.name()).put("transaction_id", transactionId);
                return response(statusOf(result), json);
            }
            case CREATE_TRANSFERS:
            {
                final CreateTransfersResponseDecoder decoder =
                    new CreateTransfersResponseDecoder().wrapAndApplyHeader(reply, 0, header);
                final ResultCode[] results = new ResultCode[ids.length];
                java.util.Arrays.fill(results, ResultCode.OK);
                for (final CreateTransfersResponseDecoder.ResultsDecoder r : decoder.results())
                {
                    results[r.index()] = r.result();
                }
                final ObjectNode json = JsonCodec.MAPPER.createObjectNode();
                final ArrayNode list = json.putArray("results");
                for (int i = 0; i < results.length; i++)
                {
                    list.addObject().put("index", i).put("id", ids[i]).put("result", results[i].name());
                }
                return response(HttpResponseStatus.OK, json);
            }
            case GET_ACCOUNT:
            {
                final LookupAccountsResponseDecoder decoder =
                    new LookupAccountsResponseDecoder().wrapAndApplyHeader(reply, 0, header);
                for (final LookupAccountsResponseDecoder.AccountsDecoder account : decoder.accounts())
                {
                    return response(HttpResponseStatus.OK, json.account(account));
                }
                return response(HttpResponseStatus.NOT_FOUND, failure("no such account"));
            }
            default:
            {
                final LookupTransfersResponseDecoder decoder =
                    new LookupTransfersResponseDecoder().wrapAndApplyHeader(reply, 0, header);
                for (final LookupTransfersResponseDecoder.TransfersDecoder transfer : decoder.transfers())
                {
                    return response(HttpResponseStatus.OK, json.transfer(transfer));
                }
                return response(HttpResponseStatus.NOT_FOUND, failure("no such transfer"));
            }
        }
    }

    /**
     * @return the HTTP status for a rejected account or transfer.
     */
    static HttpResponseStatus statusOf(final ResultCode result)
    {
        final String name = result.name();
        if (name.endsWith("_NOT_FOUND"))
        {
            return HttpResponseStatus.NOT_FOUND;
        }
        if (name.startsWith("EXISTS_WITH_DIFFERENT"))
        {
            return HttpResponseStatus.CONFLICT;
        }
        return HttpResponseStatus.UNPROCESSABLE_ENTITY;
    }

    private static ObjectNode failure(final String message)
    {
        return JsonCodec.MAPPER.createObjectNode().put("status", "failed").put("message", message);
    }

    private static byte[] bytes(final ByteBuf content)
    {
        return ByteBufUtil.getBytes(content);
    }

    private static void requireMethod(final HttpMethod actual, final HttpMethod allowed)
    {
        if (!actual.equals(allowed))
        {
            throw new MethodNotAllowed(allowed);
        }
    }

    private static final class MethodNotAllowed extends RuntimeException
    {
        private static final long serialVersionUID = 1L;
        private final transient HttpMethod allowed;

        MethodNotAllowed(final HttpMethod allowed)
        {
            super(null, null, false, false);
            this.allowed = allowed;
        }
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
