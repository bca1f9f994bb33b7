package io.walletledger.engine;

import io.walletledger.protocol.sbe.ResultCode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine is a pure function of its requests and their timestamps: the same random sequence applied to two
 * fresh engines gives the same responses and the same {@link LedgerEngine#stateHash()} after every request,
 * even when the engines' index hash seeds differ ({@link LedgerConfig#hashSeed()}); lookups change no hash,
 * and changing one amount changes the hash. Sequences are generated up front (aimed
 * with {@link ReferenceLedger}) so that every engine gets exactly the same bytes.
 */
class DeterminismTest
{
    private static final int SEEDS = 24;
    private static final int REQUESTS_PER_SEED = 300;

    @TestFactory
    Stream<DynamicTest> sameRequestsGiveTheSameResponsesAndStateHashAtEveryStep()
    {
        return Arrays.stream(TestSeeds.seeds(SEEDS)).mapToObj(seed -> DynamicTest.dynamicTest(
            "seed " + seed, () -> sameRequestsGiveTheSameResponsesAndStateHash(seed)));
    }

    @TestFactory
    Stream<DynamicTest> changingOneAmountChangesTheStateHash()
    {
        return Arrays.stream(TestSeeds.seeds(SEEDS)).mapToObj(seed -> DynamicTest.dynamicTest(
            "seed " + seed, () -> changingOneAmountChangesTheStateHash(seed)));
    }

    private static void sameRequestsGiveTheSameResponsesAndStateHash(final long seed)
    {
        final CommandGenerator generator = new CommandGenerator(new Random(seed), true).withSettingsChanges();
        final List<LedgerRequest> requests = generator.generate(REQUESTS_PER_SEED);
        final TestLedger first = new TestLedger(generator.config());
        final TestLedger second = new TestLedger(TestWorkload.withHashSeed(generator.config(), ~seed));
        assertEquals(first.stateHash(), second.stateHash(), "seed=" + seed + ": fresh engines differ");

        for (int step = 0; step < requests.size(); step++)
        {
            final LedgerRequest request = requests.get(step);
            final String context = "seed=" + seed + " step=" + step + " " + request.describe() + "\n";
            assertEquals(Arrays.asList(request.applyTo(first)), Arrays.asList(request.applyTo(second)),
                context + "responses differ");
            final long hash = first.stateHash();
            assertEquals(hash, second.stateHash(), context + "state hashes differ");

            final long[] accountIds = generator.accountIds();
            final int batchMax = generator.config().batchEventsMax();
            final long[] someIds = Arrays.copyOf(accountIds, Math.min(accountIds.length, batchMax));
            assertEquals(first.lookupAccounts(someIds), second.lookupAccounts(someIds), context + "accounts differ");
            assertEquals(hash, first.stateHash(), context + "a lookup changed the state hash");
        }
        assertEquals(first.engine.lastTimestamp(), second.engine.lastTimestamp(), "seed=" + seed);
    }

    /**
     * One applied single-phase transfer gets an amount one smaller (which cannot make it fail): the hashes
     * agree up to that request, then differ, and still differ at the end (the window here forgets nothing,
     * so the stored transfer keeps its amount).
     */
    private static void changingOneAmountChangesTheStateHash(final long seed)
    {
        final CommandGenerator generator = new CommandGenerator(new Random(seed), false);
        final List<LedgerRequest> requests = generator.generate(REQUESTS_PER_SEED);

        final ReferenceLedger model = new ReferenceLedger(generator.config());
        int changedStep = -1;
        int changedEvent = -1;
        final Random pick = new Random(seed);
        for (int step = 0; step < requests.size() && changedStep < 0; step++)
        {
            final LedgerRequest request = requests.get(step);
            final ResultCode[] results = request.applyTo(model);
            if (request.transfers() == null || step < requests.size() / 4 || pick.nextInt(4) != 0)
            {
                continue;
            }
            for (int i = 0; i < results.length; i++)
            {
                final TestLedger.Transfer t = request.transfers()[i];
                if (results[i] == ResultCode.OK && t.amount > 1 && (t.flags & Flags.TRANSFER_TWO_PHASE) == 0)
                {
                    changedStep = step;
                    changedEvent = i;
                    break;
                }
            }
        }
        assertTrue(changedStep >= 0, "seed=" + seed + ": no applied single-phase transfer to change");

        final List<LedgerRequest> changed = new ArrayList<>(requests);
        final LedgerRequest original = requests.get(changedStep);
        final TestLedger.Transfer[] transfers = original.transfers().clone();
        transfers[changedEvent] = transfers[changedEvent].copy();
        transfers[changedEvent].amount -= 1;
        changed.set(changedStep, new LedgerRequest(original.timestamp(), null, transfers));

        final TestLedger first = new TestLedger(generator.config());
        final TestLedger second = new TestLedger(generator.config());
        for (int step = 0; step < requests.size(); step++)
        {
            requests.get(step).applyTo(first);
            changed.get(step).applyTo(second);
            final String context = "seed=" + seed + " step=" + step + " (amount of event " + changedEvent +
                " changed at step " + changedStep + ")";
            if (step < changedStep)
            {
                assertEquals(first.stateHash(), second.stateHash(), context);
            }
            else if (step == changedStep)
            {
                assertNotEquals(first.stateHash(), second.stateHash(), context);
            }
        }
        assertNotEquals(first.stateHash(), second.stateHash(), "seed=" + seed + " at the end (amount of event " +
            changedEvent + " changed at step " + changedStep + ")");
    }
}
