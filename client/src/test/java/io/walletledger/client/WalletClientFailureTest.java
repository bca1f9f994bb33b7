package io.walletledger.client;

import io.walletledger.protocol.sbe.ErrorCode;
import io.walletledger.protocol.sbe.ResultCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.walletledger.client.LoopbackLedger.USD;
import static io.walletledger.protocol.sbe.ResultCode.EXISTS;
import static io.walletledger.protocol.sbe.ResultCode.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a caller sees when the server or the network fails: time-outs, lost connections, reconnecting, closing.
 */
class WalletClientFailureTest
{
    private static final Duration FAST_RECONNECT_INITIAL = Duration.ofMillis(20);
    private static final Duration FAST_RECONNECT_MAX = Duration.ofMillis(200);

    @TempDir
    Path data;

    private final TransferIds ids = new TransferIds();

    @Test
    void aServerThatNeverAnswersGivesATimeout() throws Exception
    {
        try (SilentServer silent = SilentServer.start();
            WalletClient client = WalletClient.connect(WalletClientOptions.builder("127.0.0.1", silent.port())
                .requestTimeout(Duration.ofMillis(300)).build()))
        {
            final ExecutionException lookup = assertThrows(ExecutionException.class,
                () -> client.lookupAccounts(1).get(10, TimeUnit.SECONDS));
            final WalletTimeoutException timeout = assertInstanceOf(WalletTimeoutException.class, lookup.getCause());
            assertTrue(timeout.getMessage().contains("outcome is unknown"), timeout.getMessage());

            assertThrows(WalletTimeoutException.class,
                () -> client.createTransferSync(Transfer.of(ids.next(), 1, 2, 1, USD)));
            assertThrows(WalletTimeoutException.class,
                () -> client.createTransfersSync(List.of(Transfer.of(ids.next(), 1, 2, 1, USD))));
            assertTrue(client.isConnected(), "a time-out does not drop the connection");
            assertEquals(1, client.connectionsEstablished());
        }
    }

