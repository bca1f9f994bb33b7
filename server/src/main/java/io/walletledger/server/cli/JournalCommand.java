package io.walletledger.server.cli;

import io.walletledger.server.node.NodeConfig;
import io.walletledger.server.node.Recovery;
import io.walletledger.journal.JournalArchive;
import io.walletledger.journal.JournalCorruptedException;
import io.walletledger.journal.JournalDurability;
import io.walletledger.journal.JournalEntryHandler;
import io.walletledger.journal.JournalFollower;
import io.walletledger.journal.JournalReader;
import io.walletledger.protocol.RequestType;
import io.walletledger.protocol.sbe.CreateAccountsDecoder;
import io.walletledger.protocol.sbe.CreateTransfersDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.engine.RecallNote;
import io.walletledger.record.TransferRecordStore;
import io.walletledger.snapshot.SnapshotCorruptedException;
import io.walletledger.snapshot.SnapshotStore;
import org.agrona.DirectBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code wallet journal dump}: the journaled commands, one line per command and one per event, each entry verified
 * as it is read; and, marked {@code --}, where a writer opened the journal and where it dropped a torn tail.
 */
@Command(name = "journal", mixinStandardHelpOptions = true, description = "Journal tools.",
    subcommands = { JournalCommand.Dump.class, JournalCommand.Archive.class })
final class JournalCommand
{
    /**
     * {@code wallet journal archive}: moves the journal's hourly files that every retained snapshot and the permanent
     * record already cover out of the journal directory. Run with the node stopped.
     */
    @Command(name = "archive", mixinStandardHelpOptions = true,
        description = "Move journal files that the snapshots and the permanent record already cover to an archive " +
            "directory (run with the node stopped).")
    static final class Archive implements Callable<Integer>
    {
        @Option(names = "--to", description = "Where the files go (default: <data-dir>/journal-archive).")
        Path archiveDirectory;

        @Mixin
        LedgerLimitsOptions limits;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call()
        {
            final PrintWriter out = spec.commandLine().getOut();
            final PrintWriter err = spec.commandLine().getErr();
            final Path dataDirectory = limits.dataDirectory(err);
            if (dataDirectory == null)
            {
                return 1;
            }
            final NodeConfig paths = NodeConfig.builder(dataDirectory).build();
            final Path to = archiveDirectory != null ? archiveDirectory : dataDirectory.resolve("journal-archive");
            try
            {
                if (!Files.isDirectory(paths.journalDirectory()))
                {
                    err.println("ERROR no journal in " + paths.journalDirectory());
                    return 1;
                }
                // The ledger must recover from its snapshots and what stays of the journal: prove it first.
                final Recovery.Recovered recovered = Recovery.recover(limits.toConfig(dataDirectory),
                    paths.snapshotDirectory(), paths.journalDirectory(), false);
                if (recovered.snapshot() == null)
                {
                    out.println("no usable snapshot: the ledger recovers from the journal alone, so nothing is " +
                        "archived (snapshots are taken while the node runs, and at shutdown)");
                    return 0;
                }
                long covered = oldestSnapshot(paths, err);
                String why = "the oldest snapshot kept holds the state up to sequence " + covered;
                if (Files.isDirectory(paths.recordDirectory()))
                {
                    try (TransferRecordStore record = TransferRecordStore.open(paths.recordDirectory()))
                    {
                        if (record.position() < covered)
                        {
                            covered = record.position();
                            why = "the permanent record reaches sequence " + covered;
                        }
                    }
                }
                final JournalArchive.Moved moved = JournalArchive.archive(paths.journalDirectory(), to, covered);
                out.println("covered: " + why);
                for (final Path file : moved.files())
                {
                    out.println("moved " + file);
                }
                out.printf("archived %d files to %s; the journal now starts at sequence %d%n",
                    moved.files().size(), to, moved.firstSequence());
                return 0;
            }
            catch (final JournalCorruptedException ex)
            {
                err.println("CORRUPT " + ex.getMessage());
                return 1;
            }
            catch (final RuntimeException ex)
            {
                err.println("ERROR " + ex.getMessage());
                return 1;
            }
        }

