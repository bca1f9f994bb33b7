package io.walletledger.record;

import io.walletledger.engine.AppliedTransfer;
import io.walletledger.engine.LedgerConfig;
import io.walletledger.engine.LedgerEngine;
import io.walletledger.protocol.sbe.AccountAction;
import io.walletledger.protocol.sbe.AccountCommandsEncoder;
import io.walletledger.protocol.sbe.AccountStatus;
import io.walletledger.protocol.sbe.CreateAccountsEncoder;
import io.walletledger.protocol.sbe.FreezeScope;
import io.walletledger.protocol.sbe.SetFeesEncoder;
import io.walletledger.protocol.sbe.CreateTransfersEncoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.protocol.sbe.ResultCode;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The record fed by a real engine through a {@link RecordWriter}: what it keeps, where, across a reopen; the first
 * decision under an id wins; commands at or below its position are not written again; a hold knows what closed it.
 */
class TransferRecordStoreTest
{
    private static final int USD = 840;
    private static final int SINGLE_PHASE = 0;
    private static final int PENDING = 1;
    private static final int POST = 2;

    @TempDir
    Path directory;

    private final LedgerEngine engine = new LedgerEngine(LedgerConfig.builder().accountsMax(16).idempotencyWindow(4)
        .pendingTransfersMax(16).batchEventsMax(8).build());
    private final UnsafeBuffer request = new UnsafeBuffer(new byte[4096]);
    private final UnsafeBuffer response = new UnsafeBuffer(new byte[engine.responseLengthMax()]);
    private long sequence;
    private long now = 1_000_000_000_000L;
    private final List<Journaled> journal = new ArrayList<>();

    @Test
    void keepsEveryTransferWithItsOutcomeAndBalancesAndResumesAfterAReopen()
    {
        try (TransferRecordStore store = TransferRecordStore.open(directory);
            RecordWriter writer = new RecordWriter(store))
        {
            engine.appliedTransferListener(writer);
            execute(writer, accounts(false, 1));
            execute(writer, accounts(true, 2));
            execute(writer, transfers(transfer(10, 1, 2, 300, 0, SINGLE_PHASE)));
            execute(writer, transfers(transfer(11, 2, 1, 999, 0, SINGLE_PHASE)));
            writer.commit(sequence, engine.lastTimestamp());
            assertEquals(sequence, store.position());

            final RecordedTransfer paid = store.find(0, 10);
            assertNotNull(paid);
            assertEquals(ResultCode.OK, paid.transfer().result());
            assertEquals(300, paid.transfer().amount());
            assertEquals(300, paid.transfer().creditsPosted(AppliedTransfer.CREDIT));
            assertEquals(TransferRecordStore.position(3, 0), paid.position());

            final RecordedTransfer failed = store.find(0, 11);
            assertEquals(ResultCode.EXCEEDS_CREDITS, failed.transfer().result());
            assertEquals(300, failed.transfer().debitsPosted(AppliedTransfer.CREDIT), "balances it left unchanged");
            assertNull(store.find(0, 12));
        }
        try (TransferRecordStore reopened = TransferRecordStore.open(directory))
        {
            assertEquals(4, reopened.position());
            assertEquals(300, reopened.find(0, 10).transfer().amount());
        }
    }

    @Test
    void idLookupsFindWhatFindFindsAndSeeCommitsAfterEachBeginAndTheCoveredTimestampSurvivesAReopen()
    {
        final long covered;
        try (TransferRecordStore store = TransferRecordStore.open(directory);
            RecordWriter writer = new RecordWriter(store);
            TransferRecordStore.IdLookups lookups = store.idLookups())
        {
            assertEquals(-1, store.coveredTimestamp(), "an empty record covers nothing");
            engine.appliedTransferListener(writer);
            execute(writer, accounts(false, 1, 2));
            execute(writer, transfers(transfer(30, 1, 2, 5, 0, SINGLE_PHASE)));
            writer.commit(sequence, engine.lastTimestamp());
            covered = store.coveredTimestamp();
            assertEquals(engine.lastTimestamp(), covered);

            lookups.begin();
            assertEquals(5, lookups.find(0, 30).transfer().amount());
            assertNull(lookups.find(0, 31));
            execute(writer, transfers(transfer(31, 1, 2, 6, 0, SINGLE_PHASE)));
            writer.commit(sequence, engine.lastTimestamp());
            assertNull(lookups.find(0, 31), "a group sees the record as it was when it began");
            lookups.begin();
            assertEquals(6, lookups.find(0, 31).transfer().amount());
            assertEquals(store.find(0, 31).position(), lookups.find(0, 31).position());
            assertTrue(store.coveredTimestamp() > covered);
        }
        try (TransferRecordStore reopened = TransferRecordStore.open(directory))
        {
            assertTrue(reopened.coveredTimestamp() > covered, "the covered timestamp is kept with the position");
        }
    }

