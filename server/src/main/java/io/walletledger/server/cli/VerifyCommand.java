package io.walletledger.server.cli;

import io.walletledger.server.node.NodeConfig;
import io.walletledger.server.node.Recovery;
import io.walletledger.engine.LedgerConfig;
import io.walletledger.journal.JournalCorruptedException;
import io.walletledger.journal.JournalReader;
import io.walletledger.protocol.Currency;
import io.walletledger.snapshot.SnapshotCorruptedException;
import io.walletledger.snapshot.SnapshotInfo;
import io.walletledger.snapshot.SnapshotStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code wallet verify}: checks every snapshot's checksum, recovers the ledger (newest valid snapshot, then the
 * journal after it, every entry verified), replays the whole journal alone as well and compares the two states
 * (unless the journal's first files were archived: then from the snapshot on only), and prints what the ledger
 * holds. Exit status 1 on any corruption or mismatch, or if the books do not balance.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = "Verify a data directory: snapshot and journal checksums, recovery, totals per currency.")
final class VerifyCommand implements Callable<Integer>
{
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
        final LedgerConfig config;
        try
        {
            config = limits.toConfig(dataDirectory);
        }
        catch (final IllegalStateException | UncheckedIOException ex)
        {
            err.println("ERROR " + ex.getMessage());
            return 1;
        }
        boolean healthy = true;

        for (final Path file : SnapshotStore.list(paths.snapshotDirectory()))
        {
            try
            {
                final SnapshotInfo info = SnapshotStore.verify(file);
                out.printf("snapshot %s: sequence %d, %d accounts, checksum ok%n",
                    file.getFileName(), info.sequence(), info.accounts());
            }
            catch (final UncheckedIOException ex)
            {
                if (ex.getCause() instanceof NoSuchFileException)
                {
                    out.printf("snapshot %s: deleted meanwhile by the node's retention%n", file.getFileName());
                }
                else
                {
                    err.println("CORRUPT " + ex.getMessage());
                    healthy = false;
                }
            }
            catch (final SnapshotCorruptedException ex)
            {
                err.println("CORRUPT " + ex.getMessage());
                healthy = false;
            }
        }

        final Recovery.Recovered recovered;
        try
        {
            recovered = Recovery.recover(config, paths.snapshotDirectory(), paths.journalDirectory(), false);
        }
        catch (final JournalCorruptedException ex)
        {
            err.println("CORRUPT " + ex.getMessage());
            return 1;
        }
        catch (final IllegalStateException | UncheckedIOException ex)
        {
            err.println("ERROR " + ex.getMessage());
            return 1;
        }
        for (final String reason : recovered.passedOver())
        {
            err.println("UNUSABLE " + reason);
            healthy = false;
        }

        out.printf("recovered from %s, then %d journal entries, in %d ms%n",
            recovered.snapshot() == null ? "an empty ledger" : "snapshot " + recovered.snapshot().file().getFileName(),
            recovered.replayedCommands(), TimeUnit.NANOSECONDS.toMillis(recovered.nanos()));
        out.printf("last sequence:          %d%n", recovered.sequence());
        out.printf("accounts:               %d%n", recovered.engine().accountCount());
        out.printf("remembered transfers:   %d (the idempotency window)%n",
            recovered.engine().rememberedTransferCount());
        out.printf("open holds:             %d%n", recovered.engine().pendingTransferCount());
        out.printf("state hash:             %016x%n", recovered.engine().stateHash());
        List<String> drops = recovered.journalDrops();
        final long journalFirst = journalFirstSequence(paths);
        if (recovered.snapshot() != null && journalFirst > 1)
        {
            out.printf("journal alone:          starts at sequence %d (the entries before were archived): verified " +
                "from the snapshot on%n", journalFirst);
        }
        else if (recovered.snapshot() != null)
        {
            // The snapshot let recovery skip the journal before it: read all of it too, from the first entry.
            final Recovery.Recovered alone = replayJournalAlone(config, paths, recovered, out, err);
            healthy &= alone != null;
            drops = alone == null ? drops : alone.journalDrops();
        }
        for (final String drop : drops)
        {
            out.println("journal drop:           " + drop);
        }

