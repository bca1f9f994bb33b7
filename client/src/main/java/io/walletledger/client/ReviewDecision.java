package io.walletledger.client;

import java.util.Objects;

/**
 * An operator's decision on a hold held for review: approving posts all of it, rejecting voids it. The decision is
 * recorded as a transfer under its own id, an idempotency key like any transfer id: resending it answers
 * {@code EXISTS}.
 *
 * @param id        the id of the transfer that records the decision, not zero.
 * @param pendingId the hold, created with the result {@code HELD_FOR_REVIEW}.
 * @param approve   true to post the hold, false to void it.
 */
public record ReviewDecision(TransferId id, TransferId pendingId, boolean approve)
{
    /**
     * @throws NullPointerException if an id is null.
     */
    public ReviewDecision
    {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(pendingId, "pendingId");
    }

    /**
     * @return a decision that posts the whole hold {@code pendingId}.
     */
    public static ReviewDecision approve(final TransferId id, final TransferId pendingId)
    {
        return new ReviewDecision(id, pendingId, true);
    }

    /**
     * @return a decision that voids the hold {@code pendingId}.
     */
    public static ReviewDecision reject(final TransferId id, final TransferId pendingId)
    {
        return new ReviewDecision(id, pendingId, false);
    }
}
