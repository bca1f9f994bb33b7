package io.walletledger.gateway.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.walletledger.protocol.RequestType;
import io.walletledger.protocol.sbe.CommandResultsResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.ResultCode;
import org.agrona.DirectBuffer;

import static io.walletledger.gateway.http.JsonBodies.MAPPER;

/**
 * How the ledger's replies become HTTP answers, the same way for every endpoint: the result of a one-event request,
 * and the HTTP status of a result code.
 */
final class LedgerReplies
{
    private LedgerReplies()
    {
    }

    /**
     * The answer to a request of one command: {@code {"status":"<success>",...subject}} for {@code OK} (or
     * {@code EXISTS}, an identical retry), else a problem document ({@link Problems}) with {@code "code":"<result code>"} and the subject.
     */
    static LedgerCall.Answer outcome(
        final MessageHeaderDecoder header, final DirectBuffer reply, final String success, final ObjectNode subject)
    {
        final ResultCode result = singleResult(header, reply);
        final ObjectNode body = MAPPER.createObjectNode();
        if (result == ResultCode.OK || result == ResultCode.EXISTS)
        {
            body.put("status", success).setAll(subject);
            return new LedgerCall.Answer(HttpResponseStatus.OK, body);
        }
        body.put("code", result.name()).setAll(subject);
        return new LedgerCall.Answer(statusOf(result), body);
    }

    /**
     * @return the result of the one event of a request: the one listed, or {@code OK} if none is.
     */
    static ResultCode singleResult(final MessageHeaderDecoder header, final DirectBuffer reply)
    {
        if (!RequestType.isResultsResponse(header.templateId()))
        {
            throw new IllegalStateException("the ledger answered with template " + header.templateId() +
                " where a result was expected");
        }
        ResultCode result = ResultCode.OK;
        for (final CommandResultsResponseDecoder.ResultsDecoder r : new CommandResultsResponseDecoder()
            .wrap(reply, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version()).results())
        {
            result = r.result();
        }
        return result;
    }

    static void requireTemplate(final MessageHeaderDecoder header, final int templateId)
    {
        if (header.templateId() != templateId)
        {
            throw new IllegalStateException("the ledger answered with template " + header.templateId() +
                " where " + templateId + " was expected");
        }
    }

    static LedgerCall.Answer notFound(final String message)
    {
        return new LedgerCall.Answer(HttpResponseStatus.NOT_FOUND,
            MAPPER.createObjectNode().put("message", message));
    }

    /**
     * @return the HTTP status for a rejected event: 404 for a {@code *_NOT_FOUND}, 409 for an
     * {@code EXISTS_WITH_DIFFERENT_*}, 422 for every other business rejection.
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
}
