package io.walletledger.bench;

import io.walletledger.journal.CommandJournal;
import io.walletledger.journal.JournalDurability;
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
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Journal append of one full request of 8,190 transfers (about 770 KB), in both durability modes; in
 * {@code BATCH} every append is followed by {@code flush()} (fdatasync), the worst case of one request per
 * Disruptor batch. One operation is one transfer. The journal goes to a temporary directory (set
 * {@code -Djava.io.tmpdir} to measure another disk), deleted after the run: a run writes several GB.
 * Run: {@code ./wallet jmh JournalBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
public class JournalBenchmark
{
    private static final int TRANSFERS = 8190;

    @Param({ "NONE", "BATCH" })
    JournalDurability durability;

    private Path directory;
    private CommandJournal journal;
    private UnsafeBuffer command;
    private int length;
    private long timestamp = 1;

    @Setup(Level.Trial)
    public void setUp() throws IOException
    {
        directory = Files.createTempDirectory("wallet-journal-bench");
        journal = CommandJournal.open(directory, durability);
        command = new UnsafeBuffer(ByteBuffer.allocateDirect(1 << 20));
        length = BenchRequests.createTransfers(command, 1, TRANSFERS, 0, 1, 1_000_000, new SplittableRandom(7));
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        journal.close();
        BenchRequests.deleteRecursively(directory);
    }

    @Benchmark
    @OperationsPerInvocation(TRANSFERS)
    public long appendFullBatch()
    {
        final long sequence = journal.append(timestamp++, command, 0, length);
        journal.flush();
        return sequence;
    }
}