    @Test
    void requestsBeyondTheQueueLimitFailAtOnceWithoutBeingSent() throws Exception
    {
        try (SilentServer silent = SilentServer.start();
            WalletClient client = WalletClient.connect(WalletClientOptions.builder("127.0.0.1", silent.port())
                .requestTimeout(Duration.ofSeconds(5)).inFlightRequestsMax(1).queuedRequestsMax(2).build()))
        {
            // One on the wire (never answered), two waiting for its slot, the rest refused at once.
            final List<CompletableFuture<List<AccountRecord>>> lookups = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++)
            {
                lookups.add(client.lookupAccounts(i + 1));
            }
            int refused = 0;
            for (final CompletableFuture<List<AccountRecord>> lookup : lookups)
            {
                try
                {
                    lookup.get(10, TimeUnit.SECONDS);
                }
                catch (final ExecutionException ex)
                {
                    if (ex.getCause() instanceof WalletQueueFullException)
                    {
                        refused++;
                    }
                }
            }
            assertEquals(2, refused, "with one request on the wire and two queued, two more are refused");
        }
    }

    @Test
    void losingTheConnectionFailsRequestsInFlightAndTheClientReconnects() throws Exception
    {
        final List<Account> accounts = List.of(Account.unrestricted(1, USD), Account.wallet(2, USD));
        try (SilentServer silent = SilentServer.start();
            WalletClient client = WalletClient.connect(WalletClientOptions.builder("127.0.0.1", silent.port())
                .reconnectDelay(FAST_RECONNECT_INITIAL, FAST_RECONNECT_MAX).build()))
        {
            final int port = silent.port();
            final Socket peer = silent.awaitConnection();
            final CompletableFuture<List<ResultCode>> inFlight = client.createAccounts(accounts);
            SilentServer.readFrame(peer);
            silent.crash();

            final ExecutionException lost = assertThrows(ExecutionException.class,
                () -> inFlight.get(10, TimeUnit.SECONDS));
            final WalletConnectionException connection =
                assertInstanceOf(WalletConnectionException.class, lost.getCause());
            assertTrue(connection.getMessage().contains("outcome"), connection.getMessage());

            final CompletableFuture<List<ResultCode>> waiting = client.createAccounts(accounts);
            assertFalse(waiting.isDone(), "with nothing listening, a request waits for the connection");

            try (LoopbackLedger ledger = LoopbackLedger.start(data, WalletClientOptions.BATCH_EVENTS_MAX_DEFAULT, port))
            {
                assertEquals(port, ledger.port());
                assertEquals(List.of(OK, OK), waiting.get(10, TimeUnit.SECONDS));
                assertTrue(client.isConnected());
                assertEquals(2, client.connectionsEstablished());
                assertEquals(List.of(EXISTS, EXISTS), client.createAccountsSync(accounts),
                    "resending after a lost connection is safe");
            }
        }
    }

    @Test
    void aStoppedGatewayMakesRequestsWaitAndANewGatewayOnTheSamePortServesThem() throws Exception
    {
        try (LoopbackLedger ledger = LoopbackLedger.start(data);
            WalletClient client = WalletClient.connect(WalletClientOptions.builder("127.0.0.1", ledger.port())
                .requestTimeout(Duration.ofSeconds(2))
                .reconnectDelay(FAST_RECONNECT_INITIAL, FAST_RECONNECT_MAX).build()))
        {
            assertEquals(List.of(OK, OK), client.createAccountsSync(
                List.of(Account.unrestricted(1, USD), Account.wallet(2, USD))));
            final TransferId transferId = ids.next();
            assertEquals(OK, client.createTransferSync(Transfer.of(transferId, 1, 2, 40, USD)));

            ledger.stopGateway();
            awaitDisconnected(client);
            final WalletTimeoutException timeout = assertThrows(WalletTimeoutException.class,
                () -> client.lookupAccountsSync(2));
            assertTrue(timeout.getMessage().contains("waiting for a connection"), timeout.getMessage());

            final CompletableFuture<List<ResultCode>> waiting =
                client.createTransfers(List.of(Transfer.of(transferId, 1, 2, 40, USD)));
            ledger.restartGateway();
            assertEquals(List.of(EXISTS), waiting.get(10, TimeUnit.SECONDS));
            assertEquals(40, client.lookupAccountsSync(2).get(0).balance(), "the node kept its state");
            assertEquals(2, client.connectionsEstablished());
        }
    }

    @Test
    void busyIsRetriedWithBackoffBeforeTheRequestFails()
    {
        try (LoopbackLedger ledger = LoopbackLedger.start(data);
            WalletClient client = WalletClient.connect(WalletClientOptions.builder("127.0.0.1", ledger.port())
                .reconnectDelay(FAST_RECONNECT_INITIAL, FAST_RECONNECT_MAX).build()))
        {
            assertEquals(List.of(OK), client.createAccountsSync(List.of(Account.wallet(2, USD))));
            ledger.stopNode();
            final long before = client.requestsSent();
            final WalletException busy = assertThrows(WalletException.class, () -> client.lookupAccountsSync(2));
            assertEquals(ErrorCode.BUSY, busy.code());
            assertEquals(1 + WalletClientOptions.BUSY_RETRIES_MAX_DEFAULT, client.requestsSent() - before,
                "the first attempt and every retry reached the server");
        }
    }

    @Test
    void withoutReconnectingALostConnectionFailsWhatWaitsAndWhatFollows() throws Exception
    {
        try (LoopbackLedger ledger = LoopbackLedger.start(data);
            WalletClient client = WalletClient.connect(WalletClientOptions.builder("127.0.0.1", ledger.port())
                .reconnect(false).build()))
        {
            assertEquals(List.of(OK), client.createAccountsSync(List.of(Account.wallet(2, USD))));
            ledger.stopGateway();
            awaitDisconnected(client);
            assertThrows(WalletConnectionException.class, () -> client.lookupAccountsSync(2));
            ledger.restartGateway();
            assertThrows(WalletConnectionException.class, () -> client.lookupAccountsSync(2));
            assertEquals(1, client.connectionsEstablished());
        }
    }

    @Test
    void closingTheClientFailsRequestsInFlightAndLaterCalls() throws Exception
    {
        try (SilentServer silent = SilentServer.start())
        {
            final WalletClient client = WalletClient.connect("127.0.0.1", silent.port());
            final Socket peer = silent.awaitConnection();
            final CompletableFuture<ResultCode> inFlight = client.createTransfer(Transfer.of(ids.next(), 1, 2, 1, USD));
            SilentServer.readFrame(peer);
            client.close();
            final ExecutionException closed = assertThrows(ExecutionException.class,
                () -> inFlight.get(10, TimeUnit.SECONDS));
            assertInstanceOf(WalletConnectionException.class, closed.getCause());
            assertThrows(WalletConnectionException.class, () -> client.lookupAccountsSync(1));
            assertThrows(WalletConnectionException.class,
                () -> client.createTransferSync(Transfer.of(ids.next(), 1, 2, 1, USD)));
            client.close();
        }
    }

    @Test
    void connectingWhereNobodyListensFails() throws IOException
    {
        final int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress()))
        {
            port = probe.getLocalPort();
        }
        assertThrows(WalletConnectionException.class, () -> WalletClient.connect("127.0.0.1", port));
    }

    private static void awaitDisconnected(final WalletClient client) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (client.isConnected())
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("the client did not notice the closed connection within 10 s");
            }
            Thread.sleep(10);
        }
    }
}
