package io.walletledger.gateway.http;

import static io.walletledger.gateway.http.HttpResponses.answerOf;
import static io.walletledger.gateway.http.HttpResponses.failure;
import static io.walletledger.gateway.http.HttpResponses.response;
import static io.walletledger.gateway.http.HttpResponses.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.walletledger.gateway.ArchiveBehindException;
import io.walletledger.gateway.ArchiveMissingException;
import io.walletledger.gateway.ConnectionAdmission;
import io.walletledger.gateway.EventPage;
import io.walletledger.gateway.GatewayContext;
import io.walletledger.gateway.GatewayMetrics;
import io.walletledger.gateway.RequestGate;
import io.walletledger.gateway.security.ApiKey;
import io.walletledger.gateway.security.BearerAuthenticator;
import io.walletledger.gateway.security.GatewaySecurity;
import io.walletledger.gateway.security.TransferLookupFilter;
import io.walletledger.gateway.security.KeyRateLimits;
import io.walletledger.protocol.FrameDescriptor;
import io.walletledger.protocol.ReplyHandler;
import io.walletledger.protocol.RequestType;
import io.walletledger.protocol.Role;
import io.walletledger.protocol.Submission;
import io.walletledger.protocol.sbe.ErrorCode;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP/JSON API, one handler per connection. Each request is translated to one SBE request ({@link HttpRoutes}
 * lists the ledger endpoints) and goes through the same ledger as the binary protocol; one request per connection is
 * in the ledger at a time (the connection stops reading meanwhile), so responses keep the order of requests.
 *
 * <pre>
 *  /v1/...        the ledger endpoints of {@link HttpRoutes}
 *  GET /health    200 while the ledger serves, 503 once it halted (needs no key)
 *  GET /metrics   Prometheus text format (needs the read role)
 * </pre>
 * When the server requires authentication, every other request carries {@code Authorization: Bearer
 * <keyId>:<secret>} ({@link BearerAuthenticator}); missing or wrong is 401, a role or account the key lacks 403,
 * and transfers over its rate 429 with {@code Retry-After}.
 */
final class HttpApi extends SimpleChannelInboundHandler<FullHttpRequest>
{
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final AtomicLong CORRELATION_IDS = new AtomicLong();
    private static final ExpositionFormats EXPOSITION = ExpositionFormats.init();

    private final GatewayContext context;
    private final HttpSettings settings;
    private final HttpRoutes routes;
    private final GatewayMetrics metrics;
    private final GatewaySecurity security;
    private final BearerAuthenticator bearer;
    private final RequestGate gate;

    HttpApi(final GatewayContext context, final HttpSettings settings, final BearerAuthenticator bearer)
    {
        this.context = context;
        this.settings = settings;
        this.routes = new HttpRoutes(context.currencies(), settings.batchEventsMax());
        this.metrics = context.metrics();
        this.security = context.security();
        this.bearer = bearer;
        this.gate = new RequestGate(context, settings.batchEventsMax(), "http");
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
        final String path;
        try
        {
            path = JsonFields.pathOf(request.uri());
        }
        catch (final BadRequestException ex)
        {
            respond(ctx, keepAlive, HttpResponseStatus.BAD_REQUEST, failure(ex.getMessage()));
            return;
        }
        if (HttpRoutes.isOpen(path) || !security.required())
        {
            serve(ctx, keepAlive, request, path, GatewaySecurity.DEVELOPMENT_KEY);
            return;
        }
        final BearerAuthenticator.Credentials credentials =
            BearerAuthenticator.parse(request.headers().get(HttpHeaderNames.AUTHORIZATION));
        if (credentials == null)
        {
            unauthorized(ctx, keepAlive, false);
            return;
        }
        final ApiKey cached = bearer.cached(credentials);
        if (cached != null)
        {
            serve(ctx, keepAlive, request, path, cached);
            return;
        }
        // PBKDF2 runs on the verifier's thread; the connection reads nothing more until it is done.
        final java.util.concurrent.CompletableFuture<ApiKey> verification;
        try
        {
            verification = bearer.verify(credentials, ctx.channel().remoteAddress() instanceof
                java.net.InetSocketAddress address ? address.getAddress() : null);
        }
        catch (final BearerAuthenticator.TooManyAttemptsException ex)
        {
            final FullHttpResponse response = response(HttpResponseStatus.TOO_MANY_REQUESTS, failure(ex.getMessage()));
            response.headers().set(HttpHeaderNames.RETRY_AFTER, Long.toString(ex.retryAfterSeconds()));
            write(ctx, keepAlive, response);
            return;
        }
        catch (final RejectedExecutionException ex)
        {
            final FullHttpResponse response = response(HttpResponseStatus.SERVICE_UNAVAILABLE,
                failure("too many authentications are in progress; retry shortly"));
            response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
            write(ctx, keepAlive, response);
            return;
        }
        answering = true;
        updateReading(ctx);
        request.retain();
        verification.whenComplete((key, failure) ->
        {
            try
            {
                ctx.executor().execute(() -> afterVerification(ctx, keepAlive, request, path, credentials, key));
            }
            catch (final RejectedExecutionException ex)
            {
                request.release(); // the listener has shut down
            }
        });
    }

