package io.walletledger.server;

import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.walletledger.server.events.KafkaEventPublisher;
import io.walletledger.server.node.LedgerNode;
import io.walletledger.server.node.NodeConfig;
import io.walletledger.server.node.Recovery;
import io.walletledger.server.os.RealtimeScheduling;
import io.walletledger.server.os.WaitStrategyName;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.walletledger.config.JournalDurabilitySetting;
import io.walletledger.config.TornTailSetting;
import io.walletledger.config.WaitStrategySetting;
import io.walletledger.config.CurrencySetting;
import io.walletledger.config.TlsSetting;
import io.walletledger.config.WalletSettings;
import io.walletledger.engine.LedgerConfig;
import io.walletledger.gateway.GatewayContext;
import io.walletledger.gateway.GatewayMetrics;
import io.walletledger.gateway.binary.BinaryGateway;
import io.walletledger.gateway.binary.BinarySettings;
import io.walletledger.gateway.http.HttpGateway;
import io.walletledger.gateway.http.HttpSettings;
import io.walletledger.gateway.ServerTls;
import io.walletledger.gateway.security.ApiKey;
import io.walletledger.gateway.security.GatewaySecurity;
import io.walletledger.gateway.security.KeysFile;
import io.walletledger.gateway.security.KeyRateLimits;
import io.walletledger.config.SecurityModeSetting;
import io.walletledger.journal.JournalDurability;
import io.walletledger.journal.TornTailPolicy;
import io.walletledger.protocol.CurrencyRegistry;
import io.walletledger.protocol.ProtocolLimits;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;

/**
 * The whole server: the node (recovered from its data directory), the binary gateway and the HTTP API, wired from
 * {@link WalletSettings}. {@link #close()} stops taking connections, drains the node (every request it accepted is
 * answered on its connection) and writes its final snapshot, then writes out the replies and closes the connections.
 */
public final class WalletServer implements AutoCloseable
{
    private static final Logger LOG = LoggerFactory.getLogger(WalletServer.class);

    private final LedgerNode node;
    private final BinaryGateway binary;
    private final HttpGateway http;
    private final String recoveredSummary;
    private final boolean tls;
    private final KeysFileWatcher keysWatcher;
    /** Null unless the change stream is published to Kafka. */
    private final KafkaEventPublisher publisher;
    private boolean closed;

    private WalletServer(
        final LedgerNode node,
        final BinaryGateway binary,
        final HttpGateway http,
        final boolean tls,
        final KeysFileWatcher keysWatcher,
        final KafkaEventPublisher publisher)
    {
        this.tls = tls;
        this.keysWatcher = keysWatcher;
        this.publisher = publisher;
        this.node = node;
        this.binary = binary;
        this.http = http;
        final Recovery.Recovered recovered = node.recovered();
        // Counted now from what recovery reported: the engine belongs to the pipeline from here on.
        this.recoveredSummary = "recovered " + recovered.accounts() + " accounts at journal sequence " +
            recovered.sequence() + " in " + TimeUnit.NANOSECONDS.toMillis(recovered.nanos()) + " ms" +
            (node.droppedAtStart() == null ? "" : ", after dropping a torn journal tail of " +
            node.droppedAtStart().droppedDocuments() + " unacknowledged record(s) from sequence " +
            node.droppedAtStart().firstSequence());
    }

