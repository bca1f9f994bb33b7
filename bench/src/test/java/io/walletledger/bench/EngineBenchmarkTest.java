package io.walletledger.bench;

import io.walletledger.protocol.sbe.AccountAction;
import io.walletledger.protocol.sbe.AccountCommandsEncoder;
import io.walletledger.protocol.sbe.FreezeScope;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@link EngineBenchmark}'s set-up and a few of its invocations outside JMH, so the benchmark cannot silently
 * measure the wrong thing: every transfer succeeds, with policies every one pays its fee, and a refused transfer
 * fails the trial. Numbers are not asserted.
 */
class EngineBenchmarkTest
{
    private static final int ALL_SUCCEEDED_RESPONSE_LENGTH = 8 + 8 + 4;
    private static final long FEE_ACCOUNT = Long.MAX_VALUE - 1;
    /** The fewest wallets limits-and-fees runs on (see {@link EngineBenchmark}). */
    private static final int LIMITED_ACCOUNTS_MIN = 491_400;

    @Test
    void everyBatchSucceedsWithoutPolicies()
    {
        final EngineBenchmark benchmark = benchmark(200_000, "none");
        benchmark.setUp();
        runBatches(benchmark, 5);
        benchmark.verifyEveryBatchSucceeded();

        assertEquals(200_001, benchmark.engine().accountCount(), "settlement and wallets, no fee account");
    }

    @Test
    void withLimitsAndFeesEveryTransferPaysItsFeeAndEveryBatchStillSucceeds()
    {
        final EngineBenchmark benchmark = benchmark(LIMITED_ACCOUNTS_MIN, "limits-and-fees");
        benchmark.setUp();
        runBatches(benchmark, 5);
        benchmark.verifyEveryBatchSucceeded();

        final long[] fees = new long[1];
        final long[] net = new long[1];
        benchmark.engine().forEachAccount((id, currency, flags, status, debitsPending, debitsPosted, creditsPending,
            creditsPosted) ->
        {
            net[0] += creditsPosted - debitsPosted;
            if (id == FEE_ACCOUNT)
            {
                fees[0] = creditsPosted;
            }
        });
        assertEquals((1 + 5) * EngineBenchmark.BATCH, fees[0], "one fee per transfer: the warm-up batch and five more");
        assertEquals(0, net[0], "money is conserved");
    }

    @Test
    void aRefusedTransferFailsTheTrial()
    {
        // 1,000 wallets: each one is debited about eight times a batch, so freezing one refuses some of every batch.
        final EngineBenchmark benchmark = benchmark(1_000, "none");
        benchmark.setUp();
        final ExpandableArrayBuffer request = new ExpandableArrayBuffer(256);
        final AccountCommandsEncoder freeze = new AccountCommandsEncoder()
            .wrapAndApplyHeader(request, 0, new MessageHeaderEncoder()).correlationId(1);
        freeze.commandsCount(1).next().accountId(1).action(AccountAction.FREEZE).freezeScope(FreezeScope.DEBITS);
        final ExpandableArrayBuffer response = new ExpandableArrayBuffer(benchmark.engine().responseLengthMax());
        assertEquals(ALL_SUCCEEDED_RESPONSE_LENGTH, benchmark.engine().execute(1_700_000_010_000_000_000L, request, 0,
            MessageHeaderEncoder.ENCODED_LENGTH + freeze.encodedLength(), response, 0), "wallet 1 frozen");

        for (int i = 0; i < 3; i++)
        {
            benchmark.createTransfers();
        }

        final IllegalStateException refused = assertThrows(IllegalStateException.class,
            benchmark::verifyEveryBatchSucceeded);
        assertTrue(refused.getMessage().startsWith("3 batches had refused transfers"), refused.getMessage());
        assertTrue(refused.getMessage().contains("DEBIT_ACCOUNT_FROZEN"), refused.getMessage());
    }

    @Test
    void refusesLimitsAndFeesOnALedgerSoSmallThatTheVelocityLimitWouldBeReached()
    {
        final EngineBenchmark benchmark = benchmark(LIMITED_ACCOUNTS_MIN - 1, "limits-and-fees");

        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, benchmark::setUp);
        assertTrue(refused.getMessage().contains("at least 491400 accounts"), refused.getMessage());
    }

    @Test
    void rejectsAnUnknownPoliciesValue()
    {
        final EngineBenchmark benchmark = benchmark(1_000, "fees-only");

        final IllegalArgumentException rejected = assertThrows(IllegalArgumentException.class, benchmark::setUp);
        assertTrue(rejected.getMessage().contains("fees-only"), rejected.getMessage());
    }

    private static EngineBenchmark benchmark(final int accounts, final String policies)
    {
        final EngineBenchmark benchmark = new EngineBenchmark();
        benchmark.accounts = accounts;
        benchmark.idempotencyWindow = 1 << 16;
        benchmark.policies = policies;
        return benchmark;
    }

    private static void runBatches(final EngineBenchmark benchmark, final int batches)
    {
        for (int i = 0; i < batches; i++)
        {
            assertEquals(ALL_SUCCEEDED_RESPONSE_LENGTH, benchmark.createTransfers(), "batch " + i);
        }
    }
}
