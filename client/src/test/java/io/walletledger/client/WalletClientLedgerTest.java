package io.walletledger.client;

import io.walletledger.protocol.sbe.AccountStatus;
import io.walletledger.protocol.sbe.PendingStatus;
import io.walletledger.protocol.sbe.ResultCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.walletledger.client.LoopbackLedger.EUR;
import static io.walletledger.client.LoopbackLedger.USD;
import static io.walletledger.protocol.sbe.ResultCode.EXISTS;
import static io.walletledger.protocol.sbe.ResultCode.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ledger's semantics as a client sees them, against the real server: accounts, transfers, lookups, linked
 * chains, holds and idempotent retries.
 */
class WalletClientLedgerTest
{
    private static final long SETTLEMENT = 1;
    private static final long ALICE = 2;
    private static final long BOB = 3;

    @TempDir
    Path data;

    private LoopbackLedger ledger;
    private WalletClient client;
    private final TransferIds ids = new TransferIds();

    @BeforeEach
    void start()
    {
        ledger = LoopbackLedger.start(data);
        client = WalletClient.connect("127.0.0.1", ledger.port());
        assertEquals(List.of(OK, OK, OK), client.createAccountsSync(List.of(
            Account.builder(SETTLEMENT, USD).code(7).userData(70).build(),
            Account.wallet(ALICE, USD),
            Account.wallet(BOB, USD))));
    }

    @AfterEach
    void stop()
    {
        client.close();
        ledger.close();
    }

