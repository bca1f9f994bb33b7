package io.walletledger.client;

import org.agrona.collections.IntArrayList;

import java.util.function.IntPredicate;

/**
 * Where a call with more events than fit in one request is cut into requests. A linked chain is all-or-nothing only
 * within one request, so a cut never falls inside a chain: each request ends with an event that is not linked (or
 * with the last event of the call, which the server answers {@code LINKED_EVENT_CHAIN_OPEN} if it is linked).
 */
final class BatchBounds
{
    private BatchBounds()
    {
    }

    /**
     * @param events         events in the call.
     * @param batchEventsMax most events per request.
     * @param linked         whether the event at an index has the linked flag.
     * @return the cut points {@code [0, c1, ..., events]}: request {@code i} holds the events from
     * {@code bounds[i]} (inclusive) to {@code bounds[i + 1]} (exclusive).
     * @throws IllegalArgumentException if a linked chain is longer than {@code batchEventsMax}.
     */
    static int[] of(final int events, final int batchEventsMax, final IntPredicate linked)
    {
        final IntArrayList bounds = new IntArrayList();
        bounds.addInt(0);
        int start = 0;
        while (events - start > batchEventsMax)
        {
            int end = start + batchEventsMax;
            while (end > start && linked.test(end - 1))
            {
                end--;
            }
            if (end == start)
            {
                throw new IllegalArgumentException("the linked chain starting at event " + start + " is longer than " +
                    "batchEventsMax (" + batchEventsMax + "); a chain must fit in one request");
            }
            bounds.addInt(end);
            start = end;
        }
        bounds.addInt(events);
        return bounds.toIntArray();
    }
}
