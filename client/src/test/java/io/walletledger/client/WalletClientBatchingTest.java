package io.walletledger.client;

import io.walletledger.protocol.sbe.ErrorCode;
import io.walletledger.protocol.sbe.ResultCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.walletledger.client.LoopbackLedger.USD;
import static io.walletledger.protocol.sbe.ResultCode.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How calls become requests: single transfers from many threads share requests, a call larger than a request is
 * split (never inside a linked chain), and the server's own batch limit is reported as such.
 */
class WalletClientBatchingTest
{
    private static final long SETTLEMENT = 1;
    private static final long MISSING_ACCOUNT = 999_999;

    @TempDir
    Path data;

    private final TransferIds ids = new TransferIds();

    @Test
    void concurrentSingleTransfersShareRequestsAndEachGetsItsOwnResult() throws Exception
    {
        final int threads = 8;
        final int perThread = 250;
        try (LoopbackLedger ledger = LoopbackLedger.start(data);
            WalletClient client = WalletClient.connect("127.0.0.1", ledger.port()))
        {
            final List<Account> accounts = new ArrayList<>();
            accounts.add(Account.unrestricted(SETTLEMENT, USD));
            for (int t = 0; t < threads; t++)
            {
                accounts.add(Account.wallet(walletOf(t), USD));
            }
            assertEquals(Collections.nCopies(accounts.size(), OK), client.createAccountsSync(accounts));
            final long requestsBefore = client.requestsSent();

            final CountDownLatch go = new CountDownLatch(1);
            final List<List<CompletableFuture<ResultCode>>> futures = new ArrayList<>();
            final List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < threads; t++)
            {
                final List<CompletableFuture<ResultCode>> mine = Collections.synchronizedList(new ArrayList<>());
                futures.add(mine);
                final long wallet = walletOf(t);
                final Thread sender = new Thread(() ->
                {
                    awaitUninterruptibly(go);
                    for (int i = 0; i < perThread; i++)
                    {
                        // Every seventh transfer names an account that does not exist, so results differ per caller.
                        final long debit = i % 7 == 0 ? MISSING_ACCOUNT : SETTLEMENT;
                        mine.add(client.createTransfer(Transfer.of(ids.next(), debit, wallet, i + 1, USD)));
                    }
                }, "sender-" + t);
                senders.add(sender);
                sender.start();
            }
            go.countDown();
            for (final Thread sender : senders)
            {
                sender.join(TimeUnit.SECONDS.toMillis(30));
            }

            final long[] expectedBalances = new long[threads];
            for (int t = 0; t < threads; t++)
            {
                final List<CompletableFuture<ResultCode>> mine = futures.get(t);
                assertEquals(perThread, mine.size());
                for (int i = 0; i < perThread; i++)
                {
                    final ResultCode result = mine.get(i).get(10, TimeUnit.SECONDS);
                    if (i % 7 == 0)
                    {
                        assertEquals(ResultCode.DEBIT_ACCOUNT_NOT_FOUND, result, "thread " + t + " transfer " + i);
                    }
                    else
                    {
                        assertEquals(OK, result, "thread " + t + " transfer " + i);
                        expectedBalances[t] += i + 1;
                    }
                }
            }
            final long transfers = (long)threads * perThread;
            final long requests = client.requestsSent() - requestsBefore;
            assertTrue(requests * 10 <= transfers,
                transfers + " single transfers should share requests, but took " + requests);
            for (int t = 0; t < threads; t++)
            {
                assertEquals(expectedBalances[t], client.lookupAccountsSync(walletOf(t)).get(0).balance());
            }
        }
    }

    @Test
    void aCallLargerThanMaxBatchEventsIsSplitWithoutCuttingAChain()
    {
        try (LoopbackLedger ledger = LoopbackLedger.start(data);
            WalletClient client = WalletClient.connect(
                WalletClientOptions.builder("127.0.0.1", ledger.port()).batchEventsMax(100).build()))
        {
            assertEquals(List.of(OK, OK), client.createAccountsSync(List.of(
                Account.unrestricted(SETTLEMENT, USD), Account.wallet(2, USD))));
            final List<Transfer> transfers = new ArrayList<>();
            for (int i = 0; i < 250; i++)
            {
                // Events 95..104 form one chain across the first natural cut at 100.
                transfers.add(Transfer.of(ids.next(), SETTLEMENT, 2, 1, USD).withLinked(i >= 95 && i < 104));
            }
            final long before = client.requestsSent();
            final List<ResultCode> results = client.createTransfersSync(transfers);
            assertEquals(Collections.nCopies(250, OK), results);
            assertEquals(3, client.requestsSent() - before, "cut at 95 and 195");
            assertEquals(250, client.lookupAccountsSync(2).get(0).balance());

            final TransferId[] all = transfers.stream().map(Transfer::id).toArray(TransferId[]::new);
            final List<TransferRecord> found = client.lookupTransfersSync(all);
            assertEquals(250, found.size());
            for (int i = 0; i < 250; i++)
            {
                assertEquals(all[i], found.get(i).id(), "lookups keep the order asked across requests");
            }

            final List<Transfer> longChain = new ArrayList<>();
            for (int i = 0; i < 101; i++)
            {
                longChain.add(Transfer.of(ids.next(), SETTLEMENT, 2, 1, USD).withLinked(i < 100));
            }
            assertThrows(IllegalArgumentException.class, () -> client.createTransfers(longChain));
        }
    }

    @Test
    void theServerRefusesMoreEventsThanItsLimitAsAWhole()
    {
        try (LoopbackLedger ledger = LoopbackLedger.start(data, 10, 0);
            WalletClient client = WalletClient.connect(
                WalletClientOptions.builder("127.0.0.1", ledger.port()).batchEventsMax(20).build()))
        {
            assertEquals(List.of(OK, OK), client.createAccountsSync(List.of(
                Account.unrestricted(SETTLEMENT, USD), Account.wallet(2, USD))));
            final long[] accountIds = new long[15];
            Arrays.fill(accountIds, 2);
            final ExecutionException failure = assertThrows(ExecutionException.class,
                () -> client.lookupAccounts(accountIds).get(10, TimeUnit.SECONDS));
            final WalletException refused = assertInstanceOf(WalletException.class, failure.getCause());
            assertEquals(ErrorCode.BATCH_TOO_LARGE, refused.code());
            assertEquals(10, client.lookupAccountsSync(Arrays.copyOf(accountIds, 10)).size(),
                "the connection goes on after a refused request");

            // Fifteen transfers do not even fit in the server's largest frame: it says so and hangs up.
            final List<Transfer> transfers = new ArrayList<>();
            for (int i = 0; i < 15; i++)
            {
                transfers.add(Transfer.of(ids.next(), SETTLEMENT, 2, 1, USD));
            }
            final WalletConnectionException hungUp = assertThrows(WalletConnectionException.class,
                () -> client.createTransfersSync(transfers));
            assertTrue(hungUp.getMessage().contains("FRAME_TOO_LARGE"), hungUp.getMessage());
            assertEquals(Collections.nCopies(10, OK), client.createTransfersSync(transfers.subList(0, 10)),
                "the client reconnected");
            assertEquals(10, client.lookupAccountsSync(2).get(0).balance(), "nothing of a refused request is applied");
        }
    }

    @Test
    void aLingerGathersSingleTransfersFromOneThread() throws Exception
    {
        try (LoopbackLedger ledger = LoopbackLedger.start(data);
            WalletClient client = WalletClient.connect(WalletClientOptions.builder("127.0.0.1", ledger.port())
                .batchLinger(Duration.ofMillis(500)).build()))
        {
            assertEquals(List.of(OK, OK), client.createAccountsSync(List.of(
                Account.unrestricted(SETTLEMENT, USD), Account.wallet(2, USD))));
            final long before = client.requestsSent();
            final List<CompletableFuture<ResultCode>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++)
            {
                futures.add(client.createTransfer(Transfer.of(ids.next(), SETTLEMENT, 2, 1, USD)));
            }
            for (final CompletableFuture<ResultCode> future : futures)
            {
                assertEquals(OK, future.get(10, TimeUnit.SECONDS));
            }
            assertEquals(1, client.requestsSent() - before, "twenty transfers within the linger travel together");
        }
    }

    @Test
    void aSingleLinkedTransferIsRefused()
    {
        try (LoopbackLedger ledger = LoopbackLedger.start(data);
            WalletClient client = WalletClient.connect("127.0.0.1", ledger.port()))
        {
            final Transfer linked = Transfer.of(ids.next(), SETTLEMENT, 2, 1, USD).withLinked(true);
            assertThrows(IllegalArgumentException.class, () -> client.createTransfer(linked));
        }
    }

    private static long walletOf(final int thread)
    {
        return 100 + thread;
    }

    private static void awaitUninterruptibly(final CountDownLatch latch)
    {
        try
        {
            latch.await();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
