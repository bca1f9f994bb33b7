package io.walletledger.server.cli;

import io.walletledger.config.SettingsException;
import io.walletledger.config.WalletSettings;
import io.walletledger.engine.LedgerConfig;
import io.walletledger.server.WalletServer;
import io.walletledger.server.node.LedgerSettingsFile;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * The engine limits a tool needs to rebuild a ledger exactly as the node ran it: a snapshot loads only under the
 * limits it was taken with, and a replay under other limits can decide differently. A data directory whose node
 * recorded them ({@link LedgerSettingsFile}) needs none of these flags; one that does not (an earlier build's) takes
 * them from the flags, else from the node's settings file ({@code --config}, the one {@code wallet server} ran with,
 * which also gives the data directory), else the defaults.
 */
final class LedgerLimitsOptions
{
    private static final LedgerConfig DEFAULTS = LedgerConfig.builder().build();

    @Option(names = "--data-dir", description = "The node's data directory (default: the one of --config).")
    Path dataDirectoryOption;

    @Option(names = "--config", paramLabel = "FILE", description = "The settings file the node ran with: its limits " +
        "and currencies (when the data directory does not record them) and its data directory (when --data-dir is " +
        "not given).")
    Path configFile;

    private WalletSettings settings;

    @Option(names = "--accounts-max", description = "Account capacity the node ran with (default: what the data " +
        "directory's ledger-settings say, else the engine's default).")
    Integer accountsMax;

    @Option(names = "--idempotency-window", description = "Idempotency window the node ran with (default: what the " +
        "data directory's ledger-settings say, else the engine's default).")
    Integer idempotencyWindow;

    @Option(names = "--pending-transfers-max", description = "Open-hold capacity the node ran with (default: what " +
        "the data directory's ledger-settings say, else the engine's default).")
    Integer pendingTransfersMax;

    @Option(names = "--batch-events-max", description = "Largest batch the node accepted (default: what the data " +
        "directory's ledger-settings say, else the engine's default).")
    Integer batchEventsMax;

    /**
     * @return the settings of {@code dataDirectory}'s ledger-settings, or of the flags and defaults without one.
     * @throws IllegalStateException if a flag contradicts the ledger-settings.
     */
    LedgerConfig toConfig(final Path dataDirectory)
    {
        final LedgerConfig recorded = LedgerSettingsFile.read(dataDirectory);
        if (recorded == null)
        {
            final LedgerConfig base = settings() == null ? DEFAULTS : WalletServer.ledgerConfig(settings());
            return LedgerConfig.builder()
                .accountsMax(accountsMax != null ? accountsMax : base.accountsMax())
                .idempotencyWindow(idempotencyWindow != null ? idempotencyWindow : base.idempotencyWindow())
                .pendingTransfersMax(pendingTransfersMax != null ? pendingTransfersMax : base.pendingTransfersMax())
                .batchEventsMax(batchEventsMax != null ? batchEventsMax : base.batchEventsMax())
                .limitedAccountsMax(base.limitedAccountsMax())
                .velocityDebitsMax(base.velocityDebitsMax())
                .currencies(base.currencies())
                .build();
        }
        check("--accounts-max", accountsMax, recorded.accountsMax(), dataDirectory);
        check("--idempotency-window", idempotencyWindow, recorded.idempotencyWindow(), dataDirectory);
        check("--pending-transfers-max", pendingTransfersMax, recorded.pendingTransfersMax(), dataDirectory);
        check("--batch-events-max", batchEventsMax, recorded.batchEventsMax(), dataDirectory);
        return recorded;
    }

    /**
     * @return the data directory: {@code --data-dir}, else the settings file's; or null, the problem printed to
     * {@code err}, if neither names one or the settings file is not valid.
     */
    Path dataDirectory(final PrintWriter err)
    {
        try
        {
            if (dataDirectoryOption != null)
            {
                return dataDirectoryOption;
            }
            if (settings() == null)
            {
                err.println("ERROR give the data directory: --data-dir DIR, or --config FILE of the node");
                return null;
            }
            return settings().dataDirectory();
        }
        catch (final SettingsException ex)
        {
            err.println("ERROR " + ex.getMessage());
            return null;
        }
    }

    /**
     * @return the settings file's settings, or null without {@code --config}.
     * @throws io.walletledger.config.SettingsException if the file is not valid.
     */
    private WalletSettings settings()
    {
        if (settings == null && configFile != null)
        {
            settings = WalletSettings.load(configFile);
        }
        return settings;
    }

    private static void check(final String flag, final Integer given, final int recorded, final Path dataDirectory)
    {
        if (given != null && given != recorded)
        {
            throw new IllegalStateException(flag + " " + given + " contradicts the " + recorded + " that " +
                dataDirectory.resolve(LedgerSettingsFile.FILE_NAME) + " says the journal was written under");
        }
    }
}