        /**
         * @return the sequence of the oldest snapshot that verifies: recovery may fall back to any snapshot kept, so
         * the journal after each must stay.
         */
        private static long oldestSnapshot(final NodeConfig paths, final PrintWriter err)
        {
            long oldest = Long.MAX_VALUE;
            for (final Path file : SnapshotStore.list(paths.snapshotDirectory()))
            {
                try
                {
                    oldest = Math.min(oldest, SnapshotStore.verify(file).sequence());
                }
                catch (final SnapshotCorruptedException | UncheckedIOException ex)
                {
                    err.println("passing over snapshot " + file.getFileName() + ": " + ex.getMessage());
                }
            }
            return oldest;
        }
    }

    @Command(name = "dump", mixinStandardHelpOptions = true,
        description = "Print journaled commands in human-readable form.")
    static final class Dump implements Callable<Integer>
    {
        @Option(names = "--data-dir", required = true, description = "The node's data directory.")
        Path dataDirectory;

        @Option(names = "--from", description = "First sequence to print (default: ${DEFAULT-VALUE}).")
        long from = 1;

        @Option(names = "--limit", description = "Most commands to print (default: ${DEFAULT-VALUE}).")
        long limit = 100;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        private final MessageHeaderDecoder header = new MessageHeaderDecoder();
        private final CreateAccountsDecoder accounts = new CreateAccountsDecoder();
        private final CreateTransfersDecoder transfers = new CreateTransfersDecoder();

        @Override
        public Integer call()
        {
            final PrintWriter out = spec.commandLine().getOut();
            final Path journal = NodeConfig.builder(dataDirectory).build().journalDirectory();
            if (from < 1 || limit < 0)
            {
                spec.commandLine().getErr().println("--from must be at least 1 and --limit not negative");
                return 2;
            }
            if (!Files.isDirectory(journal))
            {
                spec.commandLine().getErr().println("no journal in " + journal);
                return 1;
            }
            try (JournalReader reader = JournalReader.open(journal);
                JournalFollower follower = reader.follow(from))
            {
                final JournalEntryHandler handler = new Printer(out);
                long printed = 0;
                while (printed < limit)
                {
                    final int polled = follower.poll(handler, (int)Math.min(1024, limit - printed));
                    if (polled == 0)
                    {
                        break;
                    }
                    printed += polled;
                }
                out.flush();
                final String held = follower.heldRecordProblem();
                if (printed < limit && held != null)
                {
                    spec.commandLine().getErr().println("CORRUPT last record: " + held + " (a torn tail: a node " +
                        "starting on it drops it if it was written with durability batch, never acknowledged, and " +
                        "refuses it if written with none, unless told to truncate one last record)");
                    return 1;
                }
                return 0;
            }
            catch (final JournalCorruptedException | UncheckedIOException ex)
            {
                out.flush();
                spec.commandLine().getErr().println("CORRUPT " + ex.getMessage());
                return 1;
            }
        }

        /**
         * One line per entry, as {@link #print}, and one per open or cut record, marked with {@code --}.
         */
        private final class Printer implements JournalEntryHandler
        {
            private final PrintWriter out;

            Printer(final PrintWriter out)
            {
                this.out = out;
            }

            @Override
            public void onEntry(
                final long sequence, final long timestamp, final int templateId, final DirectBuffer command,
                final int offset, final int length, final int noteLength)
            {
                print(out, sequence, timestamp, command, offset, length);
                if (noteLength >= RecallNote.HEADER_LENGTH)
                {
                    final int at = offset + length;
                    final int lookedUp = command.getInt(at + RecallNote.ENTRIES_OFFSET, RecallNote.BYTE_ORDER);
                    if (lookedUp > 0)
                    {
                        out.printf("   recall: %d ids looked up in the record (which held everything to %d), %d " +
                            "found%n", lookedUp, command.getLong(at + RecallNote.RECORD_TIMESTAMP_OFFSET,
                            RecallNote.BYTE_ORDER), command.getInt(at + RecallNote.FOUND_OFFSET, RecallNote.BYTE_ORDER));
                    }
                }
            }

