package io.walletledger.bench;

import io.walletledger.engine.LedgerConfig;
import io.walletledger.engine.LedgerEngine;
import io.walletledger.protocol.sbe.CreateTransfersEncoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.protocol.sbe.UInt128Encoder;
import io.walletledger.record.RecordWriter;
import io.walletledger.record.TransferRecordStore;
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
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The follower's work per transfer with and without the permanent record: an engine applying requests of 1,000
 * transfers between 10,000 funded wallets, as the follower replays them, and with {@code record=on} reporting each
 * transfer to a {@link RecordWriter} that commits to a {@link TransferRecordStore} every 256 requests (as the
 * follower does under load: it commits after each read of the journal, of up to 256 commands). Ids are sequential (like the Java client's
 * time-ordered ones) or random (like random UUIDs over HTTP). One operation is one transfer. The record goes to a
 * temporary directory (set {@code -Djava.io.tmpdir} to measure another disk), deleted after the run.
 * Run: {@code ./wallet jmh RecordBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = { "-Xms2g", "-Xmx2g" })
public class RecordBenchmark
{
    private static final int ACCOUNTS = 10_000;
    private static final int BATCH = 1_000;
    private static final int COMMIT_EVERY = 256;
    private static final long SETTLEMENT = Long.MAX_VALUE;
    private static final long FUNDING = 1_000_000_000_000L;

    @Param({ "off", "on" })
    String record;

    @Param({ "sequential", "random" })
    String ids;

    private LedgerEngine engine;
    private Path directory;
    private TransferRecordStore store;
    private RecordWriter writer;
    private UnsafeBuffer request;
    private UnsafeBuffer response;
    private int requestLength;
    private final SplittableRandom random = new SplittableRandom(7);
    private long nextId = 1L << 50;
    private long sequence;
    private long timestamp = 1;

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        engine = new LedgerEngine(LedgerConfig.builder().accountsMax(ACCOUNTS + 1).batchEventsMax(BATCH).build());
        response = new UnsafeBuffer(ByteBuffer.allocateDirect(engine.responseLengthMax()));
        request = new UnsafeBuffer(ByteBuffer.allocateDirect(engine.responseLengthMax() + (1 << 20)));
        BenchRequests.createAndFundAccounts(request, ACCOUNTS, BATCH, SETTLEMENT, FUNDING,
            (what, length) -> execute(length));
        requestLength = BenchRequests.createTransfers(request, 1, BATCH, 0, 1, ACCOUNTS, random);
        if (record.equals("on"))
        {
            directory = Files.createTempDirectory("wallet-record-bench");
            store = TransferRecordStore.open(directory);
            writer = new RecordWriter(store);
            engine.appliedTransferListener(writer);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        if (store != null)
        {
            writer.close();
            store.close();
            BenchRequests.deleteRecursively(directory);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int applyAndRecord()
    {
        newIds();
        final int length = execute(requestLength);
        if (writer != null && sequence % COMMIT_EVERY == 0)
        {
            writer.commit(sequence, engine.lastTimestamp());
        }
        return length;
    }

    /**
     * Gives the request's transfers ids never used, so that each is decided (and recorded) anew.
     */
    private void newIds()
    {
        final boolean sequential = ids.equals("sequential");
        int offset = MessageHeaderEncoder.ENCODED_LENGTH + CreateTransfersEncoder.BLOCK_LENGTH +
            CreateTransfersEncoder.TransfersEncoder.HEADER_SIZE;
        for (int i = 0; i < BATCH; i++)
        {
            final int id = offset + CreateTransfersEncoder.TransfersEncoder.idEncodingOffset();
            request.putLong(id + UInt128Encoder.loEncodingOffset(), sequential ? nextId++ : random.nextLong(),
                ByteOrder.LITTLE_ENDIAN);
            request.putLong(id + UInt128Encoder.hiEncodingOffset(), sequential ? 0 : random.nextLong(),
                ByteOrder.LITTLE_ENDIAN);
            offset += CreateTransfersEncoder.TransfersEncoder.sbeBlockLength();
        }
    }

    private int execute(final int length)
    {
        sequence++;
        if (writer != null)
        {
            writer.beginCommand(sequence);
        }
        return engine.execute(timestamp++, request, 0, length, response, 0);
    }
}
