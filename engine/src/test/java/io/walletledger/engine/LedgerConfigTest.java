package io.walletledger.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LedgerConfigTest
{
    @Test
    void refusesCapacitiesOutOfRangeNamingTheSetting()
    {
        final IllegalArgumentException accounts = assertThrows(IllegalArgumentException.class,
            () -> LedgerConfig.builder().accountsMax(0).build());
        assertTrue(accounts.getMessage().contains("accountsMax"), accounts.getMessage());
        final IllegalArgumentException window = assertThrows(IllegalArgumentException.class,
            () -> LedgerConfig.builder().idempotencyWindow(Integer.MAX_VALUE).build());
        assertTrue(window.getMessage().contains("idempotencyWindow"), window.getMessage());
        final IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
            () -> LedgerConfig.builder().batchEventsMax(70_000).build());
        assertTrue(batch.getMessage().contains("batchEventsMax"), batch.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LedgerConfig.builder().pendingTransfersMax(-1).build());
    }

    @Test
    void estimatesMemoryOfTheDefaults()
    {
        final long bytes = LedgerConfig.builder().build().memoryBytesEstimate();
        // About 80 + 144 bytes per account and remembered id, 160 per hold, a few MiB of undo log.
        assertTrue(bytes > 200L << 20 && bytes < 400L << 20, "estimate " + (bytes >> 20) + " MiB");
    }
}
