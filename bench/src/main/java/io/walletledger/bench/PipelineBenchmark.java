package io.walletledger.bench;

import io.walletledger.server.node.LedgerNode;
import io.walletledger.server.node.NodeConfig;
import io.walletledger.engine.LedgerConfig;
import io.walletledger.journal.JournalDurability;
import io.walletledger.protocol.sbe.CreateTransfersEncoder;
import io.walletledger.protocol.sbe.CreateTransfersResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.protocol.ReplyHandler;
import io.walletledger.protocol.Submission;
import org.agrona.DirectBuffer;
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

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The in-process pipeline without a network: one request of {@code batch} random transfers between 1,000,000
 * funded wallets is submitted to a {@link LedgerNode} and the caller waits for its reply (journal, engine,
 * responder), one request in flight. The score is the distribution of that round trip; transfers/s is
 * {@code batch} divided by the mean. With {@code snapshotEveryCommands} non-zero the snapshot follower runs beside
 * the pipeline and writes a full snapshot every that many requests, so the tail of the distribution shows what a
 * snapshot costs the primary (on 2 cores, the follower competes for CPU).
 * {@link #submitWithRequestsInFlight()} measures throughput instead: transfers/s with a few requests in flight.
 * Run: {@code ./wallet jmh PipelineBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = { "-Xms6g", "-Xmx6g", "-XX:MaxDirectMemorySize=8g" })
public class PipelineBenchmark
{
    private static final long SETTLEMENT = Long.MAX_VALUE;

    @Param("1000000")
    int accounts;

    @Param("1024")
    int batch;

    @Param({ "0", "200" })
    long snapshotEveryCommands;

    @Param({ "NONE" })
    JournalDurability durability;

    private Path data;
    private LedgerNode node;
    private UnsafeBuffer request;
    private int requestLength;
    private int firstIdOffset;
    private int elementLength;
    private long nextId = 1L << 50;
    private final Reply reply = new Reply();

    private static final int IN_FLIGHT = 4;
    private static final int THROUGHPUT_BATCH = 1024;
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);
    private final ReplyHandler release = (buffer, offset, length) -> inFlight.release();
    private final UnsafeBuffer[] throughputRequests = new UnsafeBuffer[2 * IN_FLIGHT];
    private int throughputRequestLength;
    private long submitted;

    @Setup(Level.Trial)
    public void startNode() throws IOException
    {
        data = Files.createTempDirectory("wallet-pipeline-bench");
        node = LedgerNode.start(NodeConfig.builder(data)
            .ledger(LedgerConfig.builder().accountsMax(accounts + 1).build())
            .durability(durability)
            .snapshotEveryCommands(snapshotEveryCommands)
            .snapshotInterval(Duration.ZERO)
            .snapshotRetain(1)
            .finalSnapshot(false)
            .build());
        final UnsafeBuffer setup = new UnsafeBuffer(ByteBuffer.allocateDirect(1 << 20));
        roundTrip(setup, BenchRequests.createAccounts(setup, SETTLEMENT, 1, true));
        for (int first = 1; first <= accounts; first += BenchJournal.BATCH)
        {
            roundTrip(setup, BenchRequests.createAccounts(
                setup, first, Math.min(BenchJournal.BATCH, accounts - first + 1), false));
        }
        final SplittableRandom random = new SplittableRandom(7);
        for (int first = 1; first <= accounts; first += BenchJournal.BATCH)
        {
            roundTrip(setup, BenchRequests.createTransfers(setup, (1L << 40) + first,
                Math.min(BenchJournal.BATCH, accounts - first + 1), SETTLEMENT, 1_000_000_000L, accounts, random));
        }
        request = new UnsafeBuffer(ByteBuffer.allocateDirect(1 << 20));
        requestLength = BenchRequests.createTransfers(request, nextId, batch, 0, 1, accounts, random);
        firstIdOffset = MessageHeaderEncoder.ENCODED_LENGTH + CreateTransfersEncoder.BLOCK_LENGTH +
            CreateTransfersEncoder.TransfersEncoder.HEADER_SIZE;
        elementLength = CreateTransfersEncoder.TransfersEncoder.sbeBlockLength();
        if (request.getLong(firstIdOffset) != nextId || request.getLong(firstIdOffset + elementLength) != nextId + 1)
        {
            throw new IllegalStateException("transfer id offsets are not where this benchmark expects them");
        }
        for (int i = 0; i < throughputRequests.length; i++)
        {
            throughputRequests[i] = new UnsafeBuffer(ByteBuffer.allocateDirect(1 << 20));
            throughputRequestLength = BenchRequests.createTransfers(
                throughputRequests[i], 1L << 51, THROUGHPUT_BATCH, 0, 1, accounts, random);
        }
    }

    @TearDown(Level.Trial)
    public void stopNode()
    {
        inFlight.acquireUninterruptibly(IN_FLIGHT); // every request of the throughput benchmark answered
        node.close();
        BenchRequests.deleteRecursively(data);
    }

    @Benchmark
    public int submitAndAwaitReply()
    {
        // New ids each time, so every transfer is new work (a repeated id would only answer EXISTS).
        nextId += batch;
        for (int i = 0; i < batch; i++)
        {
            request.putLong(firstIdOffset + i * elementLength, nextId + i);
        }
        final int failures = roundTrip(request, requestLength);
        if (failures != 0)
        {
            throw new IllegalStateException(failures + " transfers failed");
        }
        return failures;
    }

    /**
     * Throughput with {@value #IN_FLIGHT} requests of {@value #THROUGHPUT_BATCH} transfers in flight: one operation
     * is one transfer, so the score is transfers/s through journal, engine and responder (no network).
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(THROUGHPUT_BATCH)
    public void submitWithRequestsInFlight()
    {
        inFlight.acquireUninterruptibly();
        // Buffers outnumber permits two to one and replies come in order, so a buffer is free again when reused.
        final UnsafeBuffer message = throughputRequests[(int)(submitted++ % throughputRequests.length)];
        nextId += THROUGHPUT_BATCH;
        for (int i = 0; i < THROUGHPUT_BATCH; i++)
        {
            message.putLong(firstIdOffset + i * elementLength, nextId + i);
        }
        while (node.submit(message, 0, throughputRequestLength, release) != Submission.ACCEPTED)
        {
            LockSupport.parkNanos(10_000);
        }
    }

    /**
     * @return how many events of the request did not succeed.
     */
    private int roundTrip(final UnsafeBuffer message, final int length)
    {
        reply.waiter = Thread.currentThread();
        reply.done = false;
        while (node.submit(message, 0, length, reply) != Submission.ACCEPTED)
        {
            LockSupport.parkNanos(10_000);
        }
        while (!reply.done)
        {
            LockSupport.park(reply);
        }
        return reply.failures;
    }

    private static final class Reply implements ReplyHandler
    {
        private final MessageHeaderDecoder header = new MessageHeaderDecoder();
        private final CreateTransfersResponseDecoder response = new CreateTransfersResponseDecoder();
        volatile Thread waiter;
        volatile boolean done;
        int failures;

        @Override
        public void onReply(final DirectBuffer buffer, final int offset, final int length)
        {
            header.wrap(buffer, offset);
            failures = header.templateId() == CreateTransfersResponseDecoder.TEMPLATE_ID ?
                response.wrapAndApplyHeader(buffer, offset, header).results().count() : 0;
            done = true;
            LockSupport.unpark(waiter);
        }
    }
}
