package io.walletledger.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.walletledger.protocol.sbe.ErrorCode;
import io.walletledger.protocol.sbe.ErrorResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The HTTP API's responses: JSON bodies (problem documents for failures), the status of a ledger
 * {@code ErrorResponse}, and writing with or without keep-alive.
 */
final class HttpResponses
{
    private HttpResponses()
    {
    }

    /**
     * @return the answer to a ledger reply: what the reader makes of it, or the status of an {@code ErrorResponse}
     * (503 with {@code Retry-After} for {@code BUSY}, 507 for {@code DISK_FULL}).
     */
    static LedgerCall.Answer answerOf(final LedgerCall.ReplyReader reader, final UnsafeBuffer reply)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(reply, 0);
        if (header.templateId() == ErrorResponseDecoder.TEMPLATE_ID)
        {
            final ErrorResponseDecoder error = new ErrorResponseDecoder().wrapAndApplyHeader(reply, 0, header);
            final ErrorCode code = error.code();
            final HttpResponseStatus status = code == ErrorCode.BUSY ? HttpResponseStatus.SERVICE_UNAVAILABLE :
                code == ErrorCode.INTERNAL_ERROR ? HttpResponseStatus.INTERNAL_SERVER_ERROR :
                code == ErrorCode.DISK_FULL ? HttpResponseStatus.INSUFFICIENT_STORAGE :
                HttpResponseStatus.BAD_REQUEST;
            return new LedgerCall.Answer(status, JsonBodies.MAPPER.createObjectNode()
                .put("code", code.name()).put("message", error.message()));
        }
        return reader.read(header, reply);
    }

    static FullHttpResponse response(final LedgerCall.Answer answer)
    {
        final FullHttpResponse response = response(answer.status(), answer.body());
        if (answer.status() == HttpResponseStatus.SERVICE_UNAVAILABLE)
        {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, "1");
        }
        return response;
    }

    static ObjectNode failure(final String message)
    {
        return JsonBodies.MAPPER.createObjectNode().put("message", message);
    }

    /**
     * @return a JSON response; a failure (400 and up) as an RFC 9457 problem document ({@link Problems}).
     */
    static FullHttpResponse response(final HttpResponseStatus status, final JsonNode body)
    {
        return status.code() >= 400 ? json(status, Problems.CONTENT_TYPE, Problems.of(status, body)) :
            plainJson(status, body);
    }

    /**
     * @return plain JSON whatever the status: a health probe's answer ({@code {"status":"down"}} with 503) is not a
     * failed request.
     */
    static FullHttpResponse plainJson(final HttpResponseStatus status, final JsonNode body)
    {
        return json(status, HttpHeaderValues.APPLICATION_JSON.toString(), body);
    }

    private static FullHttpResponse json(final HttpResponseStatus status, final String type, final JsonNode body)
    {
        try
        {
            return response(status, type, JsonBodies.MAPPER.writeValueAsBytes(body));
        }
        catch (final JsonProcessingException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    static FullHttpResponse response(final HttpResponseStatus status, final String type, final byte[] body)
    {
        final FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
            io.netty.buffer.Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return response;
    }

    static void write(final ChannelHandlerContext ctx, final boolean keepAlive, final FullHttpResponse response)
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
}
