package io.walletledger.client;

import io.walletledger.server.node.LedgerNode;
import io.walletledger.server.node.NodeConfig;
import io.netty.handler.ssl.SslContext;
import io.walletledger.engine.LedgerConfig;
import io.walletledger.gateway.GatewayContext;
import io.walletledger.gateway.binary.BinaryGateway;
import io.walletledger.gateway.binary.BinarySettings;
import io.walletledger.gateway.security.GatewaySecurity;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The real server for tests: a {@link LedgerNode} with its journal in a temporary directory, behind the binary
 * gateway on 127.0.0.1. The gateway can be stopped and started again on the same port while the node runs on.
 */
final class LoopbackLedger implements AutoCloseable
{
    static final int USD = 840;
    static final int EUR = 978;

    private final LedgerNode node;
    private final int batchEventsMax;
    private final SslContext tls;
    private final GatewaySecurity security;
    private BinaryGateway gateway;
    private int port;

    private LoopbackLedger(
        final LedgerNode node, final int batchEventsMax, final SslContext tls, final GatewaySecurity security)
    {
        this.security = security;
        this.node = node;
        this.batchEventsMax = batchEventsMax;
        this.tls = tls;
    }

    /**
     * Starts a node with small limits and the default batch limit, and a gateway on a free port.
     */
    static LoopbackLedger start(final Path dataDirectory)
    {
        return start(dataDirectory, WalletClientOptions.BATCH_EVENTS_MAX_DEFAULT, 0);
    }

    /**
     * @param port the gateway's port; 0 for a free one.
     */
    static LoopbackLedger start(final Path dataDirectory, final int batchEventsMax, final int port)
    {
        return start(dataDirectory, batchEventsMax, port, null);
    }

    /**
     * @param tls the gateway's TLS context; null for plain TCP.
     */
    static LoopbackLedger start(final Path dataDirectory, final int batchEventsMax, final int port, final SslContext tls)
    {
        return start(dataDirectory, batchEventsMax, port, tls, GatewaySecurity.development());
    }

    /**
     * @param security who may connect: {@link GatewaySecurity#development()} everywhere but the authentication tests.
     */
    static LoopbackLedger start(
        final Path dataDirectory,
        final int batchEventsMax,
        final int port,
        final SslContext tls,
        final GatewaySecurity security)
    {
        return start(dataDirectory, batchEventsMax, port, tls, security, 1 << 16, false);
    }

    /**
     * Starts a node that keeps the permanent record, with an idempotency window this small (so that the engine soon
     * forgets transfers the record still holds).
     */
    static LoopbackLedger startWithRecord(final Path dataDirectory, final int idempotencyWindow)
    {
        return start(dataDirectory, WalletClientOptions.BATCH_EVENTS_MAX_DEFAULT, 0, null,
            GatewaySecurity.development(), idempotencyWindow, true);
    }

    private static LoopbackLedger start(
        final Path dataDirectory,
        final int batchEventsMax,
        final int port,
        final SslContext tls,
        final GatewaySecurity security,
        final int idempotencyWindow,
        final boolean record)
    {
        final LedgerConfig ledger = LedgerConfig.builder()
            .accountsMax(4096)
            .idempotencyWindow(idempotencyWindow)
            .pendingTransfersMax(1024)
            .batchEventsMax(batchEventsMax)
            .build();
        // No follower snapshots: fewer threads on a small test machine; the final snapshot is still written.
        final LedgerNode node = LedgerNode.start(NodeConfig.builder(dataDirectory).ledger(ledger)
            .snapshotEveryCommands(0).snapshotInterval(Duration.ZERO).record(record).build());
        final LoopbackLedger ledgerServer = new LoopbackLedger(node, batchEventsMax, tls, security);
        try
        {
            ledgerServer.startGateway(port);
        }
        catch (final RuntimeException ex)
        {
            node.close();
            throw ex;
        }
        return ledgerServer;
    }

    int port()
    {
        return port;
    }

    /**
     * Closes the gateway and every client connection; the node keeps its state.
     */
    void stopGateway()
    {
        gateway.close();
        gateway = null;
    }

    /**
     * Closes the node but leaves the gateway listening, as during a shutdown: the gateway answers every request
     * {@code BUSY} ("the ledger is shutting down") and hangs up.
     */
    void stopNode()
    {
        node.close();
    }

    /**
     * Starts the gateway again on the port it had.
     */
    void restartGateway()
    {
        startGateway(port);
    }

    private void startGateway(final int port)
    {
        final GatewayContext context = GatewayContext.of(node, security);
        gateway = BinaryGateway.start(new GatewayContext(node, security, context.metrics(), context.currencies(),
            context.healthy(), context.notReady(), node.archive()),
            BinarySettings.loopback(batchEventsMax).withPort(port).withTls(tls), 1);
        this.port = gateway.address().getPort();
    }

    @Override
    public void close()
    {
        if (gateway != null)
        {
            stopGateway();
        }
        node.close();
    }
}
