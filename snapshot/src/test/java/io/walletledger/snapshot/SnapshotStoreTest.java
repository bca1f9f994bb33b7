package io.walletledger.snapshot;

import io.walletledger.engine.LedgerConfig;
import io.walletledger.engine.LedgerEngine;
import io.walletledger.engine.TestWorkload;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SnapshotStoreTest
{
    private static final long SEED = 20261129L;

    @TempDir
    Path directory;

    @Test
    void aSnapshotLoadsIntoTheSameStateUnderAnotherHashSeed()
    {
        final TestWorkload workload = new TestWorkload(SEED);
        final LedgerEngine engine = run(workload, 300);
        assertTrue(engine.accountCount() > 0 && engine.rememberedTransferCount() > 0, "the workload did something");

        final SnapshotStore store = SnapshotStore.open(directory, 3);
        final SnapshotInfo written = store.write(engine, 300, 77);
        assertEquals(List.of(written.file()), store.list());
        assertEquals(written.length(), sizeOf(written.file()));

        final LedgerEngine loaded = new LedgerEngine(TestWorkload.withHashSeed(workload.config(), 12345));
        final SnapshotInfo read = SnapshotStore.load(written.file(), loaded);
        assertEquals(written, read);
        assertEquals(engine.stateHash(), loaded.stateHash());
        assertEquals(300, read.sequence());
        assertEquals(77, read.journalIndex());
        assertEquals(engine.lastTimestamp(), read.timestamp());
        assertEquals(engine.accountCount(), read.accounts());
        assertEquals(engine.pendingTransferCount(), read.openHolds());
        assertEquals(written, SnapshotStore.readHeader(written.file()));
        assertEquals(written, SnapshotStore.verify(written.file()));
    }

    @Test
    void writesGoToTheKernelAtMost64KiBAtATime()
    {
        final byte[] bytes = new byte[3 * SnapshotStore.WRITE_LENGTH + 100];
        new java.util.Random(SEED).nextBytes(bytes);
        final ByteBuffer from = ByteBuffer.wrap(bytes);
        from.position(7).limit(bytes.length - 3);
        final List<Integer> calls = new ArrayList<>();
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final WritableByteChannel channel = new WritableByteChannel()
        {
            public int write(final ByteBuffer src)
            {
                // Takes at most 40,000 bytes per call, as a channel may: the loop must go on from where it stopped.
                final int n = Math.min(src.remaining(), 40_000);
                calls.add(src.remaining());
                final byte[] taken = new byte[n];
                src.get(taken);
                out.write(taken, 0, n);
                return n;
            }

            public boolean isOpen()
            {
                return true;
            }

            public void close()
            {
            }
        };

        SnapshotStore.writeFully(channel, from);

        assertArrayEquals(Arrays.copyOfRange(bytes, 7, bytes.length - 3), out.toByteArray());
        assertEquals(bytes.length - 3, from.position());
        assertEquals(bytes.length - 3, from.limit(), "the buffer's limit is restored");
        // 196,698 bytes, 40,000 taken per call: each call is offered at most 64 KiB, the rest at the end.
        assertEquals(List.of(65536, 65536, 65536, 65536, 36698), calls);
    }

    @Test
    void anEmptyLedgerHasASnapshotToo()
    {
        final LedgerConfig config = LedgerConfig.builder().accountsMax(16).idempotencyWindow(16).build();
        final SnapshotInfo written = SnapshotStore.open(directory, 1).write(new LedgerEngine(config), 0, -1);
        final LedgerEngine loaded = new LedgerEngine(config);
        assertEquals(written, SnapshotStore.load(written.file(), loaded));
        assertEquals(0, loaded.accountCount());
    }

    @Test
    void onlyTheNewestSnapshotsAreKeptAndLeftoverTemporaryFilesAreDeleted() throws IOException
    {
        final TestWorkload workload = new TestWorkload(SEED);
        final LedgerEngine engine = new LedgerEngine(workload.config());
        final Path leftover = directory.resolve("snapshot-00000000000000000009.bin.tmp");
        Files.writeString(leftover, "half a snapshot");
        final SnapshotStore store = SnapshotStore.open(directory, 2);
        assertFalse(Files.exists(leftover));

        for (long sequence = 10; sequence <= 50; sequence += 10)
        {
            store.write(engine, sequence, -1);
        }
        assertEquals(List.of(50L, 40L), store.list().stream().map(SnapshotStore::sequenceOf).toList());
    }

    @Test
    void aFlippedByteInTheBodyFailsTheChecksum() throws IOException
    {
        final SnapshotInfo info = writeOne();
        flip(info.file(), SnapshotStore.HEADER_LENGTH + (info.length() - SnapshotStore.HEADER_LENGTH) / 2);
        final SnapshotCorruptedException ex = assertThrows(SnapshotCorruptedException.class,
            () -> SnapshotStore.load(info.file(), new LedgerEngine(new TestWorkload(SEED).config())));
        assertTrue(ex.getMessage().contains("checksum does not match"), ex.getMessage());
        assertThrows(SnapshotCorruptedException.class, () -> SnapshotStore.verify(info.file()));
        assertTrue(ex.getMessage().contains(info.file().toString()), ex.getMessage());
    }

    @Test
    void aFlippedByteInTheHeaderIsCaught() throws IOException
    {
        final SnapshotInfo info = writeOne();
        flip(info.file(), 33); // in the state hash: the file no longer checks out
        assertThrows(SnapshotCorruptedException.class,
            () -> SnapshotStore.load(info.file(), new LedgerEngine(new TestWorkload(SEED).config())));
        flip(info.file(), 33);
        flip(info.file(), 0);
        final SnapshotCorruptedException ex = assertThrows(SnapshotCorruptedException.class,
            () -> SnapshotStore.load(info.file(), new LedgerEngine(new TestWorkload(SEED).config())));
        assertTrue(ex.getMessage().contains("magic"), ex.getMessage());
    }

    @Test
    void aSnapshotCutShortIsCaught() throws IOException
    {
        final SnapshotInfo info = writeOne();
        try (RandomAccessFile file = new RandomAccessFile(info.file().toFile(), "rw"))
        {
            file.setLength(info.length() - 100);
        }
        final SnapshotCorruptedException ex = assertThrows(SnapshotCorruptedException.class,
            () -> SnapshotStore.load(info.file(), new LedgerEngine(new TestWorkload(SEED).config())));
        assertTrue(ex.getMessage().contains("cut short"), ex.getMessage());
    }

    @Test
    void aSnapshotUnderOtherLimitsIsRefusedWithTheReason()
    {
        final SnapshotInfo info = writeOne();
        final LedgerConfig config = new TestWorkload(SEED).config();
        final LedgerConfig other = LedgerConfig.builder()
            .accountsMax(config.accountsMax() + 1)
            .idempotencyWindow(config.idempotencyWindow())
            .pendingTransfersMax(config.pendingTransfersMax())
            .batchEventsMax(config.batchEventsMax())
            .build();
        final SnapshotCorruptedException ex = assertThrows(SnapshotCorruptedException.class,
            () -> SnapshotStore.load(info.file(), new LedgerEngine(other)));
        assertTrue(ex.getMessage().contains("accountsMax"), ex.getMessage());
    }

    private SnapshotInfo writeOne()
    {
        final LedgerEngine engine = run(new TestWorkload(SEED), 100);
        final SnapshotInfo info = SnapshotStore.open(directory, 1).write(engine, 100, -1);
        assertNotEquals(0, info.accounts());
        return info;
    }

    static LedgerEngine run(final TestWorkload workload, final int requests)
    {
        final LedgerEngine engine = new LedgerEngine(workload.config());
        final UnsafeBuffer response = new UnsafeBuffer(new byte[engine.responseLengthMax()]);
        long timestamp = 1_000_000_000L;
        for (final byte[] request : workload.next(requests))
        {
            timestamp += 1_000_000L;
            engine.execute(timestamp, new UnsafeBuffer(request), 0, request.length, response, 0);
        }
        return engine;
    }

    private static long sizeOf(final Path file)
    {
        return file.toFile().length();
    }

    private static void flip(final Path path, final long position) throws IOException
    {
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw"))
        {
            file.seek(position);
            final int b = file.read();
            file.seek(position);
            file.write(b ^ 0x10);
        }
    }
}