    @Test
    void theFirstDecisionUnderAnIdIsTheOneFoundAndRecordedCommandsAreNotWrittenAgain()
    {
        try (TransferRecordStore store = TransferRecordStore.open(directory);
            RecordWriter writer = new RecordWriter(store))
        {
            engine.appliedTransferListener(writer);
            execute(writer, accounts(false, 1, 2));
            execute(writer, transfers(transfer(20, 1, 2, 5, 0, SINGLE_PHASE)));
            // More transfers than the window: the engine forgets id 20 and decides it again.
            for (int i = 0; i < 3; i++)
            {
                execute(writer, transfers(
                    transfer(100 + 2 * i, 1, 2, 1, 0, SINGLE_PHASE), transfer(101 + 2 * i, 1, 2, 1, 0, SINGLE_PHASE)));
            }
            execute(writer, transfers(transfer(20, 1, 2, 7, 0, SINGLE_PHASE)));
            writer.commit(sequence, engine.lastTimestamp());
            assertEquals(5, store.find(0, 20).transfer().amount(), "the first decision, not the later one");

            // A writer replaying commands the record already holds writes nothing.
            writer.beginCommand(2);
            writer.onTransfer(store.at(TransferRecordStore.position(6, 0)));
            writer.commit(2, engine.lastTimestamp());
            assertEquals(5, store.find(0, 20).transfer().amount());
            assertEquals(sequence, store.position());
        }
    }

    @Test
    void aHoldKnowsThePostThatClosedIt()
    {
        try (TransferRecordStore store = TransferRecordStore.open(directory);
            RecordWriter writer = new RecordWriter(store))
        {
            engine.appliedTransferListener(writer);
            execute(writer, accounts(false, 1, 2));
            execute(writer, transfers(transfer(30, 1, 2, 50, 0, PENDING)));
            assertNull(storeAfterCommit(store, writer).find(0, 30).closedBy());
            execute(writer, transfers(transfer(31, 0, 0, 50, 30, POST)));
            final RecordedTransfer hold = storeAfterCommit(store, writer).find(0, 30);
            assertNotNull(hold.closedBy());
            assertEquals(31, hold.closedBy().idLo());
            assertTrue(hold.closedBy().isPost());
        }
    }