    @Test
    void aGivenThreadFactoryMakesTheClientsIoThread()
    {
        final AtomicInteger made = new AtomicInteger();
        final ThreadFactory factory = (runnable) ->
        {
            final Thread thread = new Thread(runnable, "custom-io-" + made.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        try (WalletClient custom = WalletClient.connect(
            WalletClientOptions.builder("127.0.0.1", ledger.port()).ioThreadFactory(factory).build()))
        {
            assertEquals(1, custom.lookupAccountsSync(ALICE).size());
            assertEquals(1, made.get(), "one I/O thread per client");
            assertTrue(Thread.getAllStackTraces().keySet().stream()
                .anyMatch((thread) -> thread.getName().equals("custom-io-1")), "the factory's thread runs the client");
        }
    }

    @Test
    void createsAccountsAndTransfersAndLooksThemUp()
    {
        final TransferId funding = ids.next();
        final TransferId payment = ids.next();
        final TransferId overdraft = ids.next();
        final List<ResultCode> results = client.createTransfersSync(List.of(
            Transfer.builder(funding).debitAccountId(SETTLEMENT).creditAccountId(ALICE).amount(1_000).currency(USD)
                .code(11).userData128(12, 13).userData64(14).userData32(-1).build(),
            Transfer.of(payment, ALICE, BOB, 300, USD),
            Transfer.of(overdraft, ALICE, BOB, 10_000, USD)));
        assertEquals(List.of(OK, OK, ResultCode.EXCEEDS_CREDITS), results);

        final List<AccountRecord> accounts = client.lookupAccountsSync(BOB, 999, SETTLEMENT, ALICE);
        assertEquals(3, accounts.size(), "the unknown id is left out");
        final AccountRecord bob = accounts.get(0);
        final AccountRecord settlement = accounts.get(1);
        final AccountRecord alice = accounts.get(2);
        assertEquals(List.of(BOB, SETTLEMENT, ALICE), List.of(bob.id(), settlement.id(), alice.id()));
        assertEquals(300, bob.balance());
        assertEquals(700, alice.balance());
        assertEquals(-1_000, settlement.balance());
        assertEquals(1_000, settlement.debitsPosted());
        assertEquals(USD, alice.currency());
        assertTrue(alice.debitsMustNotExceedCredits());
        assertFalse(settlement.debitsMustNotExceedCredits());
        assertEquals(7, settlement.code());
        assertEquals(70, settlement.userData());
        assertEquals(AccountStatus.ACTIVE, alice.status());
        assertTrue(alice.timestamp() > 0);

        final List<TransferRecord> transfers = client.lookupTransfersSync(payment, overdraft, funding);
        assertEquals(2, transfers.size(), "a failed transfer is not found");
        final TransferRecord found = transfers.get(1);
        assertEquals(funding, found.id());
        assertEquals(SETTLEMENT, found.debitAccountId());
        assertEquals(ALICE, found.creditAccountId());
        assertEquals(1_000, found.amount());
        assertEquals(11, found.code());
        assertEquals(12, found.userData128Hi());
        assertEquals(13, found.userData128Lo());
        assertEquals(14, found.userData64());
        assertEquals(-1, found.userData32(), "all 32 bits of user data travel");
        assertEquals(PendingStatus.NONE, found.pendingStatus());
        assertTrue(transfers.get(0).timestamp() > found.timestamp());

        assertEquals(List.of(EXISTS, ResultCode.EXISTS_WITH_DIFFERENT_FLAGS), client.createAccountsSync(List.of(
            Account.wallet(ALICE, USD), Account.unrestricted(BOB, USD))));
        assertEquals(List.of(), client.lookupAccountsSync());
    }

    @Test
    void aLinkedChainAppliesAllOrNothing()
    {
        final List<Transfer> failing = List.of(
            Transfer.of(ids.next(), SETTLEMENT, ALICE, 500, USD).withLinked(true),
            Transfer.of(ids.next(), ALICE, BOB, 600, USD).withLinked(true),
            Transfer.of(ids.next(), SETTLEMENT, BOB, 1, USD));
        assertEquals(List.of(ResultCode.LINKED_EVENT_FAILED, ResultCode.EXCEEDS_CREDITS, ResultCode.LINKED_EVENT_FAILED),
            client.createTransfersSync(failing));
        assertBalances(0, 0);
        assertEquals(List.of(), client.lookupTransfersSync(failing.get(0).id(), failing.get(2).id()));

        final List<Transfer> succeeding = List.of(
            Transfer.of(ids.next(), SETTLEMENT, ALICE, 500, USD).withLinked(true),
            Transfer.of(ids.next(), ALICE, BOB, 400, USD).withLinked(true),
            Transfer.of(ids.next(), SETTLEMENT, BOB, 1, USD));
        assertEquals(List.of(OK, OK, OK), client.createTransfersSync(succeeding));
        assertBalances(100, 401);

        final List<ResultCode> open = client.createTransfersSync(List.of(
            Transfer.of(ids.next(), SETTLEMENT, ALICE, 1, USD).withLinked(true)));
        assertEquals(List.of(ResultCode.LINKED_EVENT_CHAIN_OPEN), open);
        assertBalances(100, 401);
    }

    @Test
    void aHoldIsPostedInPartAndAnotherIsVoided()
    {
        assertEquals(OK, client.createTransferSync(Transfer.of(ids.next(), SETTLEMENT, ALICE, 1_000, USD)));
        final TransferId hold = ids.next();
        assertEquals(OK, client.createTransferSync(Transfer.pending(hold, ALICE, BOB, 400, USD, 3600)));
        final AccountRecord held = client.lookupAccountsSync(ALICE).get(0);
        assertEquals(1_000, held.balance());
        assertEquals(400, held.debitsPending());
        assertEquals(600, held.available());
        assertEquals(400, client.lookupAccountsSync(BOB).get(0).creditsPending());

        final TransferId capture = ids.next();
        assertEquals(OK, client.createTransferSync(Transfer.post(capture, hold, 300)));
        assertBalances(700, 300);
        assertEquals(0, client.lookupAccountsSync(ALICE).get(0).debitsPending());
        final List<TransferRecord> records = client.lookupTransfersSync(hold, capture);
        assertEquals(PendingStatus.POSTED, records.get(0).pendingStatus());
        assertTrue(records.get(0).pending());
        assertEquals(3600, records.get(0).timeoutSeconds());
        assertTrue(records.get(1).postPending());
        assertEquals(hold, records.get(1).pendingId());
        assertEquals(ALICE, records.get(1).debitAccountId(), "a post is stored with the hold's accounts");
        assertEquals(300, records.get(1).amount());
        assertEquals(ResultCode.PENDING_TRANSFER_ALREADY_POSTED,
            client.createTransferSync(Transfer.post(ids.next(), hold, 0)));

        final TransferId second = ids.next();
        assertEquals(OK, client.createTransferSync(Transfer.pending(second, ALICE, BOB, 200, USD, 0)));
        assertEquals(500, client.lookupAccountsSync(ALICE).get(0).available());
        assertEquals(OK, client.createTransferSync(Transfer.voidPending(ids.next(), second)));
        assertEquals(PendingStatus.VOIDED, client.lookupTransfersSync(second).get(0).pendingStatus());
        assertBalances(700, 300);
        assertEquals(700, client.lookupAccountsSync(ALICE).get(0).available());
    }

    @Test
    void aRetriedTransferAnswersExistsAndMovesMoneyOnce() throws Exception
    {
        final Transfer transfer = Transfer.of(ids.next(), SETTLEMENT, ALICE, 250, USD);
        assertEquals(List.of(OK), client.createTransfersSync(List.of(transfer)));
        assertEquals(List.of(EXISTS), client.createTransfersSync(List.of(transfer)));
        assertEquals(EXISTS, client.createTransferSync(transfer));
        final Transfer changed = Transfer.of(transfer.id(), SETTLEMENT, ALICE, 251, USD);
        assertEquals(ResultCode.EXISTS_WITH_DIFFERENT_AMOUNT, client.createTransferSync(changed));
        assertBalances(250, 0);

        // A failure is remembered too: resending cannot turn it into a success.
        final Transfer overdraft = Transfer.of(ids.next(), ALICE, BOB, 1_000, USD);
        assertEquals(ResultCode.EXCEEDS_CREDITS, client.createTransferSync(overdraft));
        assertEquals(OK, client.createTransferSync(Transfer.of(ids.next(), SETTLEMENT, ALICE, 1_000, USD)));
        assertEquals(ResultCode.EXCEEDS_CREDITS, client.createTransferSync(overdraft));

        // Many concurrent retries of one id: exactly one moves the money.
        final Transfer once = Transfer.of(ids.next(), SETTLEMENT, BOB, 5, USD);
        final List<CompletableFuture<ResultCode>> retries = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++)
        {
            retries.add(client.createTransfer(once));
        }
        int ok = 0;
        for (final CompletableFuture<ResultCode> retry : retries)
        {
            final ResultCode result = retry.get(10, TimeUnit.SECONDS);
            assertTrue(result == OK || result == EXISTS, result.name());
            ok += result == OK ? 1 : 0;
        }
        assertEquals(1, ok);
        assertBalances(1_250, 5);
    }

    @Test
    void aTransferBetweenCurrenciesIsRefusedWithItsOwnCode()
    {
        assertEquals(List.of(OK), client.createAccountsSync(List.of(Account.wallet(4, EUR))));
        assertEquals(Collections.nCopies(2, ResultCode.ACCOUNTS_MUST_HAVE_THE_SAME_CURRENCY),
            client.createTransfersSync(List.of(
                Transfer.of(ids.next(), SETTLEMENT, 4, 1, USD),
                Transfer.of(ids.next(), SETTLEMENT, 4, 1, EUR))));
    }

    private void assertBalances(final long alice, final long bob)
    {
        final List<AccountRecord> accounts = client.lookupAccountsSync(ALICE, BOB);
        assertEquals(alice, accounts.get(0).balance(), "Alice's balance");
        assertEquals(bob, accounts.get(1).balance(), "Bob's balance");
    }
}
