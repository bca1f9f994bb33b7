package io.walletledger.bench;

import io.walletledger.engine.LedgerConfig;
import io.walletledger.engine.LedgerEngine;
import io.walletledger.protocol.sbe.CreateAccountsEncoder;
import io.walletledger.protocol.sbe.CreateTransfersEncoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
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
    private static final int USD = 840;

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
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        long timestamp = 1;
        for (int first = 1; first <= accounts; first += BATCH)
        {
            final int count = Math.min(BATCH, accounts - first + 1);
            final CreateAccountsEncoder encoder = new CreateAccountsEncoder().wrapAndApplyHeader(request, 0, header);
            final CreateAccountsEncoder.AccountsEncoder group = encoder.correlationId(first).accountsCount(count);
            for (int i = 0; i < count; i++)
            {
                group.next().id(first + i).userData(0).currency(USD).code(1).flags().clear();
            }
            engine.execute(timestamp++, request, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(), response, 0);
        }
        for (int first = 0; first < transfers; first += BATCH)
        {
            final int count = Math.min(BATCH, transfers - first);
            final CreateTransfersEncoder encoder = new CreateTransfersEncoder().wrapAndApplyHeader(request, 0, header);
            final CreateTransfersEncoder.TransfersEncoder group = encoder.correlationId(first).transfersCount(count);
            for (int i = 0; i < count; i++)
            {
                final int n = first + i;
                group.next();
                group.id().lo(n + 1).hi(7);
                group.debitAccountId(1 + n % accounts).creditAccountId(1 + (n + 1) % accounts).amount(1);
                group.pendingId().lo(0).hi(0);
                group.userData128().lo(0).hi(0);
                group.userData64(0).userData32(0).timeout(0).currency(USD).code(1).flags().clear();
            }
            engine.execute(timestamp++, request, 0, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength(), response, 0);
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
