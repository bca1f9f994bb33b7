package io.walletledger.gateway;

import io.walletledger.gateway.security.ApiKey;
import io.walletledger.gateway.security.GatewaySecurity;
import io.walletledger.gateway.security.RequestAccess;
import io.walletledger.gateway.security.TransferLookupFilter;
import io.walletledger.protocol.FrameDescriptor;
import io.walletledger.protocol.ReplyHandler;
import io.walletledger.protocol.RequestType;
import io.walletledger.protocol.RequestValidator;
import io.walletledger.protocol.Role;
import io.walletledger.protocol.Submission;
import io.walletledger.protocol.sbe.ErrorCode;
import org.agrona.DirectBuffer;

/**
 * The one way a request enters the ledger, for the binary protocol and the HTTP API alike (an HTTP request is
 * encoded as the same SBE request first):
 *
 * <pre>
 *   admit:  shape (RequestValidator) ──► key still current ──► role, accounts, rate of transfers or reads
 *           (RequestAccess)
 *   submit: the ring ──► answered: audit an admin request with its parameters and outcome
 * </pre>
 *
 * The two steps are apart because a request may meet a full ring: the transport retries {@link #submit} without
 * admitting again, which would take its transfers from the key's rate twice. One instance per connection (it keeps
 * the reason of its last refusal); runs on the connection's event loop and allocates nothing when a request goes.
 */
public final class RequestGate
{
    private final GatewayContext context;
    private final String protocol;
    private final RequestValidator validator;
    private final RequestAccess access;
    private String message;
    private long retryAfterNanos;

    /**
     * @param context        what the listeners share.
     * @param batchEventsMax the most events one request may carry.
     * @param protocol       {@code binary} or {@code http}, for the audit log.
     */
    public RequestGate(final GatewayContext context, final int batchEventsMax, final String protocol)
    {
        this.context = context;
        this.protocol = protocol;
        this.validator = new RequestValidator(batchEventsMax);
        this.access = new RequestAccess(context.security().rateLimits(), context.security().readLimits());
    }

    /**
     * Checks one request of a key before it may go to the ledger.
     *
     * @param key     who sends it.
     * @param request holding the message (header and body, no frame length).
     * @param offset  of the message header.
     * @param length  of the message.
     * @param remote  the address the request came from, for the audit log.
     * @return null if it may go; otherwise why not, with {@link #message()} saying it in words: a shape error
     * ({@code MALFORMED}, {@code UNKNOWN_MESSAGE_TYPE}, ...), {@code UNAUTHENTICATED} if the key was revoked or changed
     * since the connection authenticated (it must authenticate again), {@code FORBIDDEN}, or {@code RATE_LIMITED}
     * (with {@link #retryAfterNanos()}).
     */
    public ErrorCode admit(
        final ApiKey key, final DirectBuffer request, final int offset, final int length, final String remote)
    {
        final ErrorCode invalid = validator.validate(request, offset, length);
        if (invalid != null)
        {
            message = describe(invalid);
            return invalid;
        }
        if (!context.security().isCurrent(key))
        {
            message = "key " + key.id() + " was revoked or changed: authenticate again";
            return ErrorCode.UNAUTHENTICATED;
        }
        final ErrorCode denied = access.check(key, request, offset, length);
        if (denied != null)
        {
            refused(key, RequestType.of(FrameDescriptor.templateId(request, offset)).messageName(), denied, remote);
        }
        return denied;
    }

    /**
     * Checks a read the ledger does not answer (an HTTP history page) against the key's read rate.
     *
     * @param entries the most entries the answer may hold.
     * @param what    the request, for the audit log.
     * @return null if it may go; otherwise {@code RATE_LIMITED}, with {@link #message()} and
     * {@link #retryAfterNanos()}.
     */
    public ErrorCode admitRead(final ApiKey key, final int entries, final String what, final String remote)
    {
        final ErrorCode denied = access.checkRead(key, entries);
        if (denied != null)
        {
            refused(key, what, denied, remote);
        }
        return denied;
    }

    private void refused(final ApiKey key, final String what, final ErrorCode denied, final String remote)
    {
        context.metrics().refused(protocol, denied);
        message = access.message();
        retryAfterNanos = access.retryAfterNanos();
        if (context.security().required())
        {
            context.security().audit().refused(key.id(), what, denied.name(), message, remote, protocol);
        }
    }

    /**
     * Offers an admitted request to the ledger; an admin request is written to the audit log once answered, with its
     * parameters and outcome.
     *
     * @param remote the address the request came from, for the audit log.
     * @return what the ledger said.
     * @throws IllegalArgumentException if the ledger refuses the request outright (longer than any request can be).
     */
    public Submission submit(
        final ApiKey key,
        final DirectBuffer request,
        final int offset,
        final int length,
        final ReplyHandler handler,
        final String remote)
    {
        final GatewaySecurity security = context.security();
        final RequestType type = RequestType.of(FrameDescriptor.templateId(request, offset));
        // An admin request is audited when the ledger has answered it, with every parameter and the answer. The
        // request is the caller's until the handler has been called, so it can still be read then.
        final ReplyHandler answered = !security.required() || type.role() != Role.ADMIN ? handler :
            (buffer, replyOffset, replyLength) ->
            {
                security.audit().adminRequest(key.id(), type.messageName(),
                    FrameDescriptor.correlationId(request, offset), remote, request, offset, length, buffer,
                    replyOffset, replyLength);
                handler.onReply(buffer, replyOffset, replyLength);
            };
        return context.ledger().submit(request, offset, length, answered);
    }

    /**
     * @return the key whose accounts the answer to this admitted request must be cut down to
     * ({@link TransferLookupFilter}), or null to answer in full.
     */
    public static ApiKey answerFilter(final ApiKey key, final DirectBuffer request, final int offset)
    {
        return TransferLookupFilter.applies(key, request, offset) ? key : null;
    }

    /**
     * @return why the last {@link #admit} refused.
     */
    public String message()
    {
        return message;
    }

    /**
     * @return after a {@code RATE_LIMITED}: nanoseconds until the same request could pass, or
     * {@code KeyRateLimits.NEVER}.
     */
    public long retryAfterNanos()
    {
        return retryAfterNanos;
    }

    /**
     * @return what a shape error means, for its message.
     */
    public static String describe(final ErrorCode code)
    {
        return switch (code)
        {
            case MALFORMED -> "malformed request: lengths in the header or a group do not match the message";
            case UNKNOWN_MESSAGE_TYPE -> "unknown message type";
            case UNSUPPORTED_SCHEMA -> "unsupported schema id or version";
            case BATCH_TOO_LARGE -> "too many events in one request";
            case BATCH_EMPTY -> "a request must hold at least one event";
            default -> code.name();
        };
    }
}