    @Test
    void anAccountsHistoryPagesBothWaysAndByPart()
    {
        try (TransferRecordStore store = TransferRecordStore.open(directory);
            RecordWriter writer = new RecordWriter(store))
        {
            engine.appliedTransferListener(writer);
            execute(writer, accounts(false, 1, 2, 3));
            execute(writer, transfers(transfer(40, 1, 2, 10, 0, SINGLE_PHASE), transfer(41, 2, 1, 3, 0, SINGLE_PHASE)));
            execute(writer, transfers(transfer(42, 3, 2, 5, 0, SINGLE_PHASE), transfer(43, 1, 3, 1, 0, SINGLE_PHASE)));
            writer.commit(sequence, engine.lastTimestamp());

            final List<AccountEntry> newest = store.history(HistoryQuery.of(2, -1, 2, true));
            assertEquals(List.of(TransferRecordStore.position(3, 0), TransferRecordStore.position(2, 1)),
                newest.stream().map(AccountEntry::position).toList());
            assertEquals(10 + 5, newest.get(0).creditsPosted(), "account 2's balances right after transfer 42");
            assertEquals(3, newest.get(0).debitsPosted());
            final List<AccountEntry> rest = store.history(HistoryQuery.of(2, newest.get(1).position(), 2, true));
            assertEquals(List.of(TransferRecordStore.position(2, 0)), rest.stream().map(AccountEntry::position).toList());

            final List<AccountEntry> oldest = store.history(HistoryQuery.of(1, -1, 10, false));
            assertEquals(List.of(TransferRecordStore.position(2, 0), TransferRecordStore.position(2, 1),
                TransferRecordStore.position(3, 1)), oldest.stream().map(AccountEntry::position).toList());
            assertEquals(List.of(AccountEntry.DEBIT, AccountEntry.CREDIT, AccountEntry.DEBIT),
                oldest.stream().map(AccountEntry::parts).toList());
            assertEquals(oldest.subList(1, 3), store.history(HistoryQuery.of(1, oldest.get(0).position(), 10,
                false)), "an ascending page that starts inside a write's group of entries");
            assertEquals(2, store.history(HistoryQuery.of(1, -1, 10, true).withParts(AccountEntry.DEBIT)).size());
            assertTrue(store.history(HistoryQuery.of(4, -1, 10, true)).isEmpty());

            final long secondTransfer = oldest.get(1).timestamp();
            final List<AccountEntry> upTo = store.history(
                new HistoryQuery(1, -1, 10, true, AccountEntry.ANY, 0, secondTransfer));
            assertEquals(List.of(oldest.get(1), oldest.get(0)), upTo, "newest first, up to a time");
            final List<AccountEntry> since = store.history(
                new HistoryQuery(1, -1, 10, false, AccountEntry.ANY, secondTransfer, Long.MAX_VALUE));
            assertEquals(oldest.subList(1, 3), since, "oldest first, from a time");
            assertEquals(List.of(oldest.get(1)), store.history(
                new HistoryQuery(1, -1, 10, false, AccountEntry.ANY, secondTransfer, secondTransfer)));
        }
    }