    /**
     * Recovers the node and opens both listeners.
     *
     * @throws IllegalStateException if recovery or binding fails (the message says why); nothing stays open.
     */
    public static WalletServer start(final WalletSettings settings)
    {
        final LedgerConfig ledger = ledgerConfig(settings);
        final PolicyBootstrap.Configured policies = PolicyBootstrap.configured(settings, ledger.currencies());
        // Before the node: a certificate that cannot be used stops start-up before anything is opened.
        final SslContext tls = tlsContext(settings);
        // Before the node too: without its keys the server would let nobody in.
        final GatewaySecurity security = security(settings);
        final LedgerNode node = LedgerNode.start(nodeConfig(settings, ledger).build());
        BinaryGateway binary = null;
        try
        {
            // Before any client connects: no request may see the ledger without its configured policies.
            PolicyBootstrap.apply(node, settings.batchEventsMax(),
                ProtocolLimits.messageLengthMax(settings.batchEventsMax()), policies);
            // One registry for /metrics: the node's counters, the gateways', and the JVM's (memory, GC, threads,
            // classes, process CPU and file descriptors).
            final PrometheusRegistry registry = new PrometheusRegistry();
            node.registerMetrics(registry);
            JvmMetrics.builder().register(registry);
            final GatewayContext context = new GatewayContext(node, security, new GatewayMetrics(registry),
                ledger.currencies(), () -> node.haltCause() == null, () -> notReady(node), node.archive());
            // No frame larger than the largest request the ledger takes: a larger setting would only let through
            // frames the node must refuse.
            final int requestMax = ProtocolLimits.messageLengthMax(settings.batchEventsMax());
            final int frameMax = settings.frameBytesMax() == 0 ? requestMax : Math.min(settings.frameBytesMax(),
                requestMax);
            binary = BinaryGateway.start(context, new BinarySettings(settings.host(), settings.port(),
                settings.batchEventsMax(), frameMax, settings.inFlightPerConnectionMax(),
                settings.writeBufferLowWaterMark(), settings.writeBufferHighWaterMark(),
                settings.slowConsumerTimeout(), settings.idleTimeout(), settings.connectionsMax(),
                settings.connectionsPerAddressMax(), tls), 1,
                RealtimeScheduling.threadFactory(
                    new DefaultThreadFactory("wallet-binary"), settings.realtimePriority()));
            final HttpGateway http = HttpGateway.start(context, new HttpSettings(settings.host(), settings.httpPort(),
                settings.batchEventsMax(), settings.httpBodyBytesMax(), settings.httpRequestTimeout(),
                settings.connectionsMax(), settings.connectionsPerAddressMax(), settings.idleTimeout(),
                settings.httpRequestReadTimeout(), tls));
            // Keys created or revoked with ./wallet keys apply without a restart.
            final KeysFileWatcher keysWatcher = security.required() ? KeysFileWatcher.start(settings.keysFile(), security) :
                null;
            final KafkaEventPublisher publisher = settings.kafkaEvents().isPresent() && node.record() != null ?
                new KafkaEventPublisher(node.record(), ledger.currencies(), settings.kafkaEvents().get(),
                    settings.dataDirectory().resolve("events")) : null;
            if (publisher != null)
            {
                publisher.registerMetrics(registry);
                publisher.start();
            }
            return new WalletServer(node, binary, http, tls != null, keysWatcher, publisher);
        }
        catch (final RuntimeException | Error ex)
        {
            if (binary != null)
            {
                binary.close();
            }
            node.close();
            throw ex;
        }
    }

    /**
     * @return the TLS context of both listeners, or null when {@code wallet.server.tls.enabled} is false.
     * @throws IllegalStateException naming the file that holds no usable certificate chain or key.
     */
    static SslContext tlsContext(final WalletSettings settings)
    {
        if (settings.tls().isEmpty())
        {
            return null;
        }
        final TlsSetting tls = settings.tls().get();
        try
        {
            return ServerTls.context(tls.certificate(), tls.privateKey());
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalStateException(ex.getMessage() + " (wallet.server.tls)", ex);
        }
    }

