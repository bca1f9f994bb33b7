package io.walletledger.engine;

import io.walletledger.protocol.sbe.ResultCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;
import java.util.Set;

import static io.walletledger.engine.TestLedger.account;
import static io.walletledger.engine.TestLedger.transfer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exactly once beyond the window: a small window, a {@link TestRecord} that holds every transfer the engine decided,
 * and requests executed with the recall notes a journaler would write. {@link DifferentialTest} runs the same against
 * the reference model on random traffic; these are the cases one by one.
 */
class RecallTest
{
    /** The result codes these tests cover, for {@link ResultCodesTest#everyResultCodeIsCovered()}. */
    static final Set<ResultCode> RECALL_CODES = java.util.EnumSet.of(ResultCode.RECORD_BEHIND);

    private static final int WINDOW = 4;
    private static final long BANK = 1;
    private static final long ALICE = 2;
    private static final long BOB = 3;
    private static final long FIRST = 1_000;

    private TestLedger ledger;
    private TestRecord record;
    private long nextId = 10_000;

    @BeforeEach
    void setUp()
    {
        ledger = new TestLedger(LedgerConfig.builder().accountsMax(16).idempotencyWindow(WINDOW).batchEventsMax(8)
            .build());
        record = new TestRecord(ledger.engine, new Random(1));
        assertArrayEquals(new ResultCode[] {ResultCode.OK, ResultCode.OK, ResultCode.OK},
            ledger.createAccounts(account(BANK), account(ALICE).noOverdraft(), account(BOB).noOverdraft()));
        assertEquals(ResultCode.OK, withNote(everythingRecorded(), transfer(FIRST, BANK, ALICE, 100))[0]);
    }

    @Test
    void aRetryBeyondTheWindowAnswersTheFirstOutcomeAndMovesNothing()
    {
        forgetFirst();
        final long balance = ledger.lookupAccount(ALICE).balance();
        assertEquals(ResultCode.EXISTS, withNote(everythingRecorded(), transfer(FIRST, BANK, ALICE, 100))[0]);
        assertEquals(ResultCode.EXISTS_WITH_DIFFERENT_AMOUNT,
            withNote(everythingRecorded(), transfer(FIRST, BANK, ALICE, 101))[0]);
        assertEquals(balance, ledger.lookupAccount(ALICE).balance(), "no second movement");
    }

    @Test
    void aForgottenIdThatWasNotLookedUpIsRefusedAndNotRemembered()
    {
        forgetFirst();
        final long balance = ledger.lookupAccount(ALICE).balance();
        // The journaler did not look the id up (the record was unreadable): the engine cannot judge it.
        assertEquals(ResultCode.RECORD_BEHIND, withNote(lookedUp(Set.of()), transfer(FIRST, BANK, ALICE, 100))[0]);
        // The record has not reached the window's horizon: a look-up that finds nothing proves nothing.
        assertEquals(ResultCode.RECORD_BEHIND,
            withNote(new ReferenceLedger.RecallPlan(-1, Set.of(0)), transfer(FIRST, BANK, ALICE, 100))[0]);
        assertEquals(balance, ledger.lookupAccount(ALICE).balance());
        // Refusals decide nothing: once the record is there, the retry gets the first outcome.
        assertEquals(ResultCode.EXISTS, withNote(everythingRecorded(), transfer(FIRST, BANK, ALICE, 100))[0]);
    }

    @Test
    void anIdAboveEveryForgottenOneNeedsNoLookUp()
    {
        forgetFirst();
        final long above = nextId + 1_000_000;
        final long bob = ledger.lookupAccount(BOB).balance();
        assertEquals(ResultCode.OK, withNote(lookedUp(Set.of()), transfer(above, BANK, BOB, 5))[0]);
        assertEquals(bob + 5, ledger.lookupAccount(BOB).balance());
    }

