package io.walletledger.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Development mode (no authentication) listens on loopback only: on any other address the server refuses to start,
 * before it opens anything, unless the loudly named override is set in the configuration.
 */
class DevelopmentModeOnNetworkTest
{
    @TempDir
    Path data;

    @Test
    void developmentModeOnAllAddressesIsRefusedUnlessTheRiskIsAcceptedByName() throws Exception
    {
        final IllegalStateException refused = assertThrows(IllegalStateException.class,
            () -> WalletServer.start(HttpApiTest.settings(data).withOverrides(Map.of("wallet.server.host", "0.0.0.0")))
                .close());
        assertTrue(refused.getMessage().contains("wallet.security.unsafe-development-mode-on-network = true"),
            refused.getMessage());
        assertFalse(Files.exists(data.resolve("journal")), "nothing was opened");

        try (WalletServer server = WalletServer.start(HttpApiTest.settings(data).withOverrides(Map.of(
            "wallet.server.host", "0.0.0.0", "wallet.security.unsafe-development-mode-on-network", true))))
        {
            assertTrue(server.binaryAddress().getAddress().isAnyLocalAddress(), server.binaryAddress().toString());
        }
        try (WalletServer server = WalletServer.start(HttpApiTest.settings(data)))
        {
            assertTrue(server.binaryAddress().getAddress().isLoopbackAddress(), "loopback needs no override");
        }
    }
}