    /**
     * @return who may use the listeners: the keys of {@code wallet.security.keys-file}, or nobody checked in
     * development mode (which is logged loudly).
     * @throws IllegalStateException if authentication is required and the keys file is missing or unusable, or
     *                               development mode would listen on an address other than loopback unasked.
     */
    static GatewaySecurity security(final WalletSettings settings)
    {
        if (settings.securityMode() == SecurityModeSetting.DEVELOPMENT)
        {
            LOG.warn("*** DEVELOPMENT MODE: authentication is OFF; every client that reaches {} may do anything, " +
                "move any balance (wallet.security.mode = development) ***", settings.host());
            if (!isLoopback(settings.host()))
            {
                if (!settings.developmentOnNetwork())
                {
                    throw new IllegalStateException("development mode (no authentication) on " + settings.host() +
                        ", which is not a loopback address, would let anyone on the network move any balance: " +
                        "use wallet.security.mode = required with API keys (./wallet keys create), or listen on " +
                        "127.0.0.1; to accept the risk, set wallet.security.unsafe-development-mode-on-network = true");
                }
                LOG.warn("****** DANGER: DEVELOPMENT MODE ON A NON-LOOPBACK ADDRESS ({}): anyone on the network can " +
                    "move money (wallet.security.unsafe-development-mode-on-network = true). Use " +
                    "wallet.security.mode = required with API keys (./wallet keys create) ******", settings.host());
            }
            return GatewaySecurity.development();
        }
        final Path file = settings.keysFile();
        if (!Files.exists(file))
        {
            throw new IllegalStateException("authentication is required (wallet.security.mode = required) but the " +
                "keys file " + file + " does not exist; create a key with: ./wallet keys create --id admin " +
                "--roles admin --file " + file + " (or, on your own machine only, start with --dev)");
        }
        final Map<String, ApiKey> keys;
        try
        {
            keys = KeysFile.load(file);
        }
        catch (final IOException ex)
        {
            throw new IllegalStateException("cannot read the keys file " + file + ": " + ex.getMessage() +
                " (wallet.security.keys-file)", ex);
        }
        if (keys.isEmpty())
        {
            LOG.warn("the keys file {} holds no key: no client can authenticate", file);
        }
        LOG.info("authentication required: {} keys from {}", keys.size(), file);
        return GatewaySecurity.required(keys,
            KeyRateLimits.transfers(settings.defaultTransfersPerSecond(), settings.defaultBurst()),
            KeyRateLimits.reads(settings.readsPerSecond(), settings.readsBurst()), settings.connectionsPerKeyMax(),
            ServerSecret.of(settings.dataDirectory()));
    }

    private static boolean isLoopback(final String host)
    {
        try
        {
            return InetAddress.getByName(host).isLoopbackAddress();
        }
        catch (final UnknownHostException ex)
        {
            return false;
        }
    }

    /**
     * @return why the server should not be given traffic, or null: it has halted, or its snapshots (and with them
     * the permanent record) stopped. It answers at all only once recovered with both listeners open (the HTTP
     * listener opens last).
     */
    private static String notReady(final LedgerNode node)
    {
        if (node.haltCause() != null)
        {
            return "the ledger halted: " + node.haltCause() + " (restart the server; it recovers what the journal holds)";
        }
        if (node.failure() != null)
        {
            return "snapshots and the permanent record stopped: " + node.failure() + " (restart the server)";
        }
        return null;
    }

    /**
     * @return the engine's configuration from the settings; the hash seed as configured, else a random one.
     */
    public static LedgerConfig ledgerConfig(final WalletSettings settings)
    {
        final CurrencyRegistry.Builder currencies = CurrencyRegistry.withIsoDefaults();
        for (final CurrencySetting currency : settings.extraCurrencies())
        {
            currencies.add(currency.code(), currency.numeric(), currency.exponent());
        }
        return LedgerConfig.builder()
            .accountsMax(settings.accountsMax())
            .idempotencyWindow(settings.idempotencyWindow())
            .pendingTransfersMax(settings.pendingTransfersMax())
            .batchEventsMax(settings.batchEventsMax())
            .limitedAccountsMax(settings.limitedAccountsMax())
            .velocityDebitsMax(settings.velocityDebitsMax())
            .currencies(currencies.build())
            // A secret per process unless configured, so clients cannot aim ids at one place of the indexes.
            .hashSeed(settings.hashSeed().orElseGet(() -> new SecureRandom().nextLong()))
            .build();
    }