    @Test
    void aForgottenRangeIdIsNewOnlyIfARecordPastTheHorizonLacksIt()
    {
        forgetFirst();
        final long below = FIRST + 1; // below the largest forgotten id, never used
        final long bob = ledger.lookupAccount(BOB).balance();
        assertEquals(ResultCode.RECORD_BEHIND,
            withNote(new ReferenceLedger.RecallPlan(ledger.engine.forgottenTimestamp() - 1, Set.of(0)),
                transfer(below, BANK, BOB, 5))[0]);
        assertEquals(ResultCode.OK,
            withNote(new ReferenceLedger.RecallPlan(ledger.engine.forgottenTimestamp(), Set.of(0)),
                transfer(below, BANK, BOB, 5))[0]);
        assertEquals(bob + 5, ledger.lookupAccount(BOB).balance());
    }

    @Test
    void aRememberedFailureIsComparedFieldByFieldSoACollisionRevealsNoOutcome()
    {
        final long failed = nextId++; // Bob has nothing and may not overdraw
        assertEquals(ResultCode.EXCEEDS_CREDITS, withNote(everythingRecorded(), transfer(failed, BOB, ALICE, 7))[0]);
        // In the window, then beyond it: the same request gets the failure, another one only that the id is taken.
        for (int round = 0; round < 2; round++)
        {
            assertEquals(ResultCode.EXCEEDS_CREDITS, withNote(everythingRecorded(), transfer(failed, BOB, ALICE, 7))[0]);
            assertEquals(ResultCode.EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID,
                withNote(everythingRecorded(), transfer(failed, BANK, ALICE, 7))[0]);
            assertEquals(ResultCode.EXISTS_WITH_DIFFERENT_AMOUNT,
                withNote(everythingRecorded(), transfer(failed, BOB, ALICE, 8))[0]);
            for (int i = 0; i < WINDOW + 8; i++)
            {
                withNote(everythingRecorded(), transfer(nextId++, BANK, BOB, 1));
            }
        }
    }

    @Test
    void aChainStoppedByAnIdTheLedgerCannotJudgeIsNotTriedAndCanBeResent()
    {
        forgetFirst();
        final TestLedger.Transfer fresh = transfer(nextId++, BANK, BOB, 3).flags(Flags.TRANSFER_LINKED);
        final TestLedger.Transfer retry = transfer(FIRST, BANK, ALICE, 100);
        assertArrayEquals(new ResultCode[] {ResultCode.LINKED_EVENT_FAILED, ResultCode.RECORD_BEHIND},
            withNote(lookedUp(Set.of()), fresh, retry));
        final long bob = ledger.lookupAccount(BOB).balance();
        assertArrayEquals(new ResultCode[] {ResultCode.OK, ResultCode.EXISTS}, withNote(everythingRecorded(), fresh,
            retry), "nothing of the first attempt was remembered");
        assertEquals(bob + 3, ledger.lookupAccount(BOB).balance());
    }

    @Test
    void withoutANoteTheWindowAloneJudges()
    {
        forgetFirst();
        final long balance = ledger.lookupAccount(ALICE).balance();
        assertEquals(ResultCode.OK, ledger.createTransfer(transfer(FIRST, BANK, ALICE, 100)),
            "a command journaled without a note is judged as before the record");
        assertEquals(balance + 100, ledger.lookupAccount(ALICE).balance());
    }

    @Test
    void theForgottenHorizonSurvivesASnapshot()
    {
        forgetFirst();
        final TestLedger loaded = new TestLedger(ledger.engine.config());
        LedgerStateCodecTest.read(loaded.engine, LedgerStateCodecTest.write(ledger.engine));
        assertEquals(ledger.engine.forgottenTimestamp(), loaded.engine.forgottenTimestamp());
        assertEquals(ledger.engine.forgottenIdHi(), loaded.engine.forgottenIdHi());
        assertEquals(ledger.engine.forgottenIdLo(), loaded.engine.forgottenIdLo());
        assertEquals(ledger.engine.stateHash(), loaded.engine.stateHash());
        loaded.now = ledger.now;
        loaded.nextNote(record.note(lookedUp(Set.of()), List.of(new ReferenceLedger.Id(FIRST, 0))));
        assertEquals(ResultCode.RECORD_BEHIND, loaded.createTransfer(transfer(FIRST, BANK, ALICE, 100)));
    }

