package io.walletledger.engine;

import io.walletledger.protocol.sbe.ResultCode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine beside {@link ReferenceLedger}: the same random requests go to both, and after every request
 * every result code, every account (balances, timestamp, flags, status), a sample of transfer lookups (fees and
 * user data too), the number of open holds and the number of remembered ids must be equal. Two seeds in three also
 * send operator requests (account commands, limits, fees, review thresholds and decisions, settings); their runs
 * compare every account's policy fields too, and the policy tables after each operator request. Each seed is one
 * dynamic test named after it; {@code -Dwallet.test.seed=N} runs that seed alone, {@code -Dwallet.test.seeds=N}
 * runs N new ones.
 * <p>
 * Even seeds run under the promise of exactly once for any retry: every request of transfers or review decisions
 * comes with a recall note from a {@link TestRecord} that lags behind the engine by a random number of requests, and
 * the model, which never forgets an id, must agree on every retry beyond the window and on every id the ledger cannot
 * judge yet ({@code RECORD_BEHIND}).
 */
class DifferentialTest
{
    private static final int SEEDS = 300;
    private static final int REQUESTS_PER_SEED = 600;
    private static final int TRANSFER_SAMPLE = 12;
    private static final int CONTEXT_REQUESTS = 4;
    private static final int COVERAGE_SEEDS_MIN = 30;

    /** Not a result: the codec's value for a byte outside the enum. Every real code is reached. */
    private static final Set<ResultCode> UNREACHABLE = EnumSet.of(ResultCode.NULL_VAL);

    /**
     * @return whether a seed's run sends operator requests too: two in three, so the traffic without the policies
     * (whose edges the policies would hide: a frozen or limited account refuses before the overflow checks) keeps
     * its share.
     */
    static boolean withPolicies(final long seed)
    {
        return Math.floorMod(seed, 3) != 0;
    }

    /**
     * @return whether a seed's run comes with recall notes: every other one.
     */
    static boolean withRecord(final long seed)
    {
        return Math.floorMod(seed, 2) == 0;
    }

    @TestFactory
    Stream<DynamicTest> engineAgreesWithTheReferenceModelOnEveryRequest()
    {
        final long[] seeds = TestSeeds.seeds(SEEDS);
        final Set<ResultCode> seen = EnumSet.noneOf(ResultCode.class);
        final Stream<DynamicTest> runs = Arrays.stream(seeds).mapToObj(seed -> DynamicTest.dynamicTest(
            "seed " + seed, () -> engineAgreesWithTheReferenceModel(seed, seen)));
        if (seeds.length < COVERAGE_SEEDS_MIN)
        {
            return runs;
        }
        return Stream.concat(runs, Stream.of(DynamicTest.dynamicTest(
            "the generated requests reach every result code the engine can give", () -> reachesEveryResultCode(seen))));
    }

    /**
     * A differential test is only as good as its traffic: fail if the generator stops producing some outcome.
     */
    private static void reachesEveryResultCode(final Set<ResultCode> seen)
    {
        final Set<ResultCode> missing = EnumSet.allOf(ResultCode.class);
        missing.removeAll(seen);
        missing.removeAll(UNREACHABLE);
        assertTrue(missing.isEmpty(), "result codes the generated requests never produced: " + missing);
    }

