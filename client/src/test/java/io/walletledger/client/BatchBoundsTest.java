package io.walletledger.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BatchBoundsTest
{
    @Test
    void aCallThatFitsIsOneRequest()
    {
        assertArrayEquals(new int[]{0, 10}, BatchBounds.of(10, 10, i -> false));
        assertArrayEquals(new int[]{0, 0}, BatchBounds.of(0, 10, i -> false));
    }

    @Test
    void unlinkedEventsAreCutAtTheLimit()
    {
        assertArrayEquals(new int[]{0, 10, 20, 25}, BatchBounds.of(25, 10, i -> false));
    }

    @Test
    void aCutMovesBeforeAChainThatWouldCross()
    {
        // Events 8..11 are one chain (8, 9 and 10 linked, 11 closes it).
        assertArrayEquals(new int[]{0, 8, 18, 20}, BatchBounds.of(20, 10, i -> i >= 8 && i <= 10));
    }

    @Test
    void anOpenChainAtTheEndIsSentForTheServerToAnswer()
    {
        assertArrayEquals(new int[]{0, 10, 15}, BatchBounds.of(15, 10, i -> i == 14));
    }

    @Test
    void aChainLongerThanARequestIsRefused()
    {
        assertThrows(IllegalArgumentException.class, () -> BatchBounds.of(30, 10, i -> i < 12));
    }
}
