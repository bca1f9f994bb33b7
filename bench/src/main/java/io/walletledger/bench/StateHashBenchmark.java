package io.walletledger.bench;

import io.walletledger.engine.LedgerConfig;
import io.walletledger.engine.LedgerEngine;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Cost of {@link LedgerEngine#stateHash()} on a full ledger: 1,000,000 accounts and a full idempotency
 * window of 1,048,576 transfers, the digest later issues compute at checkpoints. Run:
 * {@code ./wallet jmh StateHashBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = { "-Xms2g", "-Xmx2g" })
public class StateHashBenchmark
{
    private static final int BATCH = 8190;

    @Param("1000000")
    int accounts;

    @Param("1048576")
    int transfers;

    private LedgerEngine engine;

    @Setup
    public void setUp()
    {
        engine = new LedgerEngine(LedgerConfig.builder().accountsMax(accounts).idempotencyWindow(transfers).build());
        final UnsafeBuffer request = new UnsafeBuffer(ByteBuffer.allocateDirect(engine.responseLengthMax()));
        final UnsafeBuffer response = new UnsafeBuffer(ByteBuffer.allocateDirect(engine.responseLengthMax()));
        final SplittableRandom random = new SplittableRandom(11);
        long timestamp = 1;
        for (int first = 1; first <= accounts; first += BATCH)
        {
            // Accounts without limits, so random transfers need no funding.
            final int length = BenchRequests.createAccounts(request, first, Math.min(BATCH, accounts - first + 1), true);
            engine.execute(timestamp++, request, 0, length, response, 0);
        }
        for (int first = 1; first <= transfers; first += BATCH)
        {
            final int length = BenchRequests.createTransfers(
                request, first, Math.min(BATCH, transfers - first + 1), 0, 1, accounts, random);
            engine.execute(timestamp++, request, 0, length, response, 0);
        }
        if (engine.accountCount() != accounts || engine.rememberedTransferCount() < transfers)
        {
            throw new IllegalStateException("setup failed: " + engine.accountCount() + " accounts, " +
                engine.rememberedTransferCount() + " transfers");
        }
    }

    @Benchmark
    public long stateHash()
    {
        return engine.stateHash();
    }
}