    private static void engineAgreesWithTheReferenceModel(final long seed, final Set<ResultCode> seen)
    {
        final boolean policies = withPolicies(seed);
        final CommandGenerator generator = new CommandGenerator(new Random(seed), true, policies)
            .withSettingsChanges();
        final LedgerConfig config = generator.config();
        final TestLedger engine = new TestLedger(config);
        final ReferenceLedger model = new ReferenceLedger(config);
        final LedgerView view = LedgerView.of(model);
        final ArrayDeque<Step> recent = new ArrayDeque<>();
        final TestRecord record = withRecord(seed) ? new TestRecord(engine.engine, new Random(~seed)) : null;

        for (int step = 0; step < REQUESTS_PER_SEED; step++)
        {
            final LedgerRequest request = generator.next(view);
            final List<ReferenceLedger.Id> ids = transferIds(request);
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

            recent.addLast(new Step(step, request, expected));
            if (recent.size() > CONTEXT_REQUESTS)
            {
                recent.removeFirst();
            }
            final int failedStep = step;
            final Supplier<String> context = () -> "seed=" + seed + " (rerun with -D" + TestSeeds.SEED_PROPERTY + "=" +
                seed + ") step=" + failedStep + " " + config + "\nlast requests:\n" + describe(recent) + "\n";

            assertEquals(Arrays.asList(expected), Arrays.asList(actual), () -> context.get() + "result codes differ");
            seen.addAll(Arrays.asList(expected));

            final long[] accountIds = generator.accountIds();
            assertEquals(model.lookupAccounts(accountIds), lookupAccounts(engine, accountIds, config.batchEventsMax()),
                () -> context.get() + "accounts differ");
            if (policies)
            {
                assertEquals(model.lookupAccountPolicies(request.timestamp(), accountIds),
                    lookupAccountPolicies(engine, accountIds, config.batchEventsMax()),
                    () -> context.get() + "the policies of accounts differ");
            }
            if (request.commands() != null)
            {
                assertEquals(model.lookupPolicies(), engine.policies(), () -> context.get() + "policy tables differ");
            }

            for (final ReferenceLedger.Id id : generator.sampleTransferIds(request, TRANSFER_SAMPLE))
            {
                assertEquals(model.lookupTransfer(id.lo(), id.hi()), engine.transferById(id.lo(), id.hi()),
                    () -> context.get() + "lookup of transfer " + id + " differs");
            }

            assertEquals(model.openHoldCount(), engine.engine.pendingTransferCount(),
                () -> context.get() + "open holds differ");
            // Holds the engine to the exact window rule: before a batch of n, forget the oldest ids until
            // remembered + n <= idempotencyWindow + batchEventsMax.
            assertEquals(model.rememberedCount(), engine.engine.rememberedTransferCount(),
                () -> context.get() + "remembered ids differ");
        }
    }

    /**
     * @return the ids of a request's events if they are transfers the ledger remembers (transfers, review decisions),
     * else null.
     */
    static List<ReferenceLedger.Id> transferIds(final LedgerRequest request)
    {
        final List<ReferenceLedger.Id> ids = new ArrayList<>();
        if (request.transfers() != null)
        {
            for (final TestLedger.Transfer t : request.transfers())
            {
                ids.add(new ReferenceLedger.Id(t.idLo, t.idHi));
            }
            return ids;
        }
        if (request.commands() != null && request.commands()[0] instanceof OperatorCommand.Decision)
        {
            for (final OperatorCommand command : request.commands())
            {
                final OperatorCommand.Decision d = (OperatorCommand.Decision)command;
                ids.add(new ReferenceLedger.Id(d.idLo(), d.idHi()));
            }
            return ids;
        }
        return null;
    }

    /** A request and what the model answered, kept to describe the run up to a disagreement. */
    private record Step(int index, LedgerRequest request, ResultCode[] expected)
    {
    }

    private static String describe(final ArrayDeque<Step> steps)
    {
        final StringBuilder out = new StringBuilder();
        for (final Step step : steps)
        {
            out.append("step ").append(step.index()).append(": ").append(step.request().describe())
                .append("\n  expected ").append(Arrays.toString(step.expected())).append('\n');
        }
        return out.toString();
    }

    private static List<TestLedger.PolicyView> lookupAccountPolicies(
        final TestLedger engine, final long[] ids, final int batchEventsMax)
    {
        final List<TestLedger.PolicyView> found = new ArrayList<>();
        for (int from = 0; from < ids.length; from += batchEventsMax)
        {
            final int to = Math.min(ids.length, from + batchEventsMax);
            found.addAll(engine.lookupAccountPolicies(Arrays.copyOfRange(ids, from, to)));
        }
        return found;
    }

    private static List<TestLedger.AccountView> lookupAccounts(
        final TestLedger engine, final long[] ids, final int batchEventsMax)
    {
        final List<TestLedger.AccountView> found = new ArrayList<>();
        for (int from = 0; from < ids.length; from += batchEventsMax)
        {
            final int to = Math.min(ids.length, from + batchEventsMax);
            found.addAll(engine.lookupAccounts(Arrays.copyOfRange(ids, from, to)));
        }
        return found;
    }
}
