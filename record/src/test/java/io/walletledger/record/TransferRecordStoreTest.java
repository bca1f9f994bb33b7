package io.walletledger.record;

import io.walletledger.engine.AppliedTransfer;
import io.walletledger.engine.LedgerConfig;
import io.walletledger.engine.LedgerEngine;
import io.walletledger.protocol.sbe.CreateAccountsEncoder;
import io.walletledger.protocol.sbe.CreateTransfersEncoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.protocol.sbe.ResultCode;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    private TransferRecordStore storeAfterCommit(final TransferRecordStore store, final RecordWriter writer)
    {
        writer.commit(sequence, engine.lastTimestamp());
        return store;
    }

    private void execute(final RecordWriter writer, final int length)
    {
        writer.beginCommand(++sequence);
        engine.execute(now += 1_000, request, 0, length, response, 0);
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
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private static long[] transfer(
        final long id, final long debit, final long credit, final long amount, final long pendingId, final int kind)
    {
        return new long[] {id, debit, credit, amount, pendingId, kind};
    }
}
