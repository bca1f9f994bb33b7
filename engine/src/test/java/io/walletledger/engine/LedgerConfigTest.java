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
        // 96 MiB of accounts (64-byte records, a 32 MiB index), 200 bytes per remembered id (a 64 MiB index),
        // about 175 per hold, a few MiB of undo log.
        assertTrue(bytes > 340L << 20 && bytes < 400L << 20, "estimate " + (bytes >> 20) + " MiB");
    }
}