    @Test
    void aStateOfAnEarlierFormatLoadsOnlyIfItsWindowNeverEvicted()
    {
        // Format 2: the layout of format 3 without the 24 bytes of horizon at the end.
        final TestLedger fresh = new TestLedger(ledger.engine.config());
        final TestLedger young = new TestLedger(ledger.engine.config());
        LedgerStateCodecTest.read(young.engine, asFormat2(LedgerStateCodecTest.write(ledger.engine)));
        assertEquals(0, young.engine.forgottenTimestamp(), "a window that never filled never evicted");
        assertEquals(ledger.engine.stateHash(), young.engine.stateHash());

        forgetFirst();
        final LedgerStateException refused = assertThrows(LedgerStateException.class,
            () -> LedgerStateCodecTest.read(fresh.engine, asFormat2(LedgerStateCodecTest.write(ledger.engine))));
        assertTrue(refused.getMessage().contains("rebuilt from the journal"), refused.getMessage());
    }

    private static byte[] asFormat2(final byte[] state)
    {
        final byte[] format3 = LedgerStateCodecTest.asFormat3(state);
        final byte[] old = java.util.Arrays.copyOf(format3, format3.length - LedgerStateCodec.FORGOTTEN_LENGTH);
        new org.agrona.concurrent.UnsafeBuffer(old).putInt(4, 2);
        return old;
    }

    @Test
    void aMalformedNoteIsRefused()
    {
        assertThrows(IllegalArgumentException.class,
            () -> ledger.engine.recall(new org.agrona.concurrent.UnsafeBuffer(new byte[8]), 0, 8));
        final byte[] outOfOrder = record.note(new ReferenceLedger.RecallPlan(0, Set.of(0, 1)),
            List.of(new ReferenceLedger.Id(5, 0), new ReferenceLedger.Id(6, 0)));
        final org.agrona.concurrent.UnsafeBuffer swapped = new org.agrona.concurrent.UnsafeBuffer(outOfOrder);
        swapped.putInt(RecallNote.HEADER_LENGTH, 1, RecallNote.BYTE_ORDER);
        swapped.putInt(RecallNote.HEADER_LENGTH + RecallNote.ENTRY_LENGTH, 0, RecallNote.BYTE_ORDER);
        assertThrows(IllegalArgumentException.class, () -> ledger.engine.recall(swapped, 0, outOfOrder.length));
    }

    /** Sends more transfers than the window holds, so that the first payment is forgotten. */
    private void forgetFirst()
    {
        for (int i = 0; i < WINDOW + 8; i++)
        {
            assertEquals(ResultCode.OK, withNote(everythingRecorded(), transfer(nextId++, BANK, BOB, 1))[0]);
        }
    }

    private ReferenceLedger.RecallPlan everythingRecorded()
    {
        return new ReferenceLedger.RecallPlan(ledger.engine.lastTimestamp(), Set.of(0, 1, 2, 3, 4, 5, 6, 7));
    }

    private ReferenceLedger.RecallPlan lookedUp(final Set<Integer> events)
    {
        return new ReferenceLedger.RecallPlan(ledger.engine.lastTimestamp(), events);
    }

    private ResultCode[] withNote(final ReferenceLedger.RecallPlan plan, final TestLedger.Transfer... transfers)
    {
        final List<ReferenceLedger.Id> ids = new java.util.ArrayList<>();
        for (final TestLedger.Transfer t : transfers)
        {
            ids.add(new ReferenceLedger.Id(t.idLo, t.idHi));
        }
        final Set<Integer> lookedUp = new java.util.TreeSet<>();
        for (final int i : plan.lookedUp())
        {
            if (i < transfers.length)
            {
                lookedUp.add(i);
            }
        }
        ledger.now += 1_000;
        ledger.nextNote(record.note(new ReferenceLedger.RecallPlan(plan.recordTimestamp(), lookedUp), ids));
        return ledger.createTransfers(transfers);
    }
}
