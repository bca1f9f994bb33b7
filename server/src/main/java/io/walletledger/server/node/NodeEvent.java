package io.walletledger.server.node;

import io.walletledger.protocol.ReplyHandler;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

/**
 * One ring slot: one client request (a whole batch) on its way through journaler, engine and responder.
 * Preallocated with the ring and reused; the request bytes stay the submitter's and are only referenced.
 */
final class NodeEvent
{
    /**
     * Where the engine writes the response. Starts small and grows as a response needs, at most to
     * {@code LedgerEngine.responseLengthMax()} (lookups of full batches are the large ones); after the reply a
     * buffer grown past a limit is replaced by a small one, so a ring of slots does not keep megabytes each.
     */
    static final int RESPONSE_INITIAL_CAPACITY = 4096;
    /** A note of no looked-up ids is 16 bytes; one grown past the response's limit is replaced like it. */
    static final int NOTE_INITIAL_CAPACITY = 64;

    DirectBuffer request;
    int offset;
    int length;
    ReplyHandler handler;

    /** Set by the journaler: the journal sequence (0 if not journaled) and the engine timestamp. */
    long sequence;
    long timestamp;
    boolean journaled;
    /** Set by the journaler: a change refused because the disk is nearly full; the engine does not see it. */
    boolean diskFull;
    /** Set by the journaler: the recall note journaled with the command, for the engine; length 0 for none. */
    ExpandableArrayBuffer note = new ExpandableArrayBuffer(NOTE_INITIAL_CAPACITY);
    int noteLength;

    ExpandableArrayBuffer response = new ExpandableArrayBuffer(RESPONSE_INITIAL_CAPACITY);
    int responseLength;

    void set(final DirectBuffer request, final int offset, final int length, final ReplyHandler handler)
    {
        this.request = request;
        this.offset = offset;
        this.length = length;
        this.handler = handler;
        this.sequence = 0;
        this.timestamp = 0;
        this.journaled = false;
        this.diskFull = false;
        this.noteLength = 0;
        this.responseLength = 0;
    }

    /**
     * Drops the references to the submitter's objects once the reply is delivered.
     *
     * @param responseCapacityKept a response buffer larger than this is replaced by a new small one.
     */
    void release(final int responseCapacityKept)
    {
        request = null;
        handler = null;
        if (response.capacity() > responseCapacityKept)
        {
            response = new ExpandableArrayBuffer(RESPONSE_INITIAL_CAPACITY);
        }
        if (note.capacity() > responseCapacityKept)
        {
            note = new ExpandableArrayBuffer(NOTE_INITIAL_CAPACITY);
        }
    }
}
