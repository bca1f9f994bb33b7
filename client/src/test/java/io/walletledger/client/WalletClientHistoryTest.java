package io.walletledger.client;

import io.walletledger.protocol.sbe.ErrorCode;
import io.walletledger.protocol.sbe.ResultCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static io.walletledger.client.LoopbackLedger.USD;
import static io.walletledger.protocol.sbe.ResultCode.EXCEEDS_CREDITS;
import static io.walletledger.protocol.sbe.ResultCode.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The permanent record through the Java client and the binary protocol, against a real server with a small
 * idempotency window: transfers the engine forgot are found by lookups, and an account's history, paged in every
 * order, filter and page size, with its balances over time, equals a reference model of what was applied, also while
 * transfers keep arriving.
 */
class WalletClientHistoryTest
{
    private static final int WINDOW = 64;
    private static final long SETTLEMENT = 1;
    private static final long[] WALLETS = {2, 3, 4, 5};

    @TempDir
    Path data;

    private LoopbackLedger ledger;
    private WalletClient client;
    private final TransferIds ids = new TransferIds();
    /** Per account, what the model expects its history to hold, oldest first. */
    private final Map<Long, List<Expected>> model = new HashMap<>();
    private final Map<Long, long[]> balances = new HashMap<>();

    /** One entry of the model: the transfer, its result, the account's part and its posted balances right after. */
    private record Expected(TransferId id, ResultCode result, boolean debit, long debitsPosted, long creditsPosted)
    {
    }

    private void start()
    {
        ledger = LoopbackLedger.startWithRecord(data, WINDOW);
        client = WalletClient.connect("127.0.0.1", ledger.port());
        final List<Account> accounts = new ArrayList<>();
        accounts.add(Account.builder(SETTLEMENT, USD).build());
        for (final long wallet : WALLETS)
        {
            accounts.add(Account.wallet(wallet, USD));
        }
        client.createAccountsSync(accounts).forEach(result -> assertEquals(OK, result));
    }

    @AfterEach
    void stop()
    {
        if (client != null)
        {
            client.close();
        }
        if (ledger != null)
        {
            ledger.close();
        }
    }

    @Test
    void aLookupFindsTransfersTheEngineForgotInRequestOrder()
    {
        start();
        final TransferId first = ids.next();
        assertEquals(OK, send(Transfer.of(first, SETTLEMENT, WALLETS[0], 500, USD)));
        final TransferId failed = ids.next();
        assertEquals(EXCEEDS_CREDITS, send(Transfer.of(failed, WALLETS[1], WALLETS[2], 1, USD)));
        randomTransfers(new Random(1), 4 * WINDOW);
        final TransferId recent = ids.next();
        assertEquals(OK, send(Transfer.of(recent, SETTLEMENT, WALLETS[1], 7, USD)));
        final TransferId unknown = ids.next();

        final List<TransferRecord> found = client.lookupTransfersSync(unknown, recent, first, failed, first);
        assertEquals(List.of(recent, first, first), found.stream().map(TransferRecord::id).toList(),
            "the engine's and the record's transfers in request order; unknown and failed ids left out");
        final TransferRecord old = found.get(1);
        assertEquals(SETTLEMENT, old.debitAccountId());
        assertEquals(WALLETS[0], old.creditAccountId());
        assertEquals(500, old.amount());
        assertEquals(USD, old.currency());
        assertTrue(old.timestamp() > 0);
        assertEquals(List.of(), client.lookupTransfersSync(unknown));
        assertEquals(EXCEEDS_CREDITS, client.createTransferSync(Transfer.of(failed, WALLETS[1], WALLETS[2], 1, USD)),
            "a resend of the failed transfer answers its failure, long after the window forgot it");
    }

