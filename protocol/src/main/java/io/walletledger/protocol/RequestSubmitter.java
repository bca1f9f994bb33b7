package io.walletledger.protocol;

import org.agrona.DirectBuffer;

/**
 * Where gateways send requests: the ledger node in process. A request is one SBE message (header and body); its
 * response comes back once, asynchronously, through the {@link ReplyHandler} given with it.
 */
@FunctionalInterface
public interface RequestSubmitter
{
    /**
     * Offers a request without blocking.
     *
     * @param request one SBE request message. It is read until the handler has been called, so it must not change
     *                before then.
     * @param offset  of the message header in {@code request}.
     * @param length  of the message.
     * @param handler called once with the response if the request is accepted.
     * @return {@link Submission#ACCEPTED}, or why not (nothing was taken and the handler will not be called).
     */
    Submission submit(DirectBuffer request, int offset, int length, ReplyHandler handler);
}
