package io.walletledger.bench;

import io.walletledger.protocol.ProtocolLimits;
import io.walletledger.protocol.sbe.CreateTransfersDecoder;
import io.walletledger.protocol.sbe.CreateTransfersEncoder;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * SBE encode and decode of a full CreateTransfers request (8,190 transfers, every field written or read), the
 * work a client and the engine do per request on top of the ledger itself. One operation = one transfer.
 * Run: {@code ./wallet jmh CodecBenchmark -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CodecBenchmark
{
    private static final int BATCH = ProtocolLimits.BATCH_EVENTS_MAX_DEFAULT;

    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final MessageHeaderDecoder headerDecoder = new MessageHeaderDecoder();
    private final CreateTransfersEncoder encoder = new CreateTransfersEncoder();
    private final CreateTransfersDecoder decoder = new CreateTransfersDecoder();
    private UnsafeBuffer buffer;
    private long nextId = 1;

    @Setup(Level.Trial)
    public void allocate()
    {
        buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(ProtocolLimits.messageLengthMax(BATCH)));
        encode();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int encode()
    {
        encoder.wrapAndApplyHeader(buffer, 0, headerEncoder).correlationId(nextId);
        final CreateTransfersEncoder.TransfersEncoder group = encoder.transfersCount(BATCH);
        for (int i = 0; i < BATCH; i++)
        {
            final long id = nextId++;
            group.next();
            group.id().lo(id).hi(7);
            group.debitAccountId(1 + (id & 1023)).creditAccountId(1 + ((id >> 10) & 1023)).amount(1 + (id & 63));
            group.pendingId().lo(0).hi(0);
            group.userData128().lo(id).hi(0);
            group.userData64(id).userData32(0).timeout(0).currency(840).code(1);
            group.flags().clear();
        }
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long decode()
    {
        long sum = 0;
        decoder.wrapAndApplyHeader(buffer, 0, headerDecoder);
        for (final CreateTransfersDecoder.TransfersDecoder t : decoder.transfers())
        {
            sum += t.id().lo() + t.id().hi() + t.debitAccountId() + t.creditAccountId() + t.amount() +
                t.pendingId().lo() + t.pendingId().hi() + t.userData128().lo() + t.userData128().hi() +
                t.userData64() + t.userData32() + t.timeout() + t.currency() + t.code() + t.flags().getRaw();
        }
        return sum;
    }
}
