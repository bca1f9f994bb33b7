package io.walletledger.server.cli;

import io.walletledger.engine.LedgerConfig;
import io.walletledger.journal.CommandJournal;
import io.walletledger.journal.JournalDurability;
import io.walletledger.journal.JournalReader;
import io.walletledger.journal.JournalSkips;
import io.walletledger.protocol.RequestType;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.protocol.sbe.SkipJournalEntriesEncoder;
import io.walletledger.server.node.JournalEntryFailedException;
import io.walletledger.server.node.NodeConfig;
import io.walletledger.server.node.Recovery;
import org.agrona.concurrent.UnsafeBuffer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code wallet recover --skip SEQ}: the way past a journal entry the engine fails on, at which recovery would stop at
 * every start. Only with the node stopped (it takes the journal's writer lock), and only for the entry at which
 * recovery is shown to fail, so no entry the ledger can apply is ever passed over: the entry that failed was never
 * acknowledged (the node halted before answering it). It journals a {@code SkipJournalEntries} command naming the
 * entry, then lists the entry in the journal's {@code skipped-entries} file, which every reader of the journal
 * honours; then recovery goes on past it, and the entries after it are applied.
 */
@Command(name = "recover", mixinStandardHelpOptions = true,
    description = "Get a stopped node past a journal entry that its engine fails on: recovery is tried, and only the " +
        "entry it fails at may be skipped; the skip is journaled.")
final class RecoverCommand implements Callable<Integer>
{
    @Option(names = "--skip", required = true, paramLabel = "SEQ",
        description = "The journal sequence of the entry to pass over: the one a failed start names.")
    long skip;

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
        try
        {
            final LedgerConfig config = limits.toConfig(dataDirectory);
            // The writer lock first: a running node holds it, and the journal must not move while it is judged.
            try (CommandJournal journal = CommandJournal.open(paths.journalDirectory(), JournalDurability.BATCH))
            {
                final JournalEntryFailedException failure;
                try
                {
                    Recovery.recover(config, paths.snapshotDirectory(), paths.journalDirectory(), false);
                    err.println("ERROR recovery goes through every journal entry: there is nothing to skip");
                    return 1;
                }
                catch (final JournalEntryFailedException ex)
                {
                    failure = ex;
                }
                if (failure.sequence() != skip)
                {
                    err.println("ERROR recovery fails at journal entry " + failure.sequence() + ", not " + skip +
                        ": only the entry recovery fails at may be skipped (" + failure.getCause() + ")");
                    return 1;
                }
                final long last = lastTimestamp(paths.journalDirectory(), skip);
                final long sequence = journalSkip(journal, failure, last);
                JournalSkips.add(paths.journalDirectory(), skip);
                final RequestType type = RequestType.of(failure.templateId());
                out.printf("skipped journal entry %d (%s, engine time %d), which the engine fails on: %s%n", skip,
                    type == null ? "template " + failure.templateId() : type.messageName(), failure.timestamp(),
                    failure.getCause());
                out.printf("journaled the skip as entry %d (SkipJournalEntries); listed in %s%n", sequence,
                    paths.journalDirectory().resolve(JournalSkips.FILE_NAME));
            }
            // Proof that the ledger now recovers; another entry may fail the same way, and is named.
            final Recovery.Recovered recovered =
                Recovery.recover(config, paths.snapshotDirectory(), paths.journalDirectory(), false);
            out.printf("recovery now goes through every entry, to sequence %d; state hash %016x%n",
                recovered.sequence(), recovered.engine().stateHash());
            return 0;
        }
        catch (final JournalEntryFailedException ex)
        {
            err.println("ERROR after the skip, " + ex.getMessage());
            return 1;
        }
        catch (final IllegalStateException | IllegalArgumentException | UncheckedIOException ex)
        {
            err.println("ERROR " + ex.getMessage());
            return 1;
        }
    }

    /**
     * @return the engine timestamp of the journal's last entry, from {@code from} on.
     */
    private static long lastTimestamp(final Path journalDirectory, final long from)
    {
        final long[] last = new long[1];
        try (JournalReader reader = JournalReader.open(journalDirectory))
        {
            reader.replay(from, (sequence, timestamp, templateId, command, offset, length, noteLength) ->
                last[0] = Math.max(last[0], timestamp));
        }
        return last[0];
    }

    /**
     * Journals, durably, the command that records the skip.
     *
     * @return its sequence.
     */
    private static long journalSkip(
        final CommandJournal journal, final JournalEntryFailedException failure, final long lastTimestamp)
    {
        final UnsafeBuffer command = new UnsafeBuffer(new byte[64]);
        final SkipJournalEntriesEncoder encoder = new SkipJournalEntriesEncoder()
            .wrapAndApplyHeader(command, 0, new MessageHeaderEncoder()).correlationId(failure.sequence());
        encoder.entriesCount(1).next().sequence(failure.sequence()).templateId(failure.templateId());
        final long timestamp = Math.max(System.currentTimeMillis() * 1_000_000L, lastTimestamp + 1);
        final long sequence = journal.append(timestamp, command, 0,
            MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
        journal.flush();
        return sequence;
    }
}
