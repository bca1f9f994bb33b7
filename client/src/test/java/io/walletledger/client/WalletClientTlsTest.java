package io.walletledger.client;

import io.walletledger.gateway.ServerTls;
import io.walletledger.server.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.walletledger.client.LoopbackLedger.USD;
import static io.walletledger.protocol.sbe.ResultCode.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client over TLS to a real gateway with a certificate made for the test: it works when the client trusts the
 * certificate's authority, and otherwise fails to connect saying why, never sending a request in the clear.
 */
class WalletClientTlsTest
{
    @TempDir
    Path directory;

    private final TransferIds ids = new TransferIds();

    @Test
    void transfersAndLookupsWorkOverTlsAndSurviveAReconnect() throws Exception
    {
        final TestCertificates.Issued certificate = TestCertificates.issue(directory, "server");
        try (LoopbackLedger ledger = LoopbackLedger.start(directory.resolve("data"),
                WalletClientOptions.BATCH_EVENTS_MAX_DEFAULT, 0,
                ServerTls.context(certificate.chain(), certificate.privateKey()));
            WalletClient client = WalletClient.connect(WalletClientOptions.builder("127.0.0.1", ledger.port())
                .tls(WalletClientTls.trusting(certificate.authority()))
                .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200)).build()))
        {
            assertEquals(List.of(OK, OK), client.createAccountsSync(
                List.of(Account.unrestricted(1, USD), Account.wallet(2, USD))));
            assertEquals(OK, client.createTransferSync(Transfer.of(ids.next(), 1, 2, 25, USD)));

            ledger.stopGateway();
            ledger.restartGateway();
            assertEquals(OK, client.createTransfer(Transfer.of(ids.next(), 1, 2, 15, USD)).get(10, TimeUnit.SECONDS));
            assertEquals(40, client.lookupAccountsSync(2).get(0).balance());
            assertEquals(2, client.connectionsEstablished());
        }
    }

    @Test
    void aServerCertificateFromAnotherAuthorityIsRefusedAtConnect() throws Exception
    {
        final TestCertificates.Issued certificate = TestCertificates.issue(directory, "server");
        final TestCertificates.Issued stranger = TestCertificates.issue(directory, "stranger");
        try (LoopbackLedger ledger = LoopbackLedger.start(directory.resolve("data"),
            WalletClientOptions.BATCH_EVENTS_MAX_DEFAULT, 0,
            ServerTls.context(certificate.chain(), certificate.privateKey())))
        {
            for (final WalletClientTls tls : List.of(WalletClientTls.trusting(stranger.authority()),
                WalletClientTls.trustingDefaultAuthorities()))
            {
                final WalletConnectionException ex = assertThrows(WalletConnectionException.class,
                    () -> WalletClient.connect(WalletClientOptions.builder("127.0.0.1", ledger.port()).tls(tls)
                        .requestTimeout(Duration.ofSeconds(5)).build()).close());
                assertTrue(ex.getMessage().contains("the TLS handshake failed (" + tls + ")"), ex.getMessage());
            }
        }
    }

    @Test
    void aTlsClientAgainstAPlainTextGatewayFailsToConnectSayingSo()
    {
        try (LoopbackLedger ledger = LoopbackLedger.start(directory.resolve("data")))
        {
            final WalletConnectionException ex = assertThrows(WalletConnectionException.class,
                () -> WalletClient.connect(WalletClientOptions.builder("127.0.0.1", ledger.port())
                    .tls(WalletClientTls.trustingDefaultAuthorities()).requestTimeout(Duration.ofSeconds(5)).build())
                    .close());
            assertTrue(ex.getMessage().contains("TLS handshake failed"), ex.getMessage());
        }
    }

    @Test
    void aTrustFileWithoutCertificatesIsRefusedNamingIt() throws Exception
    {
        final Path empty = java.nio.file.Files.writeString(directory.resolve("empty.pem"), "");
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> WalletClientTls.trusting(empty));
        assertTrue(ex.getMessage().startsWith(empty.toAbsolutePath() + " holds no certificate"), ex.getMessage());

        final Path missing = directory.resolve("missing.pem");
        final IllegalArgumentException notThere = assertThrows(IllegalArgumentException.class,
            () -> WalletClientTls.trusting(missing));
        assertTrue(notThere.getMessage().startsWith("cannot read trusted certificates from " +
            missing.toAbsolutePath()), notThere.getMessage());
    }
}
