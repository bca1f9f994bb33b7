package io.walletledger.gateway.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * One HTTP request translated for the ledger: the SBE request it becomes, and how the ledger's reply becomes the
 * HTTP answer. {@link HttpApi} encodes the request and keeps only the reader, which holds no more than the answer
 * needs (ids as text), so the request's JSON tree can go while the request is in the ledger.
 *
 * @param capacity the most bytes the request can take.
 * @param encoder  writes the request.
 * @param reader   turns a reply of the expected template into the answer; an {@code ErrorResponse} never reaches it.
 */
record LedgerCall(int capacity, Encoder encoder, ReplyReader reader)
{
    /** Room for any request of one small event. */
    static final int SINGLE_EVENT_CAPACITY = 256;

    @FunctionalInterface
    interface Encoder
    {
        /**
         * @return the length of the request written to {@code out} from offset 0.
         */
        int encode(long correlationId, MutableDirectBuffer out);
    }

    @FunctionalInterface
    interface ReplyReader
    {
        Answer read(MessageHeaderDecoder header, DirectBuffer reply);
    }

    /**
     * An HTTP answer with a JSON body; or, when the engine does not remember the transfer asked for, the id to look
     * up in the archive instead ({@link #fromArchive}), which {@link HttpApi} does off the event loop.
     *
     * @param status    the HTTP status.
     * @param body      the JSON body.
     * @param archiveId null, or the transfer id (hi, lo) to look up in the archive.
     */
    record Answer(HttpResponseStatus status, ObjectNode body, long[] archiveId)
    {
        Answer(final HttpResponseStatus status, final ObjectNode body)
        {
            this(status, body, null);
        }

        /**
         * @return an answer to be given by the archive, from the transfer with this id (hi, lo).
         */
        static Answer fromArchive(final long[] id)
        {
            return new Answer(null, null, id);
        }
    }
}
