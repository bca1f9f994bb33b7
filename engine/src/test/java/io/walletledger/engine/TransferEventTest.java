package io.walletledger.engine;

import io.walletledger.protocol.sbe.CreateTransfersDecoder;
import io.walletledger.protocol.sbe.CreateTransfersEncoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link TransferEvent} reads every field exactly as the generated SBE decoder does, from heap and direct buffers,
 * in any order of transfers; and it refuses a group that does not fit its buffer and an index outside the group.
 */
class TransferEventTest
{
    private static final long SEED = Long.getLong("wallet.test.seed", 20261129L);
    private static final int TRANSFERS = 200;

    @Test
    void readsWhatTheDecoderReadsFromAHeapBuffer()
    {
        readsWhatTheDecoderReads(new UnsafeBuffer(new byte[64 * 1024]));
    }

    @Test
    void readsWhatTheDecoderReadsFromADirectBuffer()
    {
        readsWhatTheDecoderReads(new UnsafeBuffer(ByteBuffer.allocateDirect(64 * 1024)));
    }

    @Test
    void refusesAGroupOutsideItsBufferOrWithShortElements()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1_000]);
        final TransferEvent event = new TransferEvent();
        final int length = TransferEvent.ELEMENT_LENGTH_MIN;
        event.wrap(buffer, 1_000 - 10 * length, length, 10);
        assertThrows(IllegalArgumentException.class, () -> event.wrap(buffer, 1_000 - 10 * length + 1, length, 10));
        assertThrows(IllegalArgumentException.class, () -> event.wrap(buffer, 0, length - 1, 1));
        assertThrows(IllegalArgumentException.class, () -> event.wrap(buffer, -1, length, 1));
        assertThrows(IllegalArgumentException.class, () -> event.wrap(buffer, 0, length, -1));
        assertThrows(IllegalArgumentException.class, () -> event.wrap(buffer, 0, Integer.MAX_VALUE, 2));

        event.wrap(buffer, 0, length, 3);
        event.moveTo(2);
        assertThrows(IndexOutOfBoundsException.class, () -> event.moveTo(3));
        assertThrows(IndexOutOfBoundsException.class, () -> event.moveTo(-1));
    }

    private static void readsWhatTheDecoderReads(final UnsafeBuffer buffer)
    {
        final SplittableRandom random = new SplittableRandom(SEED);
        final CreateTransfersEncoder encoder = new CreateTransfersEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .correlationId(7);
        final CreateTransfersEncoder.TransfersEncoder transfers = encoder.transfersCount(TRANSFERS);
        for (int i = 0; i < TRANSFERS; i++)
        {
            transfers.next();
            transfers.id().lo(edgy(random)).hi(edgy(random));
            transfers.debitAccountId(edgy(random)).creditAccountId(edgy(random)).amount(edgy(random));
            transfers.pendingId().lo(edgy(random)).hi(edgy(random));
            transfers.userData128().lo(edgy(random)).hi(edgy(random));
            transfers.userData64(edgy(random))
                .userData32(edgy(random) & 0xFFFF_FFFFL)
                .timeout(edgy(random) & 0xFFFF_FFFFL)
                .currency((int)(edgy(random) & 0xFFFF))
                .code((int)(edgy(random) & 0xFFFF));
            buffer.putShort(transfers.flags().offset(), (short)edgy(random), ByteOrder.LITTLE_ENDIAN);
        }

        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, 0);
        final CreateTransfersDecoder request = new CreateTransfersDecoder()
            .wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        final CreateTransfersDecoder.TransfersDecoder decoder = request.transfers();
        final int firstOffset = request.limit();
        final TransferEvent event = new TransferEvent();
        event.wrap(buffer, firstOffset, decoder.actingBlockLength(), decoder.count());

        for (int pass = 0; pass < 2; pass++)
        {
            for (int step = 0; step < TRANSFERS; step++)
            {
                // First in order, then at random, as the prefetcher reads ahead of the engine.
                final int index = pass == 0 ? step : random.nextInt(TRANSFERS);
                final CreateTransfersDecoder.TransfersDecoder expected = decoderAt(buffer, header, index);
                event.moveTo(index);
                final String at = "transfer " + index;
                assertEquals(expected.id().lo(), event.idLo(), at);
                assertEquals(expected.id().hi(), event.idHi(), at);
                assertEquals(expected.debitAccountId(), event.debitAccountId(), at);
                assertEquals(expected.creditAccountId(), event.creditAccountId(), at);
                assertEquals(expected.amount(), event.amount(), at);
                assertEquals(expected.pendingId().lo(), event.pendingIdLo(), at);
                assertEquals(expected.pendingId().hi(), event.pendingIdHi(), at);
                assertEquals(expected.userData128().lo(), event.userData128Lo(), at);
                assertEquals(expected.userData128().hi(), event.userData128Hi(), at);
                assertEquals(expected.userData64(), event.userData64(), at);
                assertEquals(expected.userData32(), event.userData32() & 0xFFFF_FFFFL, at);
                assertEquals(expected.timeout(), event.timeout() & 0xFFFF_FFFFL, at);
                assertEquals(expected.currency(), event.currency(), at);
                assertEquals(expected.code(), event.code(), at);
                assertEquals(expected.flags().getRaw(), event.flags(), at);
            }
        }
    }

    private static CreateTransfersDecoder.TransfersDecoder decoderAt(
        final UnsafeBuffer buffer, final MessageHeaderDecoder header, final int index)
    {
        final CreateTransfersDecoder request = new CreateTransfersDecoder()
            .wrap(buffer, MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        final CreateTransfersDecoder.TransfersDecoder transfers = request.transfers();
        for (int i = 0; i <= index; i++)
        {
            transfers.next();
        }
        return transfers;
    }

    /** Mostly random, often a boundary: 0, 1, -1, the extremes of each signed width. */
    private static long edgy(final SplittableRandom random)
    {
        switch (random.nextInt(8))
        {
            case 0: return 0;
            case 1: return 1;
            case 2: return -1;
            case 3: return Long.MIN_VALUE;
            case 4: return Long.MAX_VALUE;
            case 5: return Integer.MAX_VALUE + 1L;
            default: return random.nextLong();
        }
    }
}