            @Override
            public void onOpened(final long index, final JournalDurability durability, final long nextSequence)
            {
                out.printf("-- journal opened for writing, durability %s (index 0x%x)%n",
                    durability.name().toLowerCase(Locale.ROOT), index);
            }

            @Override
            public void onDropped(
                final long index, final long nextSequence, final long firstDroppedIndex, final long documents)
            {
                out.println("-- dropped " + Recovery.describeDrop(index, nextSequence, firstDroppedIndex, documents));
            }

            @Override
            public void onSkipped(final long sequence, final long timestamp, final int templateId)
            {
                final RequestType type = RequestType.of(templateId);
                out.printf("-- entry %d (%s, engine time %d) is skipped: the ledger passes over it (wallet recover " +
                    "--skip)%n", sequence, type == null ? "template " + templateId : type.messageName(), timestamp);
            }
        }

        private void print(
            final PrintWriter out,
            final long sequence,
            final long timestamp,
            final DirectBuffer command,
            final int offset,
            final int length)
        {
            header.wrap(command, offset);
            final String time = Instant.ofEpochSecond(0, timestamp).toString();
            if (header.templateId() == CreateAccountsDecoder.TEMPLATE_ID)
            {
                accounts.wrapAndApplyHeader(command, offset, header);
                final CreateAccountsDecoder.AccountsDecoder events = accounts.accounts();
                out.printf("#%d %s CreateAccounts correlationId=%d accounts=%d%n",
                    sequence, time, accounts.correlationId(), events.count());
                int i = 0;
                for (final CreateAccountsDecoder.AccountsDecoder a : events)
                {
                    out.printf("  [%d] id=%d currency=%d code=%d flags=%s userData=%d%n",
                        i++, a.id(), a.currency(), a.code(), a.flags().appendTo(new StringBuilder()), a.userData());
                }
            }
            else if (header.templateId() == CreateTransfersDecoder.TEMPLATE_ID)
            {
                transfers.wrapAndApplyHeader(command, offset, header);
                final CreateTransfersDecoder.TransfersDecoder events = transfers.transfers();
                out.printf("#%d %s CreateTransfers correlationId=%d transfers=%d%n",
                    sequence, time, transfers.correlationId(), events.count());
                int i = 0;
                for (final CreateTransfersDecoder.TransfersDecoder t : events)
                {
                    out.printf("  [%d] id=%s debit=%d credit=%d amount=%d currency=%d code=%d flags=%s " +
                        "pendingId=%s timeout=%d userData128=%s userData64=%d userData32=%d%n",
                        i++, id(t.id().hi(), t.id().lo()), t.debitAccountId(), t.creditAccountId(), t.amount(),
                        t.currency(), t.code(), t.flags().appendTo(new StringBuilder()),
                        id(t.pendingId().hi(), t.pendingId().lo()), t.timeout(),
                        id(t.userData128().hi(), t.userData128().lo()), t.userData64(), t.userData32());
                }
            }
            else
            {
                final RequestType type = RequestType.of(header.templateId());
                out.printf("#%d %s %s (%d bytes)%n", sequence, time,
                    type == null ? "template " + header.templateId() : type.messageName(), length);
            }
        }

        private static String id(final long hi, final long lo)
        {
            return hi == 0 ? Long.toUnsignedString(lo) :
                new java.math.BigInteger(Long.toUnsignedString(hi)).shiftLeft(64)
                    .add(new java.math.BigInteger(Long.toUnsignedString(lo))).toString();
        }
    }
}