    @Test
    void historyPagesEqualTheModelInEveryOrderFilterAndPageSize()
    {
        start();
        final Random random = new Random(20261207);
        randomTransfers(random, 6 * WINDOW);
        for (final long account : accounts())
        {
            final List<Expected> expected = model.getOrDefault(account, List.of());
            final List<HistoryEntry> all = collect(HistoryQuery.of(account).oldestFirst().withPageSize(1 +
                random.nextInt(9)));
            assertMatches(account, expected, all);
            final List<HistoryEntry> newest = collect(HistoryQuery.of(account).withPageSize(1 + random.nextInt(9)));
            assertEquals(reversed(all), newest, "newest first is oldest first reversed");
            assertEquals(all.stream().filter(HistoryEntry::debit).toList(),
                collect(HistoryQuery.of(account).oldestFirst().debitsOnly().withPageSize(3)), "debits only");
            assertEquals(all.stream().filter(e -> e.credit() || e.fee()).toList(),
                collect(HistoryQuery.of(account).oldestFirst().creditsOnly().withPageSize(4)), "credits only");
            if (all.isEmpty())
            {
                assertEquals(Optional.empty(), client.accountAtSync(account, Long.MAX_VALUE));
                continue;
            }
            for (int i = 0; i < 5; i++)
            {
                final long from = all.get(random.nextInt(all.size())).transfer().timestamp();
                final long to = all.get(random.nextInt(all.size())).transfer().timestamp();
                assertEquals(all.stream().filter(e -> e.transfer().timestamp() >= from &&
                    e.transfer().timestamp() <= to).toList(),
                    collect(HistoryQuery.of(account).oldestFirst().between(from, to).withPageSize(2)), "a time range");
                final HistoryEntry at = all.get(random.nextInt(all.size()));
                assertEquals(Optional.of(at), client.accountAtSync(account, at.transfer().timestamp()),
                    "the account at a transfer's time is its balances right after that transfer");
            }
            final HistoryEntry last = all.get(all.size() - 1);
            assertEquals(Optional.of(last), client.accountAtSync(account, last.transfer().timestamp() + 1_000_000_000L),
                "after its last transfer the account is as that transfer left it");
            assertEquals(Optional.empty(), client.accountAtSync(account, all.get(0).transfer().timestamp() - 1),
                "before its first transfer the account had no history");
        }
    }

    @Test
    void pagesNeitherSkipNorRepeatWhileTransfersKeepArriving() throws Exception
    {
        start();
        randomTransfers(new Random(7), 3 * WINDOW);
        final long account = WALLETS[0];
        final AtomicBoolean writing = new AtomicBoolean(true);
        final AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        final Thread writer = new Thread(() ->
        {
            try
            {
                final Random random = new Random(8);
                while (writing.get())
                {
                    randomTransfers(random, 1);
                }
            }
            catch (final Throwable ex)
            {
                writerFailure.set(ex);
            }
        });
        final int before;
        final List<HistoryEntry> newestFirst;
        final List<HistoryEntry> oldestFirst;
        synchronized (model)
        {
            before = model.get(account).size();
        }
        writer.start();
        try
        {
            newestFirst = collect(HistoryQuery.of(account).withPageSize(2));
            oldestFirst = collect(HistoryQuery.of(account).oldestFirst().withPageSize(3));
        }
        finally
        {
            writing.set(false);
            writer.join();
        }
        assertEquals(null, writerFailure.get());
        final List<Expected> expected = model.get(account);
        assertTrue(newestFirst.size() >= before, "nothing acknowledged before the walk is missed");
        assertMatches(account, expected.subList(0, newestFirst.size()), reversed(newestFirst));
        assertTrue(oldestFirst.size() >= newestFirst.size());
        assertMatches(account, expected.subList(0, oldestFirst.size()), oldestFirst);
    }

    @Test
    void aServerWithoutTheRecordSaysSo()
    {
        ledger = LoopbackLedger.start(data);
        client = WalletClient.connect("127.0.0.1", ledger.port());
        final WalletException refused = assertThrows(WalletException.class,
            () -> client.lookupAccountHistorySync(HistoryQuery.of(SETTLEMENT), HistoryPage.FIRST));
        assertEquals(ErrorCode.RECORD_OFF, refused.code());
    }

