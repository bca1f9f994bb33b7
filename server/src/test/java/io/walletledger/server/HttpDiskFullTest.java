package io.walletledger.server;

import io.walletledger.server.HttpTestClient.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code wallet.disk.min-free} through a real server's HTTP API: a change is answered 507 with the code
 * {@code DISK_FULL} while the free space is below it, reads go on, and the metrics show the free space.
 */
class HttpDiskFullTest
{
    @TempDir
    Path data;

    @Test
    void aChangeIsAnswered507WhileTheDiskIsBelowItsMinimum() throws Exception
    {
        final long tooMuch = Files.getFileStore(data).getUsableSpace() + (1L << 30);
        // A start journals the configuration's hold policies if the ledger has others: below the minimum, that is
        // refused, and so is the start, naming the reason.
        final IllegalStateException refusedStart = assertThrows(IllegalStateException.class, () -> WalletServer.start(
            HttpApiTest.settings(data).withOverrides(Map.of("wallet.disk.min-free", tooMuch))).close());
        assertTrue(refusedStart.getMessage().contains("DISK_FULL"), refusedStart.getMessage());
        try (WalletServer server = WalletServer.start(HttpApiTest.settings(data).withOverrides(Map.of(
            "wallet.disk.min-free", tooMuch, "wallet.policies.holds-per-account-max", 0))))
        {
            final HttpTestClient http = new HttpTestClient(server);
            final Response refused = http.post("/v1/accounts", "{\"id\":\"1\",\"currency\":\"USD\"}");
            assertEquals(507, refused.status(), refused.body().toString());
            assertEquals("DISK_FULL", refused.text("code"));
            assertTrue(refused.text("detail").contains("wallet.disk.min-free"), refused.body().toString());
            assertEquals(404, http.get("/v1/accounts/1").status(), "reads go on");
            final String metrics = http.sendForText(http.json("/metrics").GET().build()).body();
            assertTrue(metrics.contains("wallet_disk_free_bytes "), metrics);
        }
    }
}
