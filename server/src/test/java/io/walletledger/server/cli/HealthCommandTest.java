package io.walletledger.server.cli;

import io.walletledger.server.HttpApiTest;
import io.walletledger.server.WalletServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code wallet health}, the container image's health check: 0 while a real server on loopback is ready, 1 when
 * nothing answers; the port from the settings file.
 */
class HealthCommandTest
{
    @TempDir
    Path directory;

    @Test
    void exitsZeroWhileTheServerIsReadyAndOneWhenNothingAnswers() throws Exception
    {
        final int port;
        try (WalletServer server = WalletServer.start(HttpApiTest.settings(directory.resolve("data"))))
        {
            port = server.httpAddress().getPort();
            final Path config = Files.writeString(directory.resolve("wallet.conf"), "wallet.server.http-port = " +
                port + "\n");
            final StringWriter out = new StringWriter();
            assertEquals(0, WalletCli.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
                "health", "--config", config.toString()), out.toString());
            assertTrue(out.toString().startsWith("200 {\"status\":\"ready\"}"), out.toString());
        }
        final int closed;
        try (ServerSocket free = new ServerSocket(0))
        {
            closed = free.getLocalPort();
        }
        final StringWriter out = new StringWriter();
        assertEquals(1, WalletCli.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
            "health", "--url", "http://127.0.0.1:" + closed + "/health/ready"), out.toString());
        assertTrue(out.toString().startsWith("no answer from"), out.toString());
    }
}