    @Test
    void aCursorNoPageGaveIsRefusedByTheClient()
    {
        start();
        assertThrows(IllegalArgumentException.class,
            () -> client.lookupAccountHistorySync(HistoryQuery.of(SETTLEMENT), -2));
        assertThrows(IllegalArgumentException.class, () -> HistoryQuery.of(SETTLEMENT).withPageSize(1001));
        assertFalse(client.lookupAccountHistorySync(HistoryQuery.of(SETTLEMENT), HistoryPage.FIRST).hasNext());
    }

    private List<HistoryEntry> collect(final HistoryQuery query)
    {
        final List<HistoryEntry> entries = new ArrayList<>();
        client.accountHistory(query).forEach(entries::add);
        return entries;
    }

    private static List<HistoryEntry> reversed(final List<HistoryEntry> entries)
    {
        final List<HistoryEntry> copy = new ArrayList<>(entries);
        Collections.reverse(copy);
        return copy;
    }

    private static void assertMatches(final long account, final List<Expected> expected, final List<HistoryEntry> got)
    {
        assertEquals(expected.size(), got.size(), "entries of account " + account);
        long timestamp = 0;
        for (int i = 0; i < expected.size(); i++)
        {
            final Expected e = expected.get(i);
            final HistoryEntry g = got.get(i);
            final String where = "account " + account + ", entry " + i;
            assertEquals(e.id(), g.transfer().id(), where);
            assertEquals(e.result(), g.result(), where);
            assertEquals(e.debit(), g.debit(), where);
            assertEquals(!e.debit(), g.credit(), where);
            assertEquals(e.debitsPosted(), g.debitsPosted(), where);
            assertEquals(e.creditsPosted(), g.creditsPosted(), where);
            assertEquals(0, g.debitsPending(), where);
            assertEquals(e.creditsPosted() - e.debitsPosted(), g.balance(), where);
            assertTrue(g.transfer().timestamp() > timestamp, "timestamps rise: " + where);
            timestamp = g.transfer().timestamp();
        }
    }

    private List<Long> accounts()
    {
        final List<Long> accounts = new ArrayList<>();
        accounts.add(SETTLEMENT);
        for (final long wallet : WALLETS)
        {
            accounts.add(wallet);
        }
        return accounts;
    }

    /**
     * Sends transfers one at a time: fundings from the settlement account, and payments between wallets, some of
     * them beyond the payer's balance (which fail, and are listed in both histories with the balances unchanged).
     */
    private void randomTransfers(final Random random, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            final boolean funding = random.nextInt(4) == 0;
            final long debit = funding ? SETTLEMENT : WALLETS[random.nextInt(WALLETS.length)];
            long credit = WALLETS[random.nextInt(WALLETS.length)];
            if (credit == debit)
            {
                credit = SETTLEMENT;
            }
            send(Transfer.of(ids.next(), debit, credit, 1 + random.nextInt(funding ? 1000 : 300), USD));
        }
    }

    /**
     * Sends one transfer between existing accounts; the model predicts its result (only wallets refuse overdrafts)
     * and the entry it adds to both accounts' histories.
     */
    private ResultCode send(final Transfer transfer)
    {
        synchronized (model)
        {
            final long[] payer = balances.computeIfAbsent(transfer.debitAccountId(), a -> new long[2]);
            final long[] payee = balances.computeIfAbsent(transfer.creditAccountId(), a -> new long[2]);
            final boolean fits = transfer.debitAccountId() == SETTLEMENT || payer[1] - payer[0] >= transfer.amount();
            final ResultCode result = client.createTransferSync(transfer);
            assertEquals(fits ? OK : EXCEEDS_CREDITS, result, transfer.toString());
            if (result == OK)
            {
                payer[0] += transfer.amount();
                payee[1] += transfer.amount();
            }
            model.computeIfAbsent(transfer.debitAccountId(), a -> new ArrayList<>())
                .add(new Expected(transfer.id(), result, true, payer[0], payer[1]));
            model.computeIfAbsent(transfer.creditAccountId(), a -> new ArrayList<>())
                .add(new Expected(transfer.id(), result, false, payee[0], payee[1]));
            return result;
        }
    }
}
