package io.walletledger.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WalletClientOptionsTest
{
    @Test
    void theDefaultsAreTheDocumentedOnes()
    {
        final WalletClientOptions options = WalletClientOptions.builder("127.0.0.1", 7070).build();
        assertEquals(Duration.ofSeconds(10), options.requestTimeout());
        assertEquals(8190, options.batchEventsMax());
        assertEquals(Duration.ZERO, options.batchLinger());
        assertTrue(options.reconnect());
        assertEquals(64, options.inFlightRequestsMax());
        assertEquals(5, options.busyRetriesMax());
    }

    @Test
    void valuesThatCannotWorkAreRefused()
    {
        final WalletClientOptions.Builder builder = WalletClientOptions.builder("127.0.0.1", 7070);
        assertThrows(IllegalArgumentException.class, () -> builder.batchEventsMax(65_536).build());
        assertThrows(IllegalArgumentException.class, () -> WalletClientOptions.builder("127.0.0.1", 0).build());
        assertThrows(IllegalArgumentException.class, () -> WalletClientOptions.builder("127.0.0.1", 7070)
            .requestTimeout(Duration.ofSeconds(1)).batchLinger(Duration.ofSeconds(1)).build());
        assertThrows(IllegalArgumentException.class, () -> WalletClientOptions.builder("127.0.0.1", 7070)
            .reconnectDelay(Duration.ofSeconds(2), Duration.ofSeconds(1)).build());
        assertThrows(IllegalArgumentException.class, () -> WalletClientOptions.builder("127.0.0.1", 7070)
            .inFlightRequestsMax(0).build());
    }

    @Test
    void accountAndTransferFieldsMustFitTheirWireFields()
    {
        assertThrows(IllegalArgumentException.class, () -> Account.wallet(1, 65_536));
        assertThrows(IllegalArgumentException.class, () -> Transfer.builder(TransferId.of(1)).code(-1).build());
        assertThrows(NullPointerException.class, () -> Transfer.builder(null).build());
    }
}
