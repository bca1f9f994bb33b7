package io.walletledger.server.node;

import io.walletledger.engine.LedgerConfig;
import io.walletledger.engine.LedgerEngine;
import io.walletledger.engine.TestWorkload;
import io.walletledger.journal.CommandJournal;
import io.walletledger.journal.JournalDurability;
import io.walletledger.snapshot.SnapshotInfo;
import io.walletledger.snapshot.SnapshotStore;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A power loss in journal durability {@code none} can keep a snapshot but lose the journal's tail beneath it: the
 * follower writes snapshots without forcing the journal first. Such a snapshot is passed over; one written with the
 * journal forced, ahead of the journal, still means lost journal files and stops recovery.
 */
class SnapshotAheadOfJournalTest
{
    private static final int JOURNALED = 100;
    private static final int OLDER_SNAPSHOT = 50;
    private static final int NEWER_SNAPSHOT = 120;

    @TempDir
    Path data;

    private LedgerConfig config;
    private Path journalDirectory;
    private Path snapshotDirectory;
    /** The state after the journal's last surviving command. */
    private long journaledHash;
    private LedgerEngine older;
    private LedgerEngine newer;

    /**
     * A journal that kept its first 100 commands, and engines at 50 and at 120 commands, as the follower had them.
     */
    @BeforeEach
    void loseTheJournalsTail()
    {
        final TestWorkload workload = new TestWorkload(41);
        config = workload.config();
        journalDirectory = data.resolve("journal");
        snapshotDirectory = data.resolve("snapshots");
        final List<byte[]> commands = workload.next(NEWER_SNAPSHOT);
        final LedgerEngine engine = new LedgerEngine(config);
        older = new LedgerEngine(config);
        newer = new LedgerEngine(config);
        final UnsafeBuffer response = new UnsafeBuffer(new byte[engine.responseLengthMax()]);
        try (CommandJournal journal = CommandJournal.open(journalDirectory, JournalDurability.NONE))
        {
            for (int i = 0; i < NEWER_SNAPSHOT; i++)
            {
                final UnsafeBuffer command = new UnsafeBuffer(commands.get(i));
                final long timestamp = 1_000_000L * (i + 1);
                if (i < JOURNALED)
                {
                    journal.append(timestamp, command, 0, command.capacity());
                    engine.execute(timestamp, command, 0, command.capacity(), response, 0);
                }
                if (i < OLDER_SNAPSHOT)
                {
                    older.execute(timestamp, command, 0, command.capacity(), response, 0);
                }
                newer.execute(timestamp, command, 0, command.capacity(), response, 0);
            }
        }
        journaledHash = engine.stateHash();
    }

    @Test
    void aSnapshotWrittenWithoutForcingTheJournalIsPassedOverAndSetAside()
    {
        final SnapshotStore store = SnapshotStore.open(snapshotDirectory, 3);
        final SnapshotInfo usable = store.write(older, OLDER_SNAPSHOT, -1);
        final SnapshotInfo ahead = store.write(newer, NEWER_SNAPSHOT, -1, false);

        final Recovery.Recovered recovered = Recovery.recover(config, snapshotDirectory, journalDirectory, true);

        assertEquals(OLDER_SNAPSHOT, recovered.snapshot().sequence());
        assertEquals(JOURNALED, recovered.sequence());
        assertEquals(JOURNALED - OLDER_SNAPSHOT, recovered.replayedCommands());
        assertEquals(journaledHash, recovered.engine().stateHash(), "the state the journal holds, no more");
        assertTrue(recovered.passedOver().get(0).contains("ends at " + JOURNALED), recovered.passedOver().toString());
        assertFalse(Files.exists(ahead.file()), "never to be used again: the journal will reuse its sequences");
        assertTrue(Files.exists(ahead.file().resolveSibling(ahead.file().getFileName() + ".ahead")));
        assertEquals(List.of(usable.file()), store.list(), "the older snapshot is the only one left");
    }

    @Test
    void withoutAnOlderSnapshotTheJournalIsReplayedFromTheStart()
    {
        SnapshotStore.open(snapshotDirectory, 3).write(newer, NEWER_SNAPSHOT, -1, false);

        final Recovery.Recovered recovered = Recovery.recover(config, snapshotDirectory, journalDirectory, true);

        assertNull(recovered.snapshot());
        assertEquals(JOURNALED, recovered.replayedCommands());
        assertEquals(journaledHash, recovered.engine().stateHash());
    }

    @Test
    void readOnlyRecoveryPassesItOverAndLeavesItInPlace()
    {
        final SnapshotInfo ahead = SnapshotStore.open(snapshotDirectory, 3).write(newer, NEWER_SNAPSHOT, -1, false);

        final Recovery.Recovered recovered = Recovery.recover(config, snapshotDirectory, journalDirectory, false);

        assertEquals(journaledHash, recovered.engine().stateHash());
        assertTrue(Files.exists(ahead.file()), "tools change nothing; the node sets it aside when it starts");
    }

    @Test
    void eachSnapshotPassedOverIsReportedOnceNewestFirst() throws IOException
    {
        final SnapshotStore store = SnapshotStore.open(snapshotDirectory, 5);
        store.write(older, OLDER_SNAPSHOT, -1);
        store.write(newer, NEWER_SNAPSHOT, -1, false);
        final SnapshotInfo corrupt = store.write(newer, NEWER_SNAPSHOT + 10, -1, false);
        try (FileChannel channel = FileChannel.open(corrupt.file(), StandardOpenOption.WRITE))
        {
            channel.write(ByteBuffer.wrap(new byte[] { 0x55 }), corrupt.length() / 2);
        }

        final Recovery.Recovered recovered = Recovery.recover(config, snapshotDirectory, journalDirectory, false);

        assertEquals(OLDER_SNAPSHOT, recovered.snapshot().sequence());
        assertEquals(journaledHash, recovered.engine().stateHash());
        assertEquals(2, recovered.passedOver().size(), recovered.passedOver().toString());
        assertTrue(recovered.passedOver().get(0).contains(corrupt.file().getFileName().toString()),
            recovered.passedOver().get(0));
        assertTrue(recovered.passedOver().get(1).contains("ends at " + JOURNALED), recovered.passedOver().get(1));
    }

    @Test
    void aSnapshotWrittenAfterForcingTheJournalMeansLostJournalFiles()
    {
        final SnapshotStore store = SnapshotStore.open(snapshotDirectory, 3);
        store.write(older, OLDER_SNAPSHOT, -1);
        final SnapshotInfo ahead = store.write(newer, NEWER_SNAPSHOT, -1, true);

        final IllegalStateException refused = assertThrows(IllegalStateException.class,
            () -> Recovery.recover(config, snapshotDirectory, journalDirectory, true));

        assertTrue(refused.getMessage().contains("journal files are missing"), refused.getMessage());
        assertTrue(Files.exists(ahead.file()), "left for the operator");
    }

    @Test
    void theHeaderSaysWhetherTheJournalWasForced()
    {
        final SnapshotStore store = SnapshotStore.open(snapshotDirectory, 3);
        final SnapshotInfo forced = store.write(older, OLDER_SNAPSHOT, -1);
        final SnapshotInfo notForced = store.write(newer, NEWER_SNAPSHOT, -1, false);

        assertTrue(SnapshotStore.readHeader(forced.file()).journalForced());
        assertFalse(SnapshotStore.readHeader(notForced.file()).journalForced());
    }
}