    @Test
    void theStreamHoldsEveryChangeInTheLedgersOrderAndAReplayOfTheJournalGivesTheSameStream(
        @TempDir final Path replayed)
    {
        final List<String> stream;
        try (TransferRecordStore store = TransferRecordStore.open(directory);
            RecordWriter writer = new RecordWriter(store))
        {
            engine.appliedTransferListener(writer);
            execute(writer, accounts(false, 1, 2, 3));
            execute(writer, accounts(false, 1)); // exists: no event
            execute(writer, transfers(transfer(10, 1, 2, 300, 0, SINGLE_PHASE)));
            execute(writer, transfers(new long[] {11, 1, 2, 40, 0, PENDING, 1}));
            execute(writer, accountCommand(2, AccountAction.FREEZE, FreezeScope.DEBITS));
            execute(writer, fee(1, 5, 3));
            now += 2_000_000_000L; // the hold's timeout passes: it expires at the start of the next command
            execute(writer, accounts(false, 4));
            execute(writer, transfers(transfer(12, 1, 2, 7, 0, SINGLE_PHASE), transfer(13, 2, 1, 1, 0, SINGLE_PHASE)));
            execute(writer, accountCommand(2, AccountAction.UNFREEZE, FreezeScope.NONE));
            writer.commit(sequence, engine.lastTimestamp());

            final List<StreamItem> items = store.stream(-1, 100, 1000, item -> true).items();
            assertEquals(List.of("account_created 1", "account_created 2", "account_created 3", "transfer 10 OK",
                "transfer 11 OK", "account_frozen 2", "fee_set 1", "transfer 11 expired", "account_created 4",
                "transfer 12 OK", "transfer 13 DEBIT_ACCOUNT_FROZEN", "account_unfrozen 2"),
                items.stream().map(TransferRecordStoreTest::describe).toList());
            for (int i = 1; i < items.size(); i++)
            {
                assertTrue(items.get(i).position() > items.get(i - 1).position(), "strictly increasing positions");
                assertTrue(items.get(i).timestamp() >= items.get(i - 1).timestamp(), "timestamps never go back");
            }
            assertEquals(TransferRecordStore.position(7, 1), items.get(8).position(),
                "an event follows the expiry its command decided");
            final RecordedEvent frozen = items.get(5).event();
            assertEquals(AccountStatus.FROZEN.value(), frozen.values()[RecordedEvent.ACCOUNT_STATUS]);
            assertEquals(FreezeScope.DEBITS.value(), frozen.values()[RecordedEvent.ACCOUNT_FREEZE_SCOPE]);
            assertEquals(300, frozen.values()[RecordedEvent.ACCOUNT_CREDITS_POSTED], "the account as it was then");
            assertEquals(40, frozen.values()[RecordedEvent.ACCOUNT_CREDITS_PENDING]);
            assertEquals(List.of(1L, (long)USD, 5L, 0L, 0L, 0L, 3L), feeValues(items.get(6).event()),
                "code, currency, fixed amount, basis points, minimum, maximum, fee account");
            assertEquals(5, items.get(9).transfer().fee(), "the fee set before applies to the transfer after");

            final StreamPage touching2 = store.stream(items.get(3).position(), 3, 1000, item -> touches(item, 2));
            assertEquals(List.of("transfer 11 OK", "account_frozen 2", "transfer 11 expired"),
                touching2.items().stream().map(TransferRecordStoreTest::describe).toList());
            assertEquals(items.get(7).position(), touching2.scannedTo());
            final StreamPage bounded = store.stream(-1, 100, 2, item -> false);
            assertEquals(List.of(), bounded.items());
            assertEquals(items.get(1).position(), bounded.scannedTo(), "a scan stops at its bound");
            assertFalse(bounded.atEnd(), "stopped at its bound, not at the end");
            assertFalse(touching2.atEnd(), "stopped at its limit");
            assertTrue(store.stream(-1, 100, 1000, item -> false).atEnd());
            assertEquals(List.of(), store.stream(items.get(11).position(), 100, 1000, item -> true).items());
            assertEquals(items.get(11).position(), store.stream(items.get(11).position(), 100, 1000, item -> true)
                .scannedTo());

            pagesEqualTheWholeStream(store, items);
            stream = items.stream().map(TransferRecordStoreTest::bytesOf).toList();
        }
        final LedgerEngine replay = new LedgerEngine(LedgerConfig.builder().accountsMax(16).idempotencyWindow(4)
            .pendingTransfersMax(16).batchEventsMax(8).build());
        try (TransferRecordStore store = TransferRecordStore.open(replayed);
            RecordWriter writer = new RecordWriter(store))
        {
            replay.appliedTransferListener(writer);
            long at = 0;
            for (final Journaled command : journal)
            {
                writer.beginCommand(++at);
                final UnsafeBuffer bytes = new UnsafeBuffer(command.command());
                replay.execute(command.timestamp(), bytes, 0, bytes.capacity(), response, 0);
                writer.afterCommand(replay, command.timestamp(), bytes, 0);
            }
            writer.commit(at, replay.lastTimestamp());
            assertEquals(stream, store.stream(-1, 100, 1000, item -> true).items().stream()
                .map(TransferRecordStoreTest::bytesOf).toList(), "the same stream, byte for byte");
        }
    }

    /**
     * Random pages and filters read through the stream equal the whole stream filtered.
     */
    private static void pagesEqualTheWholeStream(final TransferRecordStore store, final List<StreamItem> all)
    {
        final Random random = new Random(42);
        for (int round = 0; round < 200; round++)
        {
            final long account = 1 + random.nextInt(4);
            final int kind = random.nextInt(3);
            final Predicate<StreamItem> filter = kind == 0 ? item -> true :
                kind == 1 ? item -> touches(item, account) : item -> item.event() != null;
            final List<String> expected = all.stream().filter(filter).map(TransferRecordStoreTest::bytesOf).toList();
            final List<String> read = new ArrayList<>();
            long after = -1;
            for (int pages = 0; pages < 100; pages++)
            {
                final StreamPage page = store.stream(after, 1 + random.nextInt(4), 1 + random.nextInt(6), filter);
                page.items().forEach(item -> read.add(bytesOf(item)));
                if (page.scannedTo() == after)
                {
                    break;
                }
                after = page.scannedTo();
            }
            assertEquals(expected, read, "round " + round);
        }
    }

    /**
     * @return whether the item names the account: a transfer's debit, credit or fee account, an account event's.
     */
    private static boolean touches(final StreamItem item, final long accountId)
    {
        if (item.transfer() != null)
        {
            final AppliedTransfer t = item.transfer();
            return t.debitAccountId() == accountId || t.creditAccountId() == accountId ||
                (t.feeAccountId() == accountId && accountId != 0);
        }
        return item.event().type().isAccountEvent() && item.event().subject() == accountId;
    }

