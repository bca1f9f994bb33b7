package io.walletledger.server.cli;

import io.walletledger.engine.LedgerConfig;
import picocli.CommandLine.Option;

/**
 * The engine limits a tool needs to rebuild a ledger exactly as the node ran it: a snapshot loads only under the
 * limits it was taken with, and a replay under other limits can decide differently.
 */
final class LedgerLimitsOptions
{
    private static final LedgerConfig DEFAULTS = LedgerConfig.builder().build();

    @Option(names = "--accounts-max", description = "Account capacity the node ran with (default: ${DEFAULT-VALUE}).")
    int accountsMax = DEFAULTS.accountsMax();

    @Option(names = "--idempotency-window", description = "Idempotency window the node ran with " +
        "(default: ${DEFAULT-VALUE}).")
    int idempotencyWindow = DEFAULTS.idempotencyWindow();

    @Option(names = "--pending-transfers-max", description = "Open-hold capacity the node ran with " +
        "(default: ${DEFAULT-VALUE}).")
    int pendingTransfersMax = DEFAULTS.pendingTransfersMax();

    @Option(names = "--batch-events-max", description = "Largest batch the node accepted (default: ${DEFAULT-VALUE}).")
    int batchEventsMax = DEFAULTS.batchEventsMax();

    LedgerConfig toConfig()
    {
        return LedgerConfig.builder()
            .accountsMax(accountsMax)
            .idempotencyWindow(idempotencyWindow)
            .pendingTransfersMax(pendingTransfersMax)
            .batchEventsMax(batchEventsMax)
            .build();
    }
}
