package io.walletledger.server.node;

import io.walletledger.engine.LedgerConfig;
import io.walletledger.engine.LedgerEngine;
import io.walletledger.engine.LedgerStateException;
import io.walletledger.journal.JournalEntryHandler;
import io.walletledger.journal.JournalReader;
import io.walletledger.snapshot.SnapshotCorruptedException;
import io.walletledger.snapshot.SnapshotInfo;
import io.walletledger.snapshot.SnapshotStore;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Rebuilds the ledger from disk: the newest snapshot that verifies (falling back to older ones, then to an empty
 * ledger), then every journal entry after it, each verified. Used by the node at start-up, by the snapshot
 * follower, and by {@code wallet verify}.
 */
public final class Recovery
{
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    /**
     * A loaded snapshot.
     *
     * @param engine     holding the snapshot's state (a new, empty engine if none could be used).
     * @param snapshot   the snapshot loaded, or null if none.
     * @param passedOver why each newer snapshot could not be used, newest first.
     */
    public record Loaded(LedgerEngine engine, SnapshotInfo snapshot, List<String> passedOver)
    {
        /**
         * @return the sequence of the last journal entry in the state: 0 for an empty ledger.
         */
        public long sequence()
        {
            return snapshot == null ? 0 : snapshot.sequence();
        }
    }

    /**
     * A recovered ledger.
     *
     * @param engine           in the state after the journal's last entry.
     * @param snapshot         the snapshot it started from, or null if it replayed the journal from the beginning.
     * @param sequence         of the last journal entry applied (0 if the journal is empty).
     * @param replayedCommands journal entries applied after the snapshot.
     * @param nanos            time the whole recovery took.
     * @param passedOver       why each snapshot newer than the one used could not be used, newest first.
     * @param accounts         accounts in the recovered state (counted at the end of recovery).
     * @param journalDrops     the records the replayed part of the journal says were dropped when a writer opened
     *                         it (a torn tail after a power loss), one description each, oldest first.
     */
    public record Recovered(
        LedgerEngine engine, SnapshotInfo snapshot, long sequence, long replayedCommands, long nanos,
        List<String> passedOver, int accounts, List<String> journalDrops)
    {
    }

    private Recovery()
    {
    }

    /**
     * Recovers the ledger in a data directory.
     *
     * @param config            the settings the ledger was created with (the journal's first entry was decided under
     *                          them, and a snapshot that keeps no settings was taken under them); a snapshot of a
     *                          later format is loaded under the settings it keeps, and the journal's
     *                          {@code SetLedgerSettings} entries change them as the live engine did.
     * @param snapshotDirectory may not exist, or be null: no snapshots, the journal alone.
     * @param journalDirectory  may not exist (empty journal).
     * @param quarantine        rename snapshots that fail verification to {@code <name>.corrupt}, so that nothing
     *                          uses them again (the node does; read-only tools do not).
     * @return the recovered ledger.
     * @throws io.walletledger.journal.JournalCorruptedException if a journal entry fails verification.
     * @throws IllegalStateException if the journal ends before a snapshot taken with the journal forced to disk
     *                               (lost journal files), or the newest snapshot keeps no settings and was taken
     *                               under other limits than {@code config}'s. A snapshot written without forcing the journal (journal
     *                               durability none) that is ahead of it is passed over, and set aside as
     *                               {@code <name>.ahead} if {@code quarantine}.
     */
    public static Recovered recover(
        final LedgerConfig config, final Path snapshotDirectory, final Path journalDirectory, final boolean quarantine)
    {
        final long start = System.nanoTime();
        final List<String> passedOver = new ArrayList<>();
        // Snapshots from this sequence on have been tried (a snapshot ahead of the journal, and any newer ones).
        long triedFrom = Long.MAX_VALUE;
        while (true)
        {
            final Loaded loaded = snapshotDirectory == null ?
                new Loaded(new LedgerEngine(config), null, List.of()) :
                loadNewestSnapshot(config, snapshotDirectory, quarantine, triedFrom);
            final LedgerEngine engine = loaded.engine();
            final long from = loaded.sequence() + 1;
            long last = 0;
            final Replay replay = new Replay(engine);
            if (Files.isDirectory(journalDirectory))
            {
                try (JournalReader reader = JournalReader.open(journalDirectory))
                {
                    last = reader.replay(from, replay);
                }
            }
            passedOver.addAll(loaded.passedOver());
            if (last >= loaded.sequence())
            {
                return new Recovered(engine, loaded.snapshot(), last, replay.applied, System.nanoTime() - start,
                    List.copyOf(passedOver), engine.accountCount(), List.copyOf(replay.drops));
            }
            final SnapshotInfo ahead = loaded.snapshot();
            if (ahead.journalForced())
            {
                throw new IllegalStateException("the journal in " + journalDirectory + " ends at sequence " + last +
                    " but snapshot " + ahead.file() + " holds the state up to sequence " + ahead.sequence() +
                    ": journal files are missing; restore them, or move the snapshots away to rebuild from the " +
                    "journal alone");
            }
            // Written in journal durability none without forcing the journal first: a power loss kept the snapshot
            // but not the journal's tail. The commands past the journal's end are lost, as that durability allows;
            // the snapshot must never be used again, since the journal will reuse those sequences for others.
            final String why = "snapshot " + ahead.file().getFileName() + " holds the state up to sequence " +
                ahead.sequence() + " but the journal ends at " + last + " (journal durability none, power loss): " +
                "starting from an older snapshot";
            LOG.warn("passing over {}", why);
            passedOver.add(why);
            triedFrom = ahead.sequence();
            if (quarantine)
            {
                setAside(ahead.file(), ".ahead");
            }
        }
    }