        final Map<Integer, BigInteger[]> totals = new TreeMap<>();
        recovered.engine().forEachAccount((id, currency, flags, status, debitsPending, debitsPosted,
            creditsPending, creditsPosted) ->
        {
            final BigInteger[] sums = totals.computeIfAbsent(currency, c -> new BigInteger[] {
                BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO });
            final long balance = creditsPosted - debitsPosted;
            sums[0] = sums[0].add(BigInteger.valueOf(debitsPosted));
            sums[1] = sums[1].add(BigInteger.valueOf(creditsPosted));
            if (balance > 0)
            {
                sums[2] = sums[2].add(BigInteger.valueOf(balance));
            }
            sums[3] = sums[3].add(BigInteger.valueOf(debitsPending));
            sums[4] = sums[4].add(BigInteger.valueOf(creditsPending));
        });
        for (final Map.Entry<Integer, BigInteger[]> entry : totals.entrySet())
        {
            final BigInteger[] sums = entry.getValue();
            final boolean balanced = sums[0].equals(sums[1]) && sums[3].equals(sums[4]);
            final int code = entry.getKey();
            out.printf("%-4s debits posted %s, credits posted %s, held in accounts with a positive balance %s, " +
                "pending debits %s, pending credits %s%s%n", name(config, code), major(config, code, sums[0]),
                major(config, code, sums[1]), major(config, code, sums[2]), major(config, code, sums[3]),
                major(config, code, sums[4]), balanced ? "" : "  UNBALANCED");
            healthy &= balanced;
        }
        out.println(healthy ? "OK" : "FAILED");
        return healthy ? 0 : 1;
    }

    private static long journalFirstSequence(final NodeConfig paths)
    {
        if (!Files.isDirectory(paths.journalDirectory()))
        {
            return 1;
        }
        try (JournalReader reader = JournalReader.open(paths.journalDirectory()))
        {
            return reader.firstSequence();
        }
    }

    /**
     * @return the journal replayed alone, or null if it is corrupt or ends elsewhere than the recovery.
     */
    private static Recovery.Recovered replayJournalAlone(
        final LedgerConfig config,
        final NodeConfig paths,
        final Recovery.Recovered recovered,
        final PrintWriter out,
        final PrintWriter err)
    {
        final Recovery.Recovered alone;
        try
        {
            alone = Recovery.recover(config, null, paths.journalDirectory(), false);
        }
        catch (final JournalCorruptedException ex)
        {
            err.println("CORRUPT " + ex.getMessage());
            return null;
        }
        if (alone.sequence() != recovered.sequence() || alone.engine().stateHash() != recovered.engine().stateHash())
        {
            err.printf("MISMATCH the journal alone replays to state hash %016x at sequence %d, the snapshot and the " +
                "journal after it to %016x at sequence %d%n", alone.engine().stateHash(), alone.sequence(),
                recovered.engine().stateHash(), recovered.sequence());
            return null;
        }
        out.printf("journal alone:          every entry from 1 verified, same state hash (%d ms)%n",
            TimeUnit.NANOSECONDS.toMillis(alone.nanos()));
        return alone;
    }

    private static String name(final LedgerConfig config, final int numericCode)
    {
        return config.currencies().isKnown(numericCode) ?
            config.currencies().byNumericCode(numericCode).alphaCode() : Integer.toString(numericCode);
    }

    private static String major(final LedgerConfig config, final int numericCode, final BigInteger minorUnits)
    {
        if (!config.currencies().isKnown(numericCode))
        {
            return minorUnits.toString();
        }
        final Currency currency = config.currencies().byNumericCode(numericCode);
        return new BigDecimal(minorUnits, currency.exponent()).toPlainString();
    }
}
