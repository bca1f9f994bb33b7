package io.walletledger.engine;

import io.walletledger.engine.ReferenceLedger.Applied;
import io.walletledger.engine.ReferenceLedger.Balances;
import io.walletledger.protocol.sbe.ResultCode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static io.walletledger.engine.AppliedTransfer.CREDIT;
import static io.walletledger.engine.AppliedTransfer.DEBIT;
import static io.walletledger.engine.AppliedTransfer.FEE;
import static io.walletledger.engine.TestLedger.account;
import static io.walletledger.engine.TestLedger.transfer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What an engine tells its {@link AppliedTransferListener}, beside {@link ReferenceLedger}: the same random requests
 * as {@link DifferentialTest} (with and without the wallet policies), and after each request the transfers
 * reported must be those the model reports, in order, field by field, with every account's balances right after
 * each one; the holds that expired must be the same (their order among equal deadlines is the engine's); and the
 * last report that names an account must carry that account's balances at the end of the request, so no change of
 * a balance goes unreported. Every other seed runs under the promise of exactly once for any retry, with recall
 * notes from a lagging {@link TestRecord} ({@link DifferentialTest#withRecord}): what is reported then is exactly what
 * the ledger decided anew, nothing for a retry found in the record or an id it could not judge.
 */
class AppliedTransferListenerTest
{
    private static final int SEEDS = 60;
    private static final int REQUESTS_PER_SEED = 500;

    @TestFactory
    Stream<DynamicTest> engineReportsWhatTheReferenceModelReports()
    {
        return Arrays.stream(TestSeeds.seeds(SEEDS)).mapToObj(seed -> DynamicTest.dynamicTest(
            "seed " + seed, () -> reportsAgree(seed)));
    }

    private static void reportsAgree(final long seed)
    {
        final CommandGenerator generator = new CommandGenerator(new Random(seed), true,
            DifferentialTest.withPolicies(seed)).withSettingsChanges();
        final LedgerConfig config = generator.config();
        final TestLedger engine = new TestLedger(config);
        final ReferenceLedger model = new ReferenceLedger(config);
        final LedgerView view = LedgerView.of(model);
        final List<Applied> reported = new ArrayList<>();
        final AppliedTransferListener listener = transfer -> reported.add(asApplied(transfer));
        final TestRecord record = DifferentialTest.withRecord(seed) ?
            new TestRecord(engine.engine, new Random(~seed), listener) : null;
        if (record == null)
        {
            engine.engine.appliedTransferListener(listener);
        }

        for (int step = 0; step < REQUESTS_PER_SEED; step++)
        {
            final LedgerRequest request = generator.next(view);
            final List<ReferenceLedger.Id> ids = DifferentialTest.transferIds(request);
            if (record != null && ids != null)
            {
                final ReferenceLedger.RecallPlan plan = record.plan(ids);
                model.recallPlan(plan);
                engine.nextNote(record.note(plan, ids));
            }
            final ResultCode[] expected = request.applyTo(model);
            final ResultCode[] actual = request.applyTo(engine);
            if (record != null)
            {
                record.executed();
            }
            final int failedStep = step;
            final Supplier<String> context = () -> "seed=" + seed + " (rerun with -D" + TestSeeds.SEED_PROPERTY +
                "=" + seed + ") step=" + failedStep + " " + request.describe() + "\n";
            assertEquals(Arrays.asList(expected), Arrays.asList(actual), () -> context.get() + "result codes differ");

            final List<Applied> expectedReports = model.takeApplied();
            assertEquals(events(expectedReports), events(reported), () -> context.get() + "reported transfers differ");
            assertEquals(expiries(expectedReports), expiries(reported), () -> context.get() + "expired holds differ");
            lastReportsCarryTheFinalBalances(reported, model, context);
            reported.clear();
        }
    }

    @Test
    void aFailedChainReportsEveryEventAsFailedWithTheBalancesTheUndoLeft()
    {
        final TestLedger ledger = new TestLedger();
        final List<Applied> reported = new ArrayList<>();
        ledger.engine.appliedTransferListener(t -> reported.add(asApplied(t)));
        ledger.createAccounts(account(1), account(2), account(3).flags(Flags.ACCOUNT_DEBITS_MUST_NOT_EXCEED_CREDITS));
        assertTrue(reported.isEmpty(), "accounts are not transfers");

        final ResultCode[] results = ledger.createTransfers(
            transfer(10, 1, 2, 500).flags(Flags.TRANSFER_LINKED),
            transfer(11, 3, 2, 1).flags(Flags.TRANSFER_LINKED),
            transfer(12, 1, 2, 7));
        assertEquals(
            List.of(ResultCode.LINKED_EVENT_FAILED, ResultCode.EXCEEDS_CREDITS, ResultCode.LINKED_EVENT_FAILED),
            Arrays.asList(results));
        assertEquals(3, reported.size());
        for (final Applied a : reported)
        {
            assertEquals(new Balances(0, 0, 0, 0), a.debitAfter(), "nothing moved: " + a);
            assertEquals(new Balances(0, 0, 0, 0), a.creditAfter(), "nothing moved: " + a);
            assertEquals(0, a.fee());
        }
        assertEquals(List.of(10L, 11L, 12L), reported.stream().map(a -> a.id().lo()).toList());

        reported.clear();
        assertEquals(ResultCode.EXCEEDS_CREDITS, ledger.createTransfer(transfer(11, 3, 2, 1)));
        assertTrue(reported.isEmpty(), "a retry of a remembered id decides nothing new: " + reported);
    }

    @Test
    void eachTransferOfABatchCarriesTheBalancesRightAfterIt()
    {
        final TestLedger ledger = new TestLedger();
        final List<Applied> reported = new ArrayList<>();
        ledger.engine.appliedTransferListener(t -> reported.add(asApplied(t)));
        ledger.createAccounts(account(1), account(2));
        ledger.createTransfers(transfer(20, 1, 2, 100), transfer(21, 2, 1, 30), transfer(22, 1, 2, 5));

        assertEquals(3, reported.size());
        assertEquals(new Balances(0, 100, 0, 0), reported.get(0).debitAfter());
        assertEquals(new Balances(0, 0, 0, 100), reported.get(0).creditAfter());
        assertEquals(new Balances(0, 30, 0, 100), reported.get(1).debitAfter());
        assertEquals(new Balances(0, 100, 0, 30), reported.get(1).creditAfter());
        assertEquals(new Balances(0, 105, 0, 30), reported.get(2).debitAfter());
        assertNull(reported.get(0).feeAfter(), "no fee, no fee account");
        assertTrue(reported.get(0).timestamp() < reported.get(1).timestamp());
    }

    @Test
    void aHoldThatExpiresIsReportedWithTheReleasedBalances()
    {
        final TestLedger ledger = new TestLedger();
        final List<Applied> reported = new ArrayList<>();
        ledger.engine.appliedTransferListener(t -> reported.add(asApplied(t)));
        ledger.createAccounts(account(1), account(2));
        ledger.now = 2_000_000_000_000L;
        ledger.createTransfer(transfer(30, 1, 2, 40).flags(Flags.TRANSFER_PENDING).timeout(1));
        assertEquals(new Balances(40, 0, 0, 0), reported.get(0).debitAfter());

        reported.clear();
        ledger.now = 2_005_000_000_000L;
        ledger.createTransfer(transfer(31, 1, 2, 1));
        assertEquals(2, reported.size(), "the expiry, then the transfer: " + reported);
        final Applied expired = reported.get(0);
        assertEquals(AppliedTransfer.KIND_EXPIRED, expired.kind());
        assertEquals(30, expired.id().lo());
        assertEquals(2_005_000_000_000L, expired.timestamp());
        assertEquals(new Balances(0, 0, 0, 0), expired.debitAfter());
        assertEquals(new Balances(0, 1, 0, 0), reported.get(1).debitAfter());
    }

    @Test
    void aFailureNamingAnAccountThatDoesNotExistSaysSo()
    {
        final TestLedger ledger = new TestLedger();
        final AppliedTransfer[] last = new AppliedTransfer[1];
        final byte[] copy = new byte[AppliedTransfer.LENGTH];
        ledger.engine.appliedTransferListener(t ->
        {
            t.copyTo(new org.agrona.concurrent.UnsafeBuffer(copy), 0);
            last[0] = new AppliedTransfer().wrap(new org.agrona.concurrent.UnsafeBuffer(copy), 0);
        });
        ledger.createAccounts(account(1));
        assertEquals(ResultCode.CREDIT_ACCOUNT_NOT_FOUND, ledger.createTransfer(transfer(40, 1, 99, 5)));
        assertNotNull(last[0]);
        assertTrue(last[0].hasAccount(DEBIT));
        assertFalse(last[0].hasAccount(CREDIT));
        assertFalse(last[0].hasAccount(FEE));
        assertEquals(99, last[0].creditAccountId());
        assertEquals(ResultCode.CREDIT_ACCOUNT_NOT_FOUND, last[0].result());
    }

    private static List<Applied> events(final List<Applied> reports)
    {
        return reports.stream().filter(a -> a.kind() == AppliedTransfer.KIND_EVENT).toList();
    }

    /**
     * @return the expired holds without their balances, by id: the engine expires holds of equal deadline in an
     * order of its own, and the balances between them follow that order.
     */
    private static List<Applied> expiries(final List<Applied> reports)
    {
        return reports.stream().filter(a -> a.kind() == AppliedTransfer.KIND_EXPIRED)
            .map(a -> new Applied(a.kind(), a.id(), a.debit(), a.credit(), a.amount(), a.fee(), a.feeAccountId(),
                a.flags(), a.code(), a.currency(), a.result(), a.timestamp(), null, null, null))
            .sorted(Comparator.comparingLong((Applied a) -> a.id().hi()).thenComparingLong(a -> a.id().lo()))
            .toList();
    }

    private static void lastReportsCarryTheFinalBalances(
        final List<Applied> reported, final ReferenceLedger model, final Supplier<String> context)
    {
        final Map<Long, Balances> last = new HashMap<>();
        for (final Applied a : reported)
        {
            note(last, a.debit(), a.debitAfter());
            note(last, a.credit(), a.creditAfter());
            note(last, a.feeAccountId(), a.feeAfter());
        }
        for (final Map.Entry<Long, Balances> entry : last.entrySet())
        {
            final TestLedger.AccountView account = model.lookupAccount(entry.getKey());
            assertEquals(new Balances(account.debitsPending(), account.debitsPosted(), account.creditsPending(),
                account.creditsPosted()), entry.getValue(),
                () -> context.get() + "the last report naming account " + entry.getKey() + " is not its balance");
        }
    }

    private static void note(final Map<Long, Balances> last, final long accountId, final Balances after)
    {
        if (after != null)
        {
            last.put(accountId, after);
        }
    }

    static Applied asApplied(final AppliedTransfer t)
    {
        return new Applied(t.kind(), new ReferenceLedger.Id(t.idLo(), t.idHi()), t.debitAccountId(),
            t.creditAccountId(), t.amount(), t.fee(), t.feeAccountId(), t.flags(), t.code(), t.currency(), t.result(),
            t.timestamp(), balances(t, DEBIT), balances(t, CREDIT), balances(t, FEE));
    }

    private static Balances balances(final AppliedTransfer t, final int account)
    {
        return t.hasAccount(account) ? new Balances(t.debitsPending(account), t.debitsPosted(account),
            t.creditsPending(account), t.creditsPosted(account)) : null;
    }
}
