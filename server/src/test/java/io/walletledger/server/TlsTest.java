package io.walletledger.server;

import io.walletledger.server.cli.WalletCli;
import io.walletledger.server.node.CrashWorkload;
import io.walletledger.config.SettingsException;
import io.walletledger.config.WalletSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.walletledger.server.BinaryRequests.createAccounts;
import static io.walletledger.server.BinaryRequests.fundAndExpectSuccess;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real server with {@code wallet.server.tls} enabled, on loopback, with a certificate made for the test: TLS
 * clients are served on both ports, plain-text clients are turned away without harming anyone, and a certificate
 * that cannot be used stops start-up with a message naming it.
 */
class TlsTest
{
    @TempDir
    Path directory;

    private TestCertificates.Issued certificate;
    private WalletServer server;

    @BeforeEach
    void start() throws Exception
    {
        certificate = TestCertificates.issue(directory, "server");
        server = WalletServer.start(settings(directory.resolve("data"), certificate.chain(), certificate.privateKey()));
    }

    @AfterEach
    void stop()
    {
        server.close();
    }

    static WalletSettings settings(final Path data, final Path chain, final Path key)
    {
        final Map<String, Object> overrides = new HashMap<>();
        overrides.put("wallet.data-dir", data.toString());
        overrides.put("wallet.server.port", 0);
        overrides.put("wallet.server.http-port", 0);
        overrides.put("wallet.security.mode", "development");
        overrides.put("wallet.server.tls.enabled", true);
        overrides.put("wallet.server.tls.certificate", chain.toString());
        overrides.put("wallet.server.tls.private-key", key.toString());
        overrides.put("wallet.ledger.accounts-max", 1024);
        overrides.put("wallet.ledger.idempotency-window", 4096);
        overrides.put("wallet.ledger.pending-transfers-max", 1024);
        overrides.put("wallet.ledger.batch-events-max", CrashWorkload.BATCH_MAX);
        return WalletSettings.load().withOverrides(overrides);
    }

    @Test
    void theBinaryPortServesTlsClients() throws Exception
    {
        try (RawConnection connection = RawConnection.tls(server.binaryAddress(), certificate.clientContext()))
        {
            createAccounts(connection);
            for (int request = 0; request < 20; request++)
            {
                fundAndExpectSuccess(connection, (1L << 32) + 4L * request, 4);
            }
        }
        assertTrue(server.readyLine().contains("(TLS), https "), server.readyLine());
    }