    static NodeConfig.Builder nodeConfig(final WalletSettings settings, final LedgerConfig ledger)
    {
        return NodeConfig.builder(settings.dataDirectory())
            .ledger(ledger)
            .durability(durability(settings.journalDurability()))
            .tornTailPolicy(tornTailPolicy(settings.tornTail()))
            .journalWriteBehind(settings.journalWriteBehind())
            .clockSlewPercent(settings.clockSlewPercent())
            .ringSize(settings.ringSize())
            .waitStrategy(waitStrategy(settings.waitStrategy()))
            .realtimePriority(settings.realtimePriority())
            .snapshotEveryCommands(settings.snapshotEveryCommands())
            .snapshotInterval(settings.snapshotInterval())
            .snapshotRetain(settings.snapshotRetain())
            .record(settings.recordEnabled())
            .diskMinFree(settings.diskMinFree());
    }

    // The settings mirror enums of the journal and the node, which config may not depend on. Each is mapped by an
    // exhaustive switch, so a value added or renamed on either side fails to compile instead of failing at start.

    static JournalDurability durability(final JournalDurabilitySetting setting)
    {
        return switch (setting)
        {
            case NONE -> JournalDurability.NONE;
            case BATCH -> JournalDurability.BATCH;
        };
    }

    static TornTailPolicy tornTailPolicy(final TornTailSetting setting)
    {
        return switch (setting)
        {
            case REFUSE -> TornTailPolicy.REFUSE;
            case TRUNCATE -> TornTailPolicy.TRUNCATE;
        };
    }

    static WaitStrategyName waitStrategy(final WaitStrategySetting setting)
    {
        return switch (setting)
        {
            case BLOCKING -> WaitStrategyName.BLOCKING;
            case SLEEPING -> WaitStrategyName.SLEEPING;
            case YIELDING -> WaitStrategyName.YIELDING;
            case BUSY_SPIN -> WaitStrategyName.BUSY_SPIN;
        };
    }

    public InetSocketAddress binaryAddress()
    {
        return binary.address();
    }

    public InetSocketAddress httpAddress()
    {
        return http.address();
    }

    public LedgerNode node()
    {
        return node;
    }

    /**
     * @return the change stream's Kafka publisher, or null without {@code wallet.events.kafka.enabled}.
     */
    public KafkaEventPublisher kafkaPublisher()
    {
        return publisher;
    }

    /**
     * @return the line printed once the server serves.
     */
    public String readyLine()
    {
        return "wallet ledger ready: binary " + address(binary.address()) + (tls ? " (TLS)" : "") +
            (tls ? ", https " : ", http ") + address(http.address()) +
            ", journal durability " + node.config().durability().name().toLowerCase(Locale.ROOT) +
            ", data " + node.config().dataDirectory().toAbsolutePath() + " (" + recoveredSummary + ")";
    }

    private static String address(final InetSocketAddress address)
    {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /**
     * Stops taking connections; drains the node, answering every request it accepted (and, meanwhile, every new one
     * that it is shutting down), and writes its final snapshot; then writes out the replies and closes the
     * connections. Idempotent.
     */
    @Override
    public synchronized void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        LOG.info("shutting down: no new connections; draining the ledger, answering every request it accepted");
        if (keysWatcher != null)
        {
            keysWatcher.close();
        }
        if (publisher != null)
        {
            // Before the record closes with the node; what it has not published, it publishes after a restart.
            publisher.close();
        }
        try
        {
            try
            {
                http.stopAccepting();
            }
            finally
            {
                binary.stopAccepting();
            }
        }
        finally
        {
            // The connections stay open while the node drains: the replies of every request it accepted reach
            // their connections, and a request that comes meanwhile is answered that the ledger is shutting down.
            try
            {
                node.close();
            }
            finally
            {
                try
                {
                    http.close();
                }
                finally
                {
                    binary.close();
                }
            }
        }
        LOG.info("stopped");
    }
}
