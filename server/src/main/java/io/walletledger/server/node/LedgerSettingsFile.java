package io.walletledger.server.node;

import io.walletledger.engine.LedgerConfig;
import io.walletledger.protocol.Currency;
import io.walletledger.protocol.CurrencyRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The settings that decide outcomes, as the ledger was created with them: the engine's limits (a full table refuses,
 * the idempotency window decides which ids the record is asked about) and the currency registry (an unknown currency
 * refuses). The journal's first entries were decided under them, so a replay from the start needs them: a node keeps
 * them in {@code ledger-settings} beside the journal, written once when the journal is new. Every later change is
 * journaled ({@code SetLedgerSettings}, which the node writes when it starts under other settings) and kept by the
 * snapshots, so a replay changes them where the live ledger did.
 */
public final class LedgerSettingsFile
{
    public static final String FILE_NAME = "ledger-settings";

    private static final Logger LOG = LoggerFactory.getLogger(LedgerSettingsFile.class);

    private LedgerSettingsFile()
    {
    }

    /**
     * @return the settings as the file keeps them: one per line, currencies sorted by numeric code.
     */
    static String describe(final LedgerConfig config)
    {
        final StringBuilder out = new StringBuilder("# The settings this ledger was created with; the journal " +
            "records every change since (SetLedgerSettings).\n")
            .append("accounts-max = ").append(config.accountsMax()).append('\n')
            .append("idempotency-window = ").append(config.idempotencyWindow()).append('\n')
            .append("pending-transfers-max = ").append(config.pendingTransfersMax()).append('\n')
            .append("batch-events-max = ").append(config.batchEventsMax()).append('\n')
            .append("limited-accounts-max = ").append(config.limitedAccountsMax()).append('\n')
            .append("velocity-debits-max = ").append(config.velocityDebitsMax()).append('\n');
        final List<Currency> currencies = new ArrayList<>(config.currencies().currencies());
        currencies.sort(Comparator.comparingInt(Currency::numericCode));
        for (final Currency currency : currencies)
        {
            out.append("currency ").append(currency.alphaCode()).append(' ').append(currency.numericCode())
                .append(' ').append(currency.exponent()).append('\n');
        }
        return out.toString();
    }

    /**
     * @return the settings the ledger in {@code dataDirectory} was created with, with the configured hash seed; the
     * configured ones, recorded now, for a new ledger (or one of an earlier build, which never changed its settings:
     * it refused to start under others).
     * @param journalEntries whether the journal holds any entry.
     */
    static LedgerConfig created(final Path dataDirectory, final LedgerConfig configured, final boolean journalEntries)
    {
        final LedgerConfig recorded = read(dataDirectory);
        if (recorded != null)
        {
            return LedgerConfig.builder().accountsMax(recorded.accountsMax())
                .idempotencyWindow(recorded.idempotencyWindow()).pendingTransfersMax(recorded.pendingTransfersMax())
                .batchEventsMax(recorded.batchEventsMax()).limitedAccountsMax(recorded.limitedAccountsMax())
                .velocityDebitsMax(recorded.velocityDebitsMax()).currencies(recorded.currencies())
                .hashSeed(configured.hashSeed()).build();
        }
        final Path file = dataDirectory.resolve(FILE_NAME);
        if (journalEntries)
        {
            LOG.warn("{} does not say which settings this ledger was created with (data of an earlier build, which " +
                "kept its settings for life): recording the configured ones, {}", file, configured);
        }
        try
        {
            write(file, describe(configured));
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot write " + file, ex);
        }
        return configured;
    }

    /**
     * @return the settings a data directory's ledger was created with, or null if it does not say (no
     * {@link #FILE_NAME}: a new directory, or one of an earlier build).
     * @throws IllegalStateException if the file cannot be read as one.
     */
    public static LedgerConfig read(final Path dataDirectory)
    {
        final Path file = dataDirectory.resolve(FILE_NAME);
        if (!Files.exists(file))
        {
            return null;
        }
        try
        {
            final String text = Files.readString(file, StandardCharsets.UTF_8);
            final LedgerConfig.Builder builder = LedgerConfig.builder();
            final CurrencyRegistry.Builder currencies = CurrencyRegistry.empty();
            for (final String line : text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList())
            {
                final String[] words = line.split(" ");
                if (words.length == 4 && words[0].equals("currency"))
                {
                    currencies.add(words[1], Integer.parseInt(words[2]), Integer.parseInt(words[3]));
                    continue;
                }
                if (words.length != 3 || !words[1].equals("="))
                {
                    throw new IllegalStateException(file + " has a line it should not: " + line);
                }
                final int value = Integer.parseInt(words[2]);
                switch (words[0])
                {
                    case "accounts-max" -> builder.accountsMax(value);
                    case "idempotency-window" -> builder.idempotencyWindow(value);
                    case "pending-transfers-max" -> builder.pendingTransfersMax(value);
                    case "batch-events-max" -> builder.batchEventsMax(value);
                    case "limited-accounts-max" -> builder.limitedAccountsMax(value);
                    case "velocity-debits-max" -> builder.velocityDebitsMax(value);
                    default -> throw new IllegalStateException(file + " names a setting it should not: " + line);
                }
            }
            final LedgerConfig config = builder.currencies(currencies.build()).build();
            if (!withoutComments(describe(config)).equals(withoutComments(text)))
            {
                throw new IllegalStateException(file + " does not read back as it was written: edit nothing in it");
            }
            return config;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read " + file, ex);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalStateException(file + " is not what a node writes: " + ex.getMessage(), ex);
        }
    }

    private static String withoutComments(final String text)
    {
        return String.join("\n", text.lines().filter(line -> !line.startsWith("#")).toList());
    }

    private static void write(final Path file, final String content) throws IOException
    {
        final Path temporary = file.resolveSibling(FILE_NAME + ".tmp");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING))
        {
            channel.write(java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel directory = FileChannel.open(file.getParent(), StandardOpenOption.READ))
        {
            directory.force(true);
        }
    }
}