    /**
     * Loads the newest snapshot that verifies into a new engine; snapshots that fail are logged and passed over, and
     * renamed if {@code quarantine}. Snapshots deleted meanwhile (by a live node's retention) are skipped.
     *
     * @return the engine and the snapshot used, or a new empty engine and null.
     * @throws IllegalStateException if a snapshot is sound but was taken under other limits: rebuilding silently
     *                               under the new limits could decide differently from what clients were told.
     */
    public static Loaded loadNewestSnapshot(
        final LedgerConfig config, final Path snapshotDirectory, final boolean quarantine)
    {
        return loadNewestSnapshot(config, snapshotDirectory, quarantine, Long.MAX_VALUE);
    }

    /**
     * As {@link #loadNewestSnapshot(LedgerConfig, Path, boolean)}, among the snapshots below a sequence: a fresh
     * engine if there is none.
     */
    static Loaded loadNewestSnapshot(
        final LedgerConfig config, final Path snapshotDirectory, final boolean quarantine, final long below)
    {
        final List<String> passedOver = new ArrayList<>();
        for (final Path file : SnapshotStore.list(snapshotDirectory))
        {
            if (SnapshotStore.sequenceOf(file) >= below)
            {
                continue;
            }
            try
            {
                // Under the settings the snapshot was taken with: the journal may have changed them since the start.
                final LedgerEngine engine = new LedgerEngine(SnapshotStore.settingsOf(file, config));
                final SnapshotInfo info = SnapshotStore.load(file, engine);
                LOG.info("loaded snapshot {}: sequence {}, {} accounts, state hash {}", file.getFileName(),
                    info.sequence(), info.accounts(), Long.toHexString(info.stateHash()));
                return new Loaded(engine, info, passedOver);
            }
            catch (final SnapshotCorruptedException ex)
            {
                if (ex.getCause() instanceof LedgerStateException state && state.isLimitsMismatch())
                {
                    throw new IllegalStateException(ex.getMessage() + ". Start with the limits it was taken " +
                        "with: the journal was written under them too, and replayed under others it could be " +
                        "decided differently", ex);
                }
                LOG.warn("passing over snapshot {}: {}", file, ex.getMessage());
                passedOver.add(ex.getMessage());
                if (quarantine)
                {
                    quarantine(file);
                }
            }
            catch (final UncheckedIOException ex)
            {
                if (!(ex.getCause() instanceof NoSuchFileException))
                {
                    LOG.warn("passing over snapshot {}: {}", file, ex.getMessage());
                    passedOver.add(ex.getMessage());
                }
            }
        }
        return new Loaded(new LedgerEngine(config), null, passedOver);
    }

    private static void quarantine(final Path file)
    {
        try
        {
            rename(file, ".corrupt");
        }
        catch (final IOException ex)
        {
            LOG.warn("could not rename the unusable snapshot {}: {}", file, ex.toString());
        }
    }

    /**
     * Renames a sound snapshot that must not be used again. Unlike a corrupt one, which fails verification every
     * time, it would verify; so failing to rename it stops recovery.
     */
    private static void setAside(final Path file, final String suffix)
    {
        try
        {
            rename(file, suffix);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("could not rename snapshot " + file + ", which is ahead of the journal " +
                "and must not be used once the journal grows past it: move it away by hand", ex);
        }
    }

    private static void rename(final Path file, final String suffix) throws IOException
    {
        final Path renamed = file.resolveSibling(file.getFileName() + suffix);
        Files.move(file, renamed, StandardCopyOption.REPLACE_EXISTING);
        LOG.warn("renamed the snapshot to {}", renamed);
    }

    /**
     * Applies the replayed entries to the engine and notes what the journal says was dropped.
     */
    private static final class Replay implements JournalEntryHandler
    {
        private final LedgerEngine engine;
        private final UnsafeBuffer response;
        private final List<String> drops = new ArrayList<>();
        private long applied;

        Replay(final LedgerEngine engine)
        {
            this.engine = engine;
            this.response = new UnsafeBuffer(new byte[engine.responseLengthMax()]);
        }

        @Override
        public void onEntry(
            final long sequence, final long timestamp, final int templateId, final DirectBuffer command,
            final int offset, final int length, final int noteLength)
        {
            try
            {
                if (noteLength > 0)
                {
                    engine.recall(command, offset + length, noteLength);
                }
                engine.execute(timestamp, command, offset, length, response, 0);
            }
            catch (final RuntimeException ex)
            {
                throw new JournalEntryFailedException(sequence, templateId, timestamp, ex);
            }
            applied++;
        }

        @Override
        public void onDropped(
            final long index, final long nextSequence, final long firstDroppedIndex, final long documents)
        {
            drops.add(describeDrop(index, nextSequence, firstDroppedIndex, documents));
        }
    }

    /**
     * @return one line saying what a cut or discard record in the journal says was dropped.
     */
    public static String describeDrop(
        final long index, final long nextSequence, final long firstDroppedIndex, final long documents)
    {
        return "before sequence " + nextSequence + ": " + documents + " record(s) from Chronicle index 0x" +
            Long.toHexString(firstDroppedIndex) + " on were dropped when a writer opened the journal (a torn tail " +
            "after a power loss), recorded at index 0x" + Long.toHexString(index);
    }
}