    private static List<Long> feeValues(final RecordedEvent fee)
    {
        final List<Long> values = new ArrayList<>();
        values.add(fee.subject());
        Arrays.stream(fee.values()).forEach(values::add);
        return values;
    }

    private static String describe(final StreamItem item)
    {
        if (item.event() != null)
        {
            return item.event().type().streamName() + " " + item.event().subject();
        }
        final AppliedTransfer t = item.transfer();
        return "transfer " + t.idLo() + " " + (t.kind() == AppliedTransfer.KIND_EXPIRED ? "expired" : t.result());
    }

    private static String bytesOf(final StreamItem item)
    {
        if (item.event() != null)
        {
            return item.position() + " " + item.event() + " " + item.event().timestamp();
        }
        final byte[] bytes = new byte[AppliedTransfer.LENGTH];
        item.transfer().copyTo(new UnsafeBuffer(bytes), 0);
        return item.position() + " " + HexFormat.of().formatHex(bytes);
    }

    private TransferRecordStore storeAfterCommit(final TransferRecordStore store, final RecordWriter writer)
    {
        writer.commit(sequence, engine.lastTimestamp());
        return store;
    }

    private void execute(final RecordWriter writer, final int length)
    {
        writer.beginCommand(++sequence);
        engine.execute(now += 1_000, request, 0, length, response, 0);
        writer.afterCommand(engine, now, request, 0);
        journal.add(new Journaled(now, Arrays.copyOf(request.byteArray(), length)));
    }

    /** A command as a journal would hold it, to replay. */
    private record Journaled(long timestamp, byte[] command)
    {
    }

    private int accountCommand(final long accountId, final AccountAction action, final FreezeScope scope)
    {
        final AccountCommandsEncoder encoder = new AccountCommandsEncoder()
            .wrapAndApplyHeader(request, 0, new MessageHeaderEncoder()).correlationId(sequence);
        encoder.commandsCount(1).next().accountId(accountId).action(action).freezeScope(scope);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private int fee(final int transferCode, final long fixedAmount, final long feeAccountId)
    {
        final SetFeesEncoder encoder = new SetFeesEncoder()
            .wrapAndApplyHeader(request, 0, new MessageHeaderEncoder()).correlationId(sequence);
        encoder.feesCount(1).next().transferCode(transferCode).currency(USD).fixedAmount(fixedAmount).basisPoints(0)
            .minimum(0).maximum(0).feeAccountId(feeAccountId);
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    /**
     * @param wallets ids of accounts to create; a wallet (no overdraft) if {@code noOverdraft}.
     */
    private int accounts(final boolean noOverdraft, final long... wallets)
    {
        final CreateAccountsEncoder encoder = new CreateAccountsEncoder()
            .wrapAndApplyHeader(request, 0, new MessageHeaderEncoder()).correlationId(sequence);
        final CreateAccountsEncoder.AccountsEncoder group = encoder.accountsCount(wallets.length);
        for (final long id : wallets)
        {
            group.next().id(id).currency(USD).flags().clear().debitsMustNotExceedCredits(noOverdraft);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private int transfers(final long[]... transfers)
    {
        final CreateTransfersEncoder encoder = new CreateTransfersEncoder()
            .wrapAndApplyHeader(request, 0, new MessageHeaderEncoder()).correlationId(sequence);
        final CreateTransfersEncoder.TransfersEncoder group = encoder.transfersCount(transfers.length);
        for (final long[] t : transfers)
        {
            group.next();
            group.id().lo(t[0]).hi(0);
            group.debitAccountId(t[1]).creditAccountId(t[2]).amount(t[3]).currency(USD).code(1);
            group.pendingId().lo(t[4]).hi(0);
            group.flags().clear().pending(t[5] == PENDING).postPending(t[5] == POST);
            group.timeout(t.length > 6 ? (int)t[6] : 0);
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private static long[] transfer(
        final long id, final long debit, final long credit, final long amount, final long pendingId, final int kind)
    {
        return new long[] {id, debit, credit, amount, pendingId, kind};
    }
}
