package io.walletledger.server;

import io.walletledger.server.cli.WalletCli;
import io.walletledger.snapshot.SnapshotStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code wallet server} as a real process: it prints its ready line, serves, and on SIGTERM shuts down gracefully
 * (final snapshot) and exits; a restart recovers what the first one acknowledged.
 */
class ServerProcessTest
{
    private static final Pattern READY = Pattern.compile("ready: binary [0-9.]+:(\\d+), http [0-9.]+:(\\d+)");

    @TempDir
    Path data;

    @Test
    void printsReadyServesAndShutsDownGracefullyOnSigterm() throws Exception
    {
        runOnce("{\"id\":\"1\",\"currency\":\"USD\"}", 201);
        assertFalse(SnapshotStore.list(data.resolve("snapshots")).isEmpty(), "SIGTERM wrote a final snapshot");
        // The second run finds the account: creating it again answers "exists".
        runOnce("{\"id\":\"1\",\"currency\":\"USD\"}", 200);
    }

    private void runOnce(final String account, final int expectedStatus) throws Exception
    {
        final Process server = ChildJvm.start(WalletCli.class, "server", "--dev", "--data-dir", data.toString(),
            "--port", "0", "--http-port", "0");
        try (BufferedReader out = new BufferedReader(
            new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8)))
        {
            final String line = out.readLine();
            assertNotNull(line, "the server printed nothing");
            final Matcher ready = READY.matcher(line);
            assertTrue(ready.find(), line);
            final int httpPort = Integer.parseInt(ready.group(2));
            final HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/v1/accounts"))
                    .POST(HttpRequest.BodyPublishers.ofString(account)).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(expectedStatus, response.statusCode(), response.body());

            server.destroy(); // SIGTERM
            assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the server exits after SIGTERM");
        }
        finally
        {
            server.destroyForcibly();
        }
    }
}