    private void afterVerification(
        final ChannelHandlerContext ctx,
        final boolean keepAlive,
        final FullHttpRequest request,
        final String path,
        final BearerAuthenticator.Credentials credentials,
        final ApiKey key)
    {
        answering = false;
        try
        {
            final String remote = ConnectionAdmission.remoteHost(ctx.channel());
            if (key == null)
            {
                metrics.authenticationFailed(GatewayMetrics.HTTP);
                security.audit().authenticationFailed(credentials.keyId(), remote, "http");
                unauthorized(ctx, keepAlive, true);
            }
            else
            {
                security.audit().authenticated(key.id(), remote, "http");
                serve(ctx, keepAlive, request, path, key);
            }
        }
        finally
        {
            request.release();
        }
        drainQueued(ctx);
    }

    private void unauthorized(final ChannelHandlerContext ctx, final boolean keepAlive, final boolean wrong)
    {
        final FullHttpResponse response = response(HttpResponseStatus.UNAUTHORIZED, JsonBodies.MAPPER.createObjectNode()
            .put("code", "UNAUTHENTICATED").put("message", wrong ?
            "the key id or the secret is wrong" :
            "send the header Authorization: Bearer <key id>:<secret> (create a key with ./wallet keys create)"));
        response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE,
            wrong ? "Bearer realm=\"wallet\", error=\"invalid_token\"" : "Bearer realm=\"wallet\"");
        write(ctx, keepAlive, response);
    }

    /**
     * A 403 the {@link RequestGate} did not give (which audits its own): written to the audit log too.
     */
    private void forbiddenAudited(
        final ChannelHandlerContext ctx, final boolean keepAlive, final ApiKey key, final String request,
        final String message)
    {
        if (security.required())
        {
            security.audit().refused(key.id(), request, "FORBIDDEN", message,
                ConnectionAdmission.remoteHost(ctx.channel()), "http");
        }
        forbidden(ctx, keepAlive, message);
    }

    private void forbidden(final ChannelHandlerContext ctx, final boolean keepAlive, final String message)
    {
        respond(ctx, keepAlive, HttpResponseStatus.FORBIDDEN, JsonBodies.MAPPER.createObjectNode()
            .put("code", "FORBIDDEN").put("message", message));
    }

    /**
     * Answers a request of an authenticated key (or any request in development mode, and {@code /health}).
     */
    private void serve(
        final ChannelHandlerContext ctx,
        final boolean keepAlive,
        final FullHttpRequest request,
        final String path,
        final ApiKey key)
    {
        final HttpMethod method = request.method();
        try
        {
            if (path.equals(OpenApiDocument.PATH))
            {
                HttpRoutes.requireMethod(method, HttpMethod.GET);
                respond(ctx, keepAlive, HttpResponseStatus.OK, "application/json", OpenApiDocument.bytes());
            }
            else if (path.equals("/health") || path.equals("/health/live"))
            {
                HttpRoutes.requireMethod(method, HttpMethod.GET);
                final boolean up = context.healthy().getAsBoolean();
                final ObjectNode body = JsonBodies.MAPPER.createObjectNode().put("status", up ? "up" : "down");
                // A probe's answer, not a failed request: the same JSON shape either way.
                write(ctx, keepAlive, HttpResponses.plainJson(up ? HttpResponseStatus.OK :
                    HttpResponseStatus.SERVICE_UNAVAILABLE, body));
            }
            else if (path.equals("/health/ready"))
            {
                HttpRoutes.requireMethod(method, HttpMethod.GET);
                final String notReady = context.notReady().get();
                final ObjectNode body = JsonBodies.MAPPER.createObjectNode()
                    .put("status", notReady == null ? "ready" : "not ready");
                if (notReady != null)
                {
                    body.put("reason", notReady);
                }
                write(ctx, keepAlive, HttpResponses.plainJson(notReady == null ? HttpResponseStatus.OK :
                    HttpResponseStatus.SERVICE_UNAVAILABLE, body));
            }
            else if (path.equals("/metrics"))
            {
                HttpRoutes.requireMethod(method, HttpMethod.GET);
                if (!key.has(Role.READ))
                {
                    forbiddenAudited(ctx, keepAlive, key, "GET /metrics", "key " + key.id() + " lacks the read role");
                    return;
                }
                // Prometheus text, or OpenMetrics if the scraper asks for it (Accept). Protobuf, which a Prometheus
                // with native histograms asks for first, needs a module this server does not ship: text then.
                final ExpositionFormatWriter asked = EXPOSITION.findWriter(request.headers().get(HttpHeaderNames.ACCEPT));
                final ExpositionFormatWriter writer = asked.isAvailable() ? asked :
                    EXPOSITION.getPrometheusTextFormatWriter();
                final ByteArrayOutputStream text = new ByteArrayOutputStream(16 * 1024);
                try
                {
                    writer.write(text, metrics.registry().scrape());
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex); // a byte array stream does not fail
                }
                respond(ctx, keepAlive, HttpResponseStatus.OK, writer.getContentType(), text.toByteArray());
            }
            else if (path.equals(EventEndpoints.PATH))
            {
                answerEvents(ctx, keepAlive, request, key);
            }
            else
            {
                final HistoryEndpoints.Query history = HistoryEndpoints.parse(method, path, request.uri());
                if (history != null)
                {
                    answerHistory(ctx, keepAlive, key, history);
                    return;
                }
                final LedgerCall call = routes.route(method, path, IdempotencyKeys.apply(method, path,
                    request.content(), request.headers().get(IdempotencyKeys.HEADER)));
                if (call == null)
                {
                    respond(ctx, keepAlive, HttpResponseStatus.NOT_FOUND, failure("no such endpoint: " + path));
                }
                else
                {
                    submit(ctx, keepAlive, call, key);
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

    private void submit(final ChannelHandlerContext ctx, final boolean keepAlive, final LedgerCall call,
        final ApiKey key)
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[call.capacity()]);
        final long correlationId = CORRELATION_IDS.incrementAndGet();
        final int length = call.encoder().encode(correlationId, message);
        final ErrorCode refused = gate.admit(key, message, 0, length, ConnectionAdmission.remoteHost(ctx.channel()));
        if (refused != null)
        {
            refuse(ctx, keepAlive, refused);
            return;
        }
        final Pending pending = new Pending(ctx, keepAlive, RequestType.of(FrameDescriptor.templateId(message, 0)),
            call.reader(), RequestGate.answerFilter(key, message, 0));
        final Submission submission =
            gate.submit(key, message, 0, length, pending, ConnectionAdmission.remoteHost(ctx.channel()));
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
            JsonBodies.MAPPER.createObjectNode().put("status", submission == Submission.BUSY ? "busy" : "unavailable")
                .put("message", submission == Submission.BUSY ?
                "the ledger is at capacity; retry shortly (requests are idempotent by id)" :
                "the ledger is shutting down"));
        response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
        write(ctx, keepAlive, response);
    }

    /**
     * Answers a request the {@link RequestGate} refused.
     */
    private void refuse(final ChannelHandlerContext ctx, final boolean keepAlive, final ErrorCode refused)
    {
        switch (refused)
        {
            case FORBIDDEN:
                forbidden(ctx, keepAlive, gate.message());
                return;
            case RATE_LIMITED:
            {
                final FullHttpResponse response = response(HttpResponseStatus.TOO_MANY_REQUESTS, JsonBodies.MAPPER
                    .createObjectNode().put("code", "RATE_LIMITED")
                    .put("message", gate.message()));
                if (gate.retryAfterNanos() != KeyRateLimits.NEVER)
                {
                    response.headers().set(HttpHeaderNames.RETRY_AFTER, Long.toString(
                        Math.max(1, TimeUnit.NANOSECONDS.toSeconds(gate.retryAfterNanos() + 999_999_999L))));
                }
                write(ctx, keepAlive, response);
                return;
            }
            case UNAUTHENTICATED:
                // Revoked or changed in the keys file since its secret was checked.
                unauthorized(ctx, keepAlive, true);
                return;
            default:
                // The endpoints encode only well-formed requests: this is a bug, not the client's doing.
                LOG.error("an HTTP endpoint encoded a request the gateway refuses: {}", gate.message());
                respond(ctx, keepAlive, HttpResponseStatus.INTERNAL_SERVER_ERROR, failure("internal error"));
        }
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
        /** A restricted key whose transfer lookup is answered with its own transfers only; else null. */
        private final ApiKey filterFor;
        private final RequestType type;
        private final long start = System.nanoTime();
        private ScheduledFuture<?> timeout;
        private boolean answered;

        Pending(
            final ChannelHandlerContext ctx,
            final boolean keepAlive,
            final RequestType type,
            final LedgerCall.ReplyReader reader,
            final ApiKey filterFor)
        {
            this.ctx = ctx;
            this.type = type;
            this.keepAlive = keepAlive;
            this.reader = reader;
            this.filterFor = filterFor;
        }

        @Override
        public void onReply(final DirectBuffer buffer, final int offset, final int length)
        {
            metrics.requestHttp(type, System.nanoTime() - start);
            final byte[] reply;
            if (filterFor == null)
            {
                reply = new byte[length];
                buffer.getBytes(offset, reply);
            }
            else
            {
                reply = TransferLookupFilter.filter(filterFor, buffer, offset, length);
            }
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
                final LedgerCall.Answer answer = answerOf(reader, new UnsafeBuffer(reply));
                if (answer.archiveId() != null)
                {
                    fromArchive(answer.archiveId());
                    return;
                }
                response = response(answer);
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

        /**
         * The engine does not remember the transfer: the archive answers, on its own thread; the answer is written
         * on the connection's event loop. A restricted key sees only transfers of its accounts.
         */
        private void fromArchive(final long[] id)
        {
            answerLater(ctx, keepAlive, context.archive().find(id[0], id[1]).thenApply(transfer ->
                transfer == null || !TransferLookupFilter.maySee(filterFor, transfer) ?
                    response(LedgerReplies.notFound("no such transfer")) :
                    response(HttpResponseStatus.OK, TransferEndpoints.transferJson(context.currencies(), transfer))));
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
     * An account's history, from the archive, for a key that may read the account.
     */
    private void answerHistory(
        final ChannelHandlerContext ctx, final boolean keepAlive, final ApiKey key, final HistoryEndpoints.Query query)
    {
        if (!key.has(Role.READ))
        {
            forbiddenAudited(ctx, keepAlive, key, "account history", "key " + key.id() + " lacks the read role");
            return;
        }
        final long accountId = query.history().accountId();
        if (!key.mayUse(accountId))
        {
            forbiddenAccount(ctx, keepAlive, key, "account history", accountId);
            return;
        }
        if (!admitRead(ctx, keepAlive, key, query.history().limit(), "account history"))
        {
            return;
        }
        answerLater(ctx, keepAlive, context.archive().history(query.history()).thenApply(page ->
            HistoryEndpoints.response(context.currencies(), query, page)));
    }

    private void forbiddenAccount(final ChannelHandlerContext ctx, final boolean keepAlive, final ApiKey key,
        final String what, final long accountId)
    {
        forbiddenAudited(ctx, keepAlive, key, what,
            "key " + key.id() + " may not use account " + Long.toUnsignedString(accountId));
    }

    /**
     * @return whether the key may read {@code entries} more now (its read rate); if so the connection is answering
     * (it reads no more requests until the answer is written), if not the refusal is written.
     */
    private boolean admitRead(final ChannelHandlerContext ctx, final boolean keepAlive, final ApiKey key,
        final int entries, final String what)
    {
        final ErrorCode limited = gate.admitRead(key, entries, what, ConnectionAdmission.remoteHost(ctx.channel()));
        if (limited != null)
        {
            refuse(ctx, keepAlive, limited);
            return false;
        }
        answering = true;
        updateReading(ctx);
        return true;
    }

    /**
     * The change stream: a long poll, or Server-Sent Events if the client accepts {@code text/event-stream}.
     */
    private void answerEvents(
        final ChannelHandlerContext ctx, final boolean keepAlive, final FullHttpRequest request, final ApiKey key)
    {
        if (!key.has(Role.READ))
        {
            forbiddenAudited(ctx, keepAlive, key, "events", "key " + key.id() + " lacks the read role");
            return;
        }
        final String accept = request.headers().get(HttpHeaderNames.ACCEPT);
        final boolean stream = accept != null && accept.contains("text/event-stream");
        final EventPage.Query query;
        try
        {
            query = EventEndpoints.parse(request.method(), request.uri(), key, stream,
                request.headers().get("Last-Event-ID"));
        }
        catch (final EventEndpoints.ForbiddenAccountException ex)
        {
            forbiddenAccount(ctx, keepAlive, key, "events", ex.account);
            return;
        }
        if (!admitRead(ctx, keepAlive, key, query.limit(), "events"))
        {
            return;
        }
        if (!stream)
        {
            answerLater(ctx, keepAlive, context.archive().events(query).thenApply(page ->
                response(HttpResponseStatus.OK, "application/json", EventEndpoints.page(context.currencies(), page,
                    key))));
            return;
        }
        // The first read decides the answer: a failure is an ordinary problem document; events start the stream.
        context.archive().events(new EventPage.Query(query.after(), query.limit(), 0, query.accounts(),
            query.types())).whenCompleteAsync((page, failure) ->
        {
            if (failure != null)
            {
                answering = false;
                write(ctx, keepAlive, archiveFailure(failure));
                drainQueued(ctx);
                return;
            }
            final HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
            HttpUtil.setTransferEncodingChunked(head, true);
            ctx.write(head);
            streamEvents(ctx, key, query, page);
        }, ctx.executor());
    }

    /**
     * Writes a part of a stream of events, then, once the client has taken it, reads the next part. The stream
     * ends when the client goes, or with the server (the client resumes with {@code Last-Event-ID}).
     */
    private void streamEvents(
        final ChannelHandlerContext ctx, final ApiKey key, final EventPage.Query query, final EventPage page)
    {
        final byte[] text = EventEndpoints.serverSentEvents(context.currencies(), page, key);
        ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(text))).addListener(written ->
        {
            if (!written.isSuccess() || !ctx.channel().isActive())
            {
                ctx.close();
                return;
            }
            final EventPage.Query next = new EventPage.Query(page.next(), query.limit(), query.waitNanos(),
                query.accounts(), query.types());
            context.archive().events(next).whenCompleteAsync((nextPage, failure) ->
            {
                if (!ctx.channel().isActive())
                {
                    return;
                }
                if (failure != null)
                {
                    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                streamEvents(ctx, key, next, nextPage);
            }, ctx.executor());
        });
    }

    /**
     * Writes an answer the archive gives on its own thread, on the connection's event loop, then goes on with the
     * requests queued behind it.
     */
    private void answerLater(
        final ChannelHandlerContext ctx, final boolean keepAlive, final CompletableFuture<FullHttpResponse> answer)
    {
        answer.whenCompleteAsync((response, failure) ->
        {
            answering = false;
            write(ctx, keepAlive, failure == null ? response : archiveFailure(failure));
            drainQueued(ctx);
        }, ctx.executor());
    }

    private static FullHttpResponse archiveFailure(final Throwable failure)
    {
        final Throwable cause = failure instanceof CompletionException && failure.getCause() != null ?
            failure.getCause() : failure;
        if (cause instanceof ArchiveBehindException behind)
        {
            final FullHttpResponse response =
                response(HttpResponseStatus.SERVICE_UNAVAILABLE, failure(behind.getMessage()));
            response.headers().setInt(HttpHeaderNames.RETRY_AFTER, behind.retryAfterSeconds());
            return response;
        }
        if (cause instanceof ArchiveMissingException missing)
        {
            return response(HttpResponseStatus.NOT_FOUND, failure(missing.getMessage()));
        }
        LOG.error("the archive could not answer", cause);
        return response(HttpResponseStatus.INTERNAL_SERVER_ERROR, failure("the record could not be read"));
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
