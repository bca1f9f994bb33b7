package io.walletledger.protocol;

/**
 * What {@link RequestSubmitter#submit} did with a request.
 */
public enum Submission
{
    /** In the ring: the reply handler will be called exactly once. */
    ACCEPTED,
    /** The ring is full: nothing was taken. Try again later (the gateway stops reading its socket meanwhile). */
    BUSY,
    /** The node is closing, closed or halted after a journal failure: nothing was taken. */
    CLOSED
}