    @Test
    void onlyForwardSecretAeadCipherSuitesAreOffered() throws Exception
    {
        assertEquals("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            handshake("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"), "forward secret and AEAD: taken");
        for (final String weak : List.of("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
            "TLS_RSA_WITH_AES_128_GCM_SHA256"))
        {
            assertThrows(SSLHandshakeException.class, () -> handshake("TLSv1.2", weak), weak + " is refused");
        }
    }

    /**
     * @return the suite the binary port agreed on with a client that offers only {@code suite} over
     * {@code protocol}.
     */
    private String handshake(final String protocol, final String suite) throws Exception
    {
        try (SSLSocket socket = (SSLSocket)certificate.clientContext().getSocketFactory().createSocket(
            server.binaryAddress().getAddress(), server.binaryAddress().getPort()))
        {
            socket.setEnabledProtocols(new String[] {protocol});
            socket.setEnabledCipherSuites(new String[] {suite});
            socket.setSoTimeout(5_000);
            socket.startHandshake();
            return socket.getSession().getCipherSuite();
        }
    }

    @Test
    void theHttpPortServesHttpsClients() throws Exception
    {
        final HttpClient https = HttpClient.newBuilder().sslContext(certificate.clientContext())
            .connectTimeout(Duration.ofSeconds(10)).build();
        final String base = "https://127.0.0.1:" + server.httpAddress().getPort();

        assertEquals(201, post(https, base + "/v1/accounts", "{\"id\":\"1\",\"currency\":\"USD\"}").statusCode());
        assertEquals(201, post(https, base + "/v1/accounts",
            "{\"id\":\"2\",\"currency\":\"USD\",\"flags\":[\"debits_must_not_exceed_credits\"]}").statusCode());
        final HttpResponse<String> transfer = post(https, base + "/v1/wallet/balance_transfer", "{\"from_account\":" +
            "\"1\",\"to_account\":\"2\",\"amount\":\"12.34\",\"currency\":\"USD\"," +
            "\"transaction_id\":\"0b6f5a4e-9d1c-4c1e-8f6a-2d3b4c5d6e7f\"}");
        assertEquals(200, transfer.statusCode(), transfer.body());
        final HttpResponse<String> account = https.send(HttpRequest.newBuilder(URI.create(base + "/v1/accounts/2"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(account.body().contains("\"balance\":\"12.34\""), account.body());
    }

    @Test
    void plainTextClientsAreTurnedAwayAndTheServerStaysHealthy() throws Exception
    {
        final long started = server.node().appliedSequence(); // what the server journaled itself at start
        for (int attempt = 0; attempt < 3; attempt++)
        {
            try (RawConnection plain = new RawConnection(server.binaryAddress()))
            {
                plain.send(BinaryRequests.fundings(1L << 32, 4));
                // At most a TLS alert record comes back, never a reply frame; then the server hangs up.
                assertTrue(plain.readUntilClosed() < 64, "the server closed the plain-text connection");
            }
            final HttpClient plainHttp = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            assertThrows(IOException.class, () -> plainHttp.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.httpAddress().getPort() + "/health"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()));
        }

        assertEquals(started, server.node().appliedSequence(), "nothing a plain-text client sent reached the ledger");
        try (RawConnection connection = RawConnection.tls(server.binaryAddress(), certificate.clientContext()))
        {
            createAccounts(connection);
            fundAndExpectSuccess(connection, 1L << 32, 4);
        }
        final HttpClient https = HttpClient.newBuilder().sslContext(certificate.clientContext()).build();
        final HttpResponse<String> health = https.send(HttpRequest.newBuilder(
            URI.create("https://127.0.0.1:" + server.httpAddress().getPort() + "/health")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        assertNull(server.node().failure());
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateCannotConnect() throws Exception
    {
        final TestCertificates.Issued stranger = TestCertificates.issue(directory, "stranger");
        assertThrows(SSLHandshakeException.class,
            () -> RawConnection.tls(server.binaryAddress(), stranger.clientContext()).close());
        try (RawConnection connection = RawConnection.tls(server.binaryAddress(), certificate.clientContext()))
        {
            createAccounts(connection);
        }
    }

    @Test
    void aMissingCertificateFileStopsStartUpNamingTheSetting()
    {
        final Path missing = directory.resolve("missing.pem");

        final SettingsException ex = assertThrows(SettingsException.class,
            () -> settings(directory.resolve("never"), missing, certificate.privateKey()));

        assertTrue(ex.getMessage().contains("wallet.server.tls.certificate = \"" + missing + "\" is not allowed: " +
            "there is no file " + missing), ex.getMessage());
    }

    @Test
    void aFileThatHoldsNoCertificateStopsStartUpNamingItBeforeAnythingIsOpened() throws IOException
    {
        final Path garbage = Files.writeString(directory.resolve("garbage.pem"), "not a certificate\n");
        final Path data = directory.resolve("never");

        final IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> WalletServer.start(settings(data, garbage, certificate.privateKey())).close());

        assertTrue(ex.getMessage().startsWith("the TLS certificate chain " + garbage.toAbsolutePath()),
            ex.getMessage());
        assertTrue(ex.getMessage().endsWith("(wallet.server.tls)"), ex.getMessage());
        assertTrue(Files.notExists(data), "no data directory was created");
    }

    @Test
    void aKeyOfAnotherCertificateOrInAnotherFormStopsStartUpSayingWhy() throws Exception
    {
        final TestCertificates.Issued other = TestCertificates.issue(directory, "other");
        final IllegalStateException mismatch = assertThrows(IllegalStateException.class,
            () -> WalletServer.start(settings(directory.resolve("never"), certificate.chain(), other.privateKey()))
                .close());
        assertTrue(mismatch.getMessage().contains("does not belong to the first certificate of " +
            certificate.chain().toAbsolutePath()), mismatch.getMessage());

        final Path pkcs1 = Files.writeString(directory.resolve("rsa-key.pem"),
            "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");
        final IllegalStateException oldForm = assertThrows(IllegalStateException.class,
            () -> WalletServer.start(settings(directory.resolve("never"), certificate.chain(), pkcs1)).close());
        assertTrue(oldForm.getMessage().contains("holds no unencrypted PKCS#8 key (BEGIN PRIVATE KEY), but a RSA " +
            "PRIVATE KEY; convert it with: openssl pkcs8 -topk8 -nocrypt"), oldForm.getMessage());
    }

    @Test
    void theServerCommandReportsAnUnusableCertificateAndExits() throws IOException
    {
        final Path garbage = Files.writeString(directory.resolve("garbage.pem"), "-----BEGIN CERTIFICATE-----\n");
        final Path config = Files.writeString(directory.resolve("tls.conf"), "wallet.server.tls {\n" +
            "  enabled = true\n" +
            "  certificate = \"" + garbage + "\"\n" +
            "  private-key = \"" + certificate.privateKey() + "\"\n" +
            "}\n");
        final StringWriter err = new StringWriter();

        final int status = WalletCli.run(new PrintWriter(new StringWriter()), new PrintWriter(err, true), "server",
            "--config", config.toString(), "--data-dir", directory.resolve("never").toString(), "--port", "0",
            "--http-port", "0");

        assertEquals(1, status, err.toString());
        assertTrue(err.toString().startsWith("wallet: cannot start: the TLS certificate chain " + garbage),
            err.toString());
        assertTrue(Files.notExists(directory.resolve("never")), "nothing was started");
    }

    private static HttpResponse<String> post(final HttpClient client, final String uri, final String body)
        throws Exception
    {
        return client.send(HttpRequest.newBuilder(URI.create(uri)).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
