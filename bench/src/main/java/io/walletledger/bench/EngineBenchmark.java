package io.walletledger.bench;

import io.walletledger.engine.LedgerConfig;
import io.walletledger.engine.LedgerEngine;
import io.walletledger.protocol.sbe.CreateAccountsResponseDecoder;
import io.walletledger.protocol.sbe.CreateTransfersEncoder;
import io.walletledger.protocol.sbe.CreateTransfersResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The balance engine alone: full batches of single-phase transfers between uniformly random pairs of
 * 1,000,000 funded no-overdraft wallets, through {@link LedgerEngine#execute} exactly as the pipeline
 * calls it (SBE request in, SBE response out). One operation is one transfer.
 * <p>
 * Each invocation applies the next of a set of pre-encoded batches; only the transfer ids are rewritten
 * per invocation (so every transfer is new, never an idempotent {@code EXISTS}) and that cost is included.
 * Run: {@code ./wallet jmh EngineBenchmark -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = { "-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch" })
public class EngineBenchmark
{
    static final int BATCH = 8190;
    private static final int BATCHES = 64;
    private static final long FUNDING = 1_000_000_000_000L;
    private static final long SETTLEMENT = Long.MAX_VALUE;

    @Param("1000000")
    int accounts;

    /** Transfer ids remembered for idempotency; the default window of the engine. */
    @Param("1048576")
    int idempotencyWindow;

    private LedgerEngine engine;
    private final UnsafeBuffer[] requests = new UnsafeBuffer[BATCHES];
    private int requestLength;
    private UnsafeBuffer response;
    private int transferIdOffset;
    private int next;
    /** Ids of measured transfers: far from the funding transfers' ids (2^40 + account). */
    private long nextId = 1L << 50;
    private long timestamp = 1_700_000_000_000_000_000L;

    @Setup(Level.Trial)
    public void setUp()
    {
        engine = new LedgerEngine(LedgerConfig.builder()
            .accountsMax(accounts + 1)
            .idempotencyWindow(idempotencyWindow)
            .build());
        response = new UnsafeBuffer(ByteBuffer.allocateDirect(engine.responseLengthMax()));
        createAndFundAccounts();

        final SplittableRandom random = new SplittableRandom(42);
        for (int b = 0; b < BATCHES; b++)
        {
            requests[b] = new UnsafeBuffer(ByteBuffer.allocateDirect(engine.responseLengthMax()));
            // Ids are rewritten before each use; amounts 1..100 would do, 1 keeps every wallet funded for long.
            requestLength = BenchRequests.createTransfers(requests[b], 0, BATCH, 0, 1, accounts, random);
        }
        // Header (8) + correlation id (8) + group header (4): the first transfer; the id is its first field.
        transferIdOffset = MessageHeaderEncoder.ENCODED_LENGTH + 8 + 4;
    }

    private void createAndFundAccounts()
    {
        final UnsafeBuffer request = new UnsafeBuffer(ByteBuffer.allocateDirect(engine.responseLengthMax()));
        execute(request, BenchRequests.createAccounts(request, SETTLEMENT, 1, true), "create settlement");
        for (int first = 1; first <= accounts; first += BATCH)
        {
            final int count = Math.min(BATCH, accounts - first + 1);
            execute(request, BenchRequests.createAccounts(request, first, count, false), "create accounts");
        }
        for (int first = 1; first <= accounts; first += BATCH)
        {
            final int count = Math.min(BATCH, accounts - first + 1);
            execute(request, BenchRequests.createTransfers(request, (1L << 40) + first, count, SETTLEMENT, FUNDING,
                accounts, null), "fund accounts");
        }
    }

    private void execute(final UnsafeBuffer request, final int length, final String what)
    {
        final int responseLength = engine.execute(timestamp++, request, 0, length, response, 0);
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(response, 0);
        // Create responses list failures only: a response longer than header + correlation id + empty
        // group means some event failed, which would make the benchmark measure the wrong thing.
        if (responseLength != MessageHeaderDecoder.ENCODED_LENGTH + header.blockLength() + 4)
        {
            throw new IllegalStateException(what + " failed: " + describe(header));
        }
    }

    private String describe(final MessageHeaderDecoder header)
    {
        if (header.templateId() == CreateTransfersResponseDecoder.TEMPLATE_ID)
        {
            return new CreateTransfersResponseDecoder().wrapAndApplyHeader(response, 0, header).toString();
        }
        if (header.templateId() == CreateAccountsResponseDecoder.TEMPLATE_ID)
        {
            return new CreateAccountsResponseDecoder().wrapAndApplyHeader(response, 0, header).toString();
        }
        return "response template " + header.templateId();
    }

    @TearDown(Level.Trial)
    public void verifyLastBatchSucceeded()
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(response, 0);
        final CreateTransfersResponseDecoder decoder = new CreateTransfersResponseDecoder();
        decoder.wrapAndApplyHeader(response, 0, header);
        if (decoder.results().count() != 0)
        {
            throw new IllegalStateException("transfers failed in the benchmark: " + decoder);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int createTransfers()
    {
        final UnsafeBuffer request = requests[next];
        next = next + 1 == BATCHES ? 0 : next + 1;
        long id = nextId;
        for (int i = 0, offset = transferIdOffset; i < BATCH; i++, offset += CreateTransfersEncoder.TransfersEncoder.sbeBlockLength())
        {
            request.putLong(offset, id++);
        }
        nextId = id;
        timestamp += 1_000_000;
        return engine.execute(timestamp, request, 0, requestLength, response, 0);
    }
}
