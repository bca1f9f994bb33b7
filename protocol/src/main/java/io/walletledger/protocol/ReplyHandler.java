package io.walletledger.protocol;

import org.agrona.DirectBuffer;

/**
 * Receives the response to one request given to a {@link RequestSubmitter} (the ledger node calls it on its responder thread).
 */
@FunctionalInterface
public interface ReplyHandler
{
    /**
     * Called once per accepted request, after the request is in the journal (forced to disk in
     * {@code batch} durability, when it changes state) and applied. Must not block: copy or write the bytes and
     * return. After it returns, the request buffer given to {@link RequestSubmitter#submit} is the caller's again.
     *
     * @param response holding the SBE response message; valid only during this call.
     * @param offset   of the message header.
     * @param length   of the message.
     */
    void onReply(DirectBuffer response, int offset, int length);
}
