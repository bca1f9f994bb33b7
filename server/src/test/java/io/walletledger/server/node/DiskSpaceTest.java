package io.walletledger.server.node;

import io.walletledger.engine.LedgerConfig;
import io.walletledger.protocol.sbe.CreateTransfersResponseDecoder;
import io.walletledger.protocol.sbe.ErrorCode;
import io.walletledger.protocol.sbe.ErrorResponseDecoder;
import io.walletledger.protocol.sbe.LookupAccountsEncoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The disk watch on a real node: below {@code diskMinFree} a change is refused {@code DISK_FULL} before anything of it
 * is journaled, lookups go on, and a restart recovers exactly what was acknowledged. The filling test runs on a small
 * tmpfs when the test may mount one (as root on Linux), else on the temporary directory's own file system with the
 * minimum set just under what is free there, so that it fills the same way.
 */
class DiskSpaceTest
{
    private static final long MIB = 1 << 20;
    /** Transfers per request: about 770 KB each, so that a few hundred fill the small disk. */
    private static final int BATCH = 8190;

    @TempDir
    Path data;

    @Test
    void aChangeIsRefusedDiskFullWhileLookupsGoOn() throws Exception
    {
        final long free = Files.getFileStore(data).getUsableSpace();
        try (LedgerNode node = LedgerNode.start(config(data, free + 1024 * MIB)))
        {
            final byte[] reply = LedgerNodeTest.submit(node, accounts()).get(30, TimeUnit.SECONDS);
            assertEquals(ErrorCode.DISK_FULL, errorOf(reply));
            assertEquals(0, node.appliedSequence(), "nothing was journaled");
            final byte[] lookup = LedgerNodeTest.submit(node, lookupAccount()).get(30, TimeUnit.SECONDS);
            assertTrue(LedgerNodeTest.templateOf(lookup) != ErrorResponseDecoder.TEMPLATE_ID, "lookups go on");
        }
        try (LedgerNode node = LedgerNode.start(config(data, MIB)))
        {
            assertTrue(LedgerNodeTest.templateOf(LedgerNodeTest.submit(node, accounts()).get(30, TimeUnit.SECONDS)) !=
                ErrorResponseDecoder.TEMPLATE_ID, "taken once there is room");
            assertEquals(1, node.appliedSequence());
        }
    }

    @Test
    void aFillingDiskStopsTheJournalBeforeItIsFullAndARestartRecoversEveryAcknowledgedRequest() throws Exception
    {
        final Path mount = data.resolve("small-disk");
        Files.createDirectories(mount);
        final boolean tmpfs = mountTmpfs(mount, 160);
        try
        {
            final Path directory = mount.resolve("data");
            final long minFree = tmpfs ? 64 * MIB : Files.getFileStore(mount).getUsableSpace() - 96 * MIB;
            long acknowledged;
            try (LedgerNode node = LedgerNode.start(config(directory, minFree)))
            {
                assertTrue(LedgerNodeTest.templateOf(LedgerNodeTest.submit(node, accounts()).get(30, TimeUnit.SECONDS))
                    != ErrorResponseDecoder.TEMPLATE_ID);
                acknowledged = 1;
                long nextId = 1;
                while (true)
                {
                    final byte[] reply = LedgerNodeTest.submit(node, transfers(nextId, BATCH)).get(30, TimeUnit.SECONDS);
                    nextId += BATCH;
                    if (LedgerNodeTest.templateOf(reply) == ErrorResponseDecoder.TEMPLATE_ID)
                    {
                        assertEquals(ErrorCode.DISK_FULL, errorOf(reply));
                        break;
                    }
                    assertEquals(CreateTransfersResponseDecoder.TEMPLATE_ID, LedgerNodeTest.templateOf(reply));
                    acknowledged++;
                    assertTrue(acknowledged < 1_000_000, "the disk never filled");
                }
                assertEquals(acknowledged, node.appliedSequence());
                assertTrue(Files.getFileStore(directory).getUsableSpace() > 8 * MIB,
                    "the journal stopped with room to spare: " + Files.getFileStore(directory).getUsableSpace());
            }
            // Still nearly full: the node starts, recovers every acknowledged request, and keeps refusing changes.
            try (LedgerNode node = LedgerNode.start(config(directory, minFree)))
            {
                assertEquals(acknowledged, node.appliedSequence(), "every acknowledged request, nothing more");
                assertEquals(ErrorCode.DISK_FULL, errorOf(LedgerNodeTest.submit(node, transfers(1L << 40, 1))
                    .get(30, TimeUnit.SECONDS)));
            }
        }
        finally
        {
            if (tmpfs)
            {
                unmount(mount);
            }
        }
    }

    /**
     * Unmounts the tmpfs. A file the closed node mapped stays mapped until its buffer is collected, and the kernel
     * then calls the mount busy: collect, retry, and in the end detach it lazily, so the directory can be deleted.
     */
    private static void unmount(final Path mount) throws IOException, InterruptedException
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            final Process umount = new ProcessBuilder("umount", mount.toString()).redirectErrorStream(true).start();
            umount.getInputStream().readAllBytes();
            if (umount.waitFor(30, TimeUnit.SECONDS) && umount.exitValue() == 0)
            {
                return;
            }
            System.gc();
            Thread.sleep(100);
        }
        new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
    }

    private static NodeConfig config(final Path data, final long minFree)
    {
        return NodeConfig.builder(data)
            .ledger(LedgerConfig.builder().accountsMax(1024).idempotencyWindow(1 << 16).pendingTransfersMax(1024)
                .batchEventsMax(BATCH).build())
            .snapshotEveryCommands(0)
            .snapshotInterval(Duration.ZERO)
            .diskMinFree(minFree)
            .build();
    }

    /**
     * @return whether a tmpfs of {@code mebibytes} is now mounted on {@code directory}.
     */
    private static boolean mountTmpfs(final Path directory, final int mebibytes)
        throws IOException, InterruptedException
    {
        final Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + mebibytes + "m", "tmpfs",
            directory.toString()).redirectErrorStream(true).start();
        final String output = new String(mount.getInputStream().readAllBytes());
        final boolean mounted = mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0;
        System.out.println(mounted ? "filling a " + mebibytes + " MiB tmpfs" :
            "cannot mount a tmpfs here (" + output.strip() + "): filling the temporary directory's file system");
        return mounted;
    }

    private static byte[] accounts()
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[1 << 16]);
        final int length = CrashWorkload.createAccounts(message, 0,
            Math.min(CrashWorkload.BATCH_MAX, CrashWorkload.accountIds().length));
        return Arrays.copyOf(message.byteArray(), length);
    }

    private static byte[] lookupAccount()
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
        final LookupAccountsEncoder encoder = new LookupAccountsEncoder()
            .wrapAndApplyHeader(message, 0, new MessageHeaderEncoder()).correlationId(7);
        encoder.idsCount(1).next().id(CrashWorkload.accountIds()[0]);
        return Arrays.copyOf(message.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    private static byte[] transfers(final long firstId, final int count)
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[1 << 20]);
        final int length = CrashWorkload.createTransfers(message, firstId, count);
        return Arrays.copyOf(message.byteArray(), length);
    }

    private static ErrorCode errorOf(final byte[] reply)
    {
        assertEquals(ErrorResponseDecoder.TEMPLATE_ID, LedgerNodeTest.templateOf(reply));
        return new ErrorResponseDecoder().wrapAndApplyHeader(new UnsafeBuffer(reply), 0, new MessageHeaderDecoder())
            .code();
    }
}
