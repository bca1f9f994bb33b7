package io.walletledger.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

import static io.walletledger.config.SettingPaths.*;

/**
 * The settings of a ledger server, loaded from HOCON and checked in full when loaded: an instance only exists for
 * settings that are all valid, and a {@link SettingsException} lists every one that is not, together with every
 * unknown key under {@code wallet}. {@code reference.conf} documents each setting and its default.
 * <p>
 * Layers, highest precedence first: {@link #withOverrides(Map) overrides} (command-line flags), system properties,
 * the settings file (or {@code application.conf}), the environment variables named in {@code reference.conf}
 * (they replace only the defaults), the defaults.
 */
public final class WalletSettings
{
    private static final long INT_MAX = Integer.MAX_VALUE;
    private static final List<String> LOG_LEVELS = List.of("error", "warn", "info", "debug", "trace");

    private final Config config;
    private final Path dataDirectory;
    private final String host;
    private final int port;
    private final int httpPort;
    private final boolean tlsEnabled;
    private final String tlsCertificate;
    private final String tlsPrivateKey;
    private final Optional<TlsSetting> tls;
    private final SecurityModeSetting securityMode;
    private final boolean developmentOnNetwork;
    private final String keysFileSetting;
    private final Path keysFile;
    private final long defaultTransfersPerSecond;
    private final long defaultBurst;
    private final long readsPerSecond;
    private final long readsBurst;
    private final int connectionsPerKeyMax;
    private final JournalDurabilitySetting journalDurability;
    private final TornTailSetting tornTail;
    private final boolean journalWriteBehind;
    private final int clockSlewPercent;
    private final int ringSize;
    private final WaitStrategySetting waitStrategy;
    private final int realtimePriority;
    private final long snapshotEveryCommands;
    private final Duration snapshotInterval;
    private final int snapshotRetain;
    private final boolean recordEnabled;
    private final boolean kafkaEnabled;
    private final String kafkaBootstrapServers;
    private final String kafkaTopic;
    private final Map<String, String> kafkaProperties;
    private final Optional<KafkaEventsSetting> kafkaEvents;
    private final long diskMinFree;
    private final LogFormatSetting logFormat;
    private final String logLevel;
    private final Path auditLogFile;
    private final int accountsMax;
    private final int idempotencyWindow;
    private final int pendingTransfersMax;
    private final int batchEventsMax;
    private final List<CurrencySetting> extraCurrencies;
    private final int limitedAccountsMax;
    private final int velocityDebitsMax;
    private final int dayStartSeconds;
    private final int holdsPerAccountMax;
    private final Duration holdTimeoutMax;
    private final List<FeeSetting> fees;
    private final Map<String, Long> reviewThresholds;
    private final List<CodeLimitsSetting> codeLimits;
    private final int frameBytesMax;
    private final int inFlightPerConnectionMax;
    private final int writeBufferLowWaterMark;
    private final int writeBufferHighWaterMark;
    private final Duration slowConsumerTimeout;
    private final Duration idleTimeout;
    private final int connectionsMax;
    private final int connectionsPerAddressMax;
    private final int httpBodyBytesMax;
    private final Duration httpRequestTimeout;
    private final Duration httpRequestReadTimeout;
    private final OptionalLong hashSeed;

    private WalletSettings(final Config config)
    {
        final SettingsReader reader = new SettingsReader(config);
        reader.rejectUnknownKeys(ALL);

        this.config = config;
        this.dataDirectory = reader.path(DATA_DIR, "data");
        this.host = reader.string(HOST, "127.0.0.1");
        this.port = (int)reader.integer(PORT, 0, 65535);
        final int problemsBeforeHttpPort = reader.problems().size();
        this.httpPort = (int)reader.integer(HTTP_PORT, 0, 65535);
        if (reader.problems().size() == problemsBeforeHttpPort && httpPort != 0 && httpPort == port)
        {
            reader.reject(HTTP_PORT, "use a port other than " + PORT + "'s, or 0 for any free port");
        }
        this.tlsEnabled = reader.bool(TLS_ENABLED);
        this.tlsCertificate = reader.optionalString(TLS_CERTIFICATE, "/etc/wallet/tls/server-chain.pem");
        this.tlsPrivateKey = reader.optionalString(TLS_PRIVATE_KEY, "/etc/wallet/tls/server-key.pem");
        this.tls = tlsEnabled ? tls(reader, tlsCertificate, tlsPrivateKey) : Optional.empty();

        this.securityMode = reader.choice(SECURITY_MODE, SecurityModeSetting.class);
        this.developmentOnNetwork = reader.bool(SECURITY_DEVELOPMENT_ON_NETWORK);
        this.keysFileSetting = reader.optionalString(SECURITY_KEYS_FILE, "/etc/wallet/keys.json");
        Path keys = null;
        try
        {
            keys = keysFileSetting.isEmpty() ? dataDirectory.resolve("keys.json") : Path.of(keysFileSetting);
        }
        catch (final java.nio.file.InvalidPathException ex)
        {
            reader.reject(SECURITY_KEYS_FILE, "use a file path such as \"/etc/wallet/keys.json\"");
        }
        this.keysFile = keys;
        this.defaultTransfersPerSecond = reader.integer(SECURITY_DEFAULT_TRANSFERS_PER_SECOND, 0, 1_000_000_000L);
        this.defaultBurst = reader.integer(SECURITY_DEFAULT_BURST, 0, 1_000_000_000L);
        this.readsPerSecond = reader.integer(SECURITY_READS_PER_SECOND, 0, 1_000_000_000L);
        this.readsBurst = reader.integer(SECURITY_READS_BURST, 0, 1_000_000_000L);
        this.connectionsPerKeyMax = (int)reader.integer(SECURITY_MAX_CONNECTIONS_PER_KEY, 0, INT_MAX);

        this.journalDurability = reader.choice(JOURNAL_DURABILITY, JournalDurabilitySetting.class);
        this.tornTail = reader.choice(JOURNAL_TORN_TAIL, TornTailSetting.class);
        this.journalWriteBehind = reader.bool(JOURNAL_WRITE_BEHIND);
        this.clockSlewPercent = (int)reader.integer(JOURNAL_CLOCK_SLEW_PERCENT, 1, 100);
        this.ringSize = reader.powerOfTwo(RING_SIZE, 2, 65536);
        this.waitStrategy = reader.choice(WAIT_STRATEGY, WaitStrategySetting.class);
        this.realtimePriority = (int)reader.integer(REALTIME_PRIORITY, 0, 99);
        if (realtimePriority > 0 && waitStrategy != WaitStrategySetting.BLOCKING)
        {
            // A real-time thread that spins or yields while it waits keeps every ordinary thread off its CPU.
            reader.reject(REALTIME_PRIORITY, "use 0 while " + WAIT_STRATEGY + " is " +
                SettingsFormat.choice(waitStrategy) + ": a real-time priority needs the blocking wait strategy");
        }

        this.snapshotEveryCommands = reader.integer(SNAPSHOT_EVERY_COMMANDS, 0, Long.MAX_VALUE);
        this.snapshotInterval = reader.duration(SNAPSHOT_INTERVAL, true, "5 minutes");
        this.snapshotRetain = (int)reader.integer(SNAPSHOT_RETAIN, 1, INT_MAX);
        this.recordEnabled = reader.bool(RECORD_ENABLED);
        this.kafkaEnabled = reader.bool(EVENTS_KAFKA_ENABLED);
        this.kafkaBootstrapServers = reader.optionalString(EVENTS_KAFKA_BOOTSTRAP_SERVERS, "kafka1:9092,kafka2:9092");
        this.kafkaTopic = reader.string(EVENTS_KAFKA_TOPIC, "wallet-events");
        this.kafkaProperties = reader.stringMap(EVENTS_KAFKA_PROPERTIES, "{\"security.protocol\" = \"SSL\"}");
        if (kafkaEnabled && kafkaBootstrapServers.isBlank())
        {
            reader.reject(EVENTS_KAFKA_BOOTSTRAP_SERVERS, "name the brokers, such as \"kafka1:9092,kafka2:9092\" (" +
                EVENTS_KAFKA_ENABLED + " is true)");
        }
        if (kafkaEnabled && !recordEnabled)
        {
            reader.reject(EVENTS_KAFKA_ENABLED, "the change stream is read from the permanent record: set " +
                RECORD_ENABLED + " = true too");
        }
        this.kafkaEvents = kafkaEnabled ? Optional.of(new KafkaEventsSetting(kafkaBootstrapServers, kafkaTopic,
            kafkaProperties)) : Optional.empty();
        this.diskMinFree = reader.bytes(DISK_MIN_FREE, 0, Long.MAX_VALUE, "use a size such as 512 MiB, or 0 for no " +
            "watch");
        this.logFormat = reader.choice(LOG_FORMAT, LogFormatSetting.class);
        this.logLevel = reader.string(LOG_LEVEL, "info");
        if (!LOG_LEVELS.contains(logLevel))
        {
            reader.reject(LOG_LEVEL, "use one of " + String.join(", ", LOG_LEVELS));
        }
        final String auditFile = reader.optionalString(LOG_AUDIT_FILE, "/var/log/wallet-ledger/audit.log");
        Path audit = null;
        try
        {
            audit = auditFile.isEmpty() ? null : Path.of(auditFile);
        }
        catch (final InvalidPathException ex)
        {
            reader.reject(LOG_AUDIT_FILE, "use a file path such as \"/var/log/wallet-ledger/audit.log\"");
        }
        this.auditLogFile = audit;

        this.accountsMax = (int)reader.integer(ACCOUNTS_MAX, 1, INT_MAX);
        this.idempotencyWindow = (int)reader.integer(IDEMPOTENCY_WINDOW, 1, INT_MAX);
        this.pendingTransfersMax = (int)reader.integer(PENDING_TRANSFERS_MAX, 1, INT_MAX);
        this.batchEventsMax = (int)reader.integer(BATCH_EVENTS_MAX, 1, 65535);
        this.extraCurrencies = reader.currencies(CURRENCIES);
        this.limitedAccountsMax = (int)reader.integer(LIMITED_ACCOUNTS_MAX, 0, INT_MAX);
        this.velocityDebitsMax = (int)reader.integer(VELOCITY_DEBITS_MAX, 0, 1024);

        this.dayStartSeconds = reader.timeOfDay(DAY_START);
        this.holdsPerAccountMax = (int)reader.integer(HOLDS_PER_ACCOUNT_MAX, 0, INT_MAX);
        final Duration timeoutMax = reader.duration(HOLD_TIMEOUT_MAX, true, "30 days");
        if (timeoutMax.getNano() != 0 || timeoutMax.getSeconds() > 0xFFFF_FFFFL)
        {
            reader.reject(HOLD_TIMEOUT_MAX, "use whole seconds, at most 4294967295 seconds (about 136 years), or 0");
        }
        this.holdTimeoutMax = timeoutMax;
        this.fees = reader.fees(FEES);
        this.reviewThresholds = reader.reviewThresholds(REVIEW_THRESHOLDS);
        this.codeLimits = reader.codeLimits(CODE_LIMITS, velocityDebitsMax);

        final String frameAllowed =
            "use 0 (derived from " + BATCH_EVENTS_MAX + ") or a size of 1024.." + INT_MAX + " bytes, such as 64 KiB";
        this.frameBytesMax = (int)reader.bytes(FRAME_BYTES_MAX, 0, INT_MAX, frameAllowed);
        if (frameBytesMax > 0 && frameBytesMax < 1024)
        {
            reader.reject(FRAME_BYTES_MAX, frameAllowed);
        }
        this.inFlightPerConnectionMax = (int)reader.integer(IN_FLIGHT_PER_CONNECTION_MAX, 1, INT_MAX);
        final int problemsBeforeWaterMarks = reader.problems().size();
        this.writeBufferLowWaterMark = (int)reader.bytes(WRITE_BUFFER_LOW_WATER_MARK, 1, INT_MAX - 1,
            "use a size of 1.." + (INT_MAX - 1) + " bytes, such as 1 MiB");
        this.writeBufferHighWaterMark = (int)reader.bytes(WRITE_BUFFER_HIGH_WATER_MARK, 2, INT_MAX,
            "use a size of 2.." + INT_MAX + " bytes, such as 4 MiB");
        if (reader.problems().size() == problemsBeforeWaterMarks && writeBufferHighWaterMark <= writeBufferLowWaterMark)
        {
            reader.reject(WRITE_BUFFER_HIGH_WATER_MARK, "use a size greater than " + WRITE_BUFFER_LOW_WATER_MARK +
                " (" + SettingsFormat.bytes(writeBufferLowWaterMark) + ")");
        }
        this.slowConsumerTimeout = reader.duration(SLOW_CONSUMER_TIMEOUT, false, "30 seconds");
        this.idleTimeout = reader.duration(IDLE_TIMEOUT, true, "5 minutes");
        this.connectionsMax = (int)reader.integer(CONNECTIONS_MAX, 1, INT_MAX);
        this.connectionsPerAddressMax = (int)reader.integer(CONNECTIONS_PER_ADDRESS_MAX, 0, INT_MAX);

        this.httpBodyBytesMax = (int)reader.bytes(HTTP_MAX_BODY_BYTES, 1024, INT_MAX,
            "use a size of 1024.." + INT_MAX + " bytes, such as 1 MiB");
        this.httpRequestTimeout = reader.duration(HTTP_REQUEST_TIMEOUT, false, "10 seconds");
        this.httpRequestReadTimeout = reader.duration(HTTP_REQUEST_READ_TIMEOUT, true, "30 seconds");

        this.hashSeed = reader.integerOrRandom(HASH_SEED);

        if (!reader.problems().isEmpty())
        {
            throw new SettingsException(reader.problems());
        }
    }

    /**
     * With TLS enabled, both files must be named and readable; whether they hold a usable certificate and key is
     * checked when the listeners start, which name the file that does not.
     */
    private static Optional<TlsSetting> tls(final SettingsReader reader, final String certificate, final String key)
    {
        final Path certificateFile = reader.readableFile(TLS_CERTIFICATE, certificate,
            "a PEM file holding the server's certificate chain, leaf first (" + TLS_ENABLED + " is true)");
        final Path keyFile = reader.readableFile(TLS_PRIVATE_KEY, key,
            "a PEM file holding the server's unencrypted PKCS#8 private key (" + TLS_ENABLED + " is true)");
        return certificateFile == null || keyFile == null ? Optional.empty() :
            Optional.of(new TlsSetting(certificateFile, keyFile));
    }

    /**
     * Loads as {@link ConfigFactory#load()} does: {@code reference.conf}, then {@code application.conf} from the
     * classpath (or the file named by {@code -Dconfig.file}), then system properties, and checks the result.
     *
     * @return the settings, all valid.
     * @throws SettingsException naming every setting that is not allowed, or the file that does not parse.
     */
    public static WalletSettings load()
    {
        final Config config;
        try
        {
            config = ConfigFactory.load(WalletSettings.class.getClassLoader());
        }
        catch (final ConfigException ex)
        {
            throw new SettingsException("settings cannot be loaded: " + ex.getMessage(), ex);
        }
        return from(config);
    }

    /**
     * Loads {@code file} over {@code reference.conf}, with system properties over both, and checks the result.
     *
     * @param file a HOCON ({@code .conf}), JSON ({@code .json}) or properties ({@code .properties}) file.
     * @return the settings, all valid.
     * @throws SettingsException if the file is missing or does not parse, or naming every setting not allowed.
     */
    public static WalletSettings load(final Path file)
    {
        return load(file, ConfigFactory.systemProperties());
    }

    /**
     * As {@link #load(Path)}, with {@code overrides} in the place of the system properties.
     */
    static WalletSettings load(final Path file, final Config overrides)
    {
        Objects.requireNonNull(file, "file");
        final Path absolute = file.toAbsolutePath();
        if (!Files.isRegularFile(absolute))
        {
            throw new SettingsException("settings file " + absolute + " does not exist or is not a regular file");
        }
        final Config parsed;
        try
        {
            parsed = ConfigFactory.parseFile(absolute.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        }
        catch (final ConfigException ex)
        {
            throw new SettingsException("settings file " + absolute + " does not parse: " + ex.getMessage(), ex);
        }
        final Config layered;
        try
        {
            layered = overrides
                .withFallback(parsed)
                .withFallback(ConfigFactory.defaultReference(WalletSettings.class.getClassLoader()))
                .resolve();
        }
        catch (final ConfigException ex)
        {
            throw new SettingsException("settings file " + absolute + " cannot be resolved: " + ex.getMessage(), ex);
        }
        return new WalletSettings(layered);
    }

    /**
     * Checks settings already layered by the caller: {@code config} must hold every setting, as it does when it
     * falls back to {@code reference.conf}.
     *
     * @param config holding the {@code wallet} section; resolved here if it is not yet.
     * @return the settings, all valid.
     * @throws SettingsException naming every setting that is not allowed or missing, and every unknown key.
     */
    public static WalletSettings from(final Config config)
    {
        Objects.requireNonNull(config, "config");
        final Config resolved;
        try
        {
            resolved = config.resolve();
        }
        catch (final ConfigException ex)
        {
            throw new SettingsException("settings cannot be resolved: " + ex.getMessage(), ex);
        }
        return new WalletSettings(resolved);
    }

    /**
     * These settings with some replaced, typically from command-line flags, which take precedence over every other
     * layer.
     *
     * @param overrides setting path (such as {@link SettingPaths#PORT}) to value: a number, string, boolean,
     *                  {@link Duration}, list or map as Typesafe Config accepts, or one of this package's enums, or
     *                  a {@link Path}.
     * @return the settings with the overrides applied, all valid.
     * @throws SettingsException naming every override, or setting, that is not allowed.
     */
    public WalletSettings withOverrides(final Map<String, ?> overrides)
    {
        Objects.requireNonNull(overrides, "overrides");
        final Map<String, Object> values = new HashMap<>();
        for (final Map.Entry<String, ?> override : overrides.entrySet())
        {
            final String path = override.getKey();
            if (null == path || !path.startsWith("wallet."))
            {
                throw new SettingsException("override " + path + " is not a setting: use one of " + ALL);
            }
            final Object value = override.getValue();
            if (value instanceof Enum<?>)
            {
                values.put(path, SettingsReader.settingValue((Enum<?>)value));
            }
            else if (value instanceof Path)
            {
                values.put(path, value.toString());
            }
            else
            {
                values.put(path, value);
            }
        }
        final Config overridden;
        try
        {
            overridden = ConfigFactory.parseMap(values, "command-line overrides").withFallback(config).resolve();
        }
        catch (final ConfigException ex)
        {
            throw new SettingsException("overrides " + overrides + " cannot be used: " + ex.getMessage(), ex);
        }
        return new WalletSettings(overridden);
    }

    /**
     * @return {@code wallet.data-dir}: the directory of the journal and the snapshots, as given (maybe relative).
     */
    public Path dataDirectory()
    {
        return dataDirectory;
    }

    /**
     * @return {@code wallet.server.host}: the address both listeners bind to.
     */
    public String host()
    {
        return host;
    }

    /**
     * @return {@code wallet.server.port}: the TCP port of the binary protocol, 0 for any free port.
     */
    public int port()
    {
        return port;
    }

    /**
     * @return {@code wallet.server.http-port}: the TCP port of the HTTP interface, 0 for any free port.
     */
    public int httpPort()
    {
        return httpPort;
    }

    /**
     * @return {@code wallet.server.tls}: the certificate chain and private key both listeners use when
     * {@code wallet.server.tls.enabled} is true (both files exist and are readable); empty for plain TCP.
     */
    public Optional<TlsSetting> tls()
    {
        return tls;
    }

    /**
     * @return {@code wallet.security.mode}: whether clients must authenticate.
     */
    public SecurityModeSetting securityMode()
    {
        return securityMode;
    }

    /**
     * @return {@code wallet.security.unsafe-development-mode-on-network}: whether development mode may listen on an
     * address other than loopback (else the server refuses to start so).
     */
    public boolean developmentOnNetwork()
    {
        return developmentOnNetwork;
    }

    /**
     * @return {@code wallet.security.keys-file}: the file of API keys; {@code keys.json} in the data directory when
     * the setting is empty.
     */
    public Path keysFile()
    {
        return keysFile;
    }

    /**
     * @return {@code wallet.security.default-transfers-per-second}: the rate of a key that sets none; 0 = no limit.
     */
    public long defaultTransfersPerSecond()
    {
        return defaultTransfersPerSecond;
    }

    /**
     * @return {@code wallet.security.default-burst}: the burst of a key that sets none; 0 = one second of the rate.
     */
    public long defaultBurst()
    {
        return defaultBurst;
    }

    /**
     * @return {@code wallet.security.reads-per-second}: ids looked up and history entries per second of every key;
     * 0 = no limit.
     */
    public long readsPerSecond()
    {
        return readsPerSecond;
    }

    /**
     * @return {@code wallet.security.reads-burst}: reads a key may make at once; 0 = one second of the rate.
     */
    public long readsBurst()
    {
        return readsBurst;
    }

    /**
     * @return {@code wallet.security.max-connections-per-key}: binary connections one key may hold; 0 = no limit.
     */
    public int connectionsPerKeyMax()
    {
        return connectionsPerKeyMax;
    }

    /**
     * @return {@code wallet.journal.durability}: what an acknowledged request survives.
     */
    public JournalDurabilitySetting journalDurability()
    {
        return journalDurability;
    }

    /**
     * @return {@code wallet.journal.torn-tail}: what start-up does with a torn last journal record.
     */
    public TornTailSetting tornTail()
    {
        return tornTail;
    }

    /**
     * @return {@code wallet.journal.write-behind}: whether a journal in {@code none} starts writing itself to disk
     *         behind its writer, rather than leave that to the kernel's flusher.
     */
    public boolean journalWriteBehind()
    {
        return journalWriteBehind;
    }

    /**
     * @return {@code wallet.journal.clock-slew-percent}: how much faster or slower than the monotonic clock engine
     * time may run towards a wall clock that jumped, 1..100.
     */
    public int clockSlewPercent()
    {
        return clockSlewPercent;
    }

    /**
     * @return {@code wallet.pipeline.ring-size}: slots in the ring buffer, a power of two in 2..65536.
     */
    public int ringSize()
    {
        return ringSize;
    }

    /**
     * @return {@code wallet.pipeline.wait-strategy}: how the pipeline's threads wait for work.
     */
    public WaitStrategySetting waitStrategy()
    {
        return waitStrategy;
    }

    /**
     * @return {@code wallet.pipeline.realtime-priority}: the {@code SCHED_FIFO} priority (1..99) of the pipeline's
     * stage threads and the binary gateway's event loops, or 0 to leave them under the normal scheduler.
     */
    public int realtimePriority()
    {
        return realtimePriority;
    }

    /**
     * @return {@code wallet.snapshot.every-commands}: journaled commands between snapshots, 0 to leave it to the
     * interval.
     */
    public long snapshotEveryCommands()
    {
        return snapshotEveryCommands;
    }

    /**
     * @return {@code wallet.snapshot.interval}: longest time between snapshots, zero to leave it to the command
     * count.
     */
    public Duration snapshotInterval()
    {
        return snapshotInterval;
    }

    /**
     * @return {@code wallet.snapshot.retain}: snapshots kept on disk, at least 1.
     */
    public int snapshotRetain()
    {
        return snapshotRetain;
    }

    /**
     * @return {@code wallet.record.enabled}: whether the server keeps the permanent record of every transfer.
     */
    public boolean recordEnabled()
    {
        return recordEnabled;
    }

    /**
     * @return {@code wallet.events.kafka} when {@code enabled}: where the change stream is published; empty when it
     * is not.
     */
    public Optional<KafkaEventsSetting> kafkaEvents()
    {
        return kafkaEvents;
    }

    /**
     * @return {@code wallet.log.format}: text or JSON lines.
     */
    public LogFormatSetting logFormat()
    {
        return logFormat;
    }

    /**
     * @return {@code wallet.log.level}: error, warn, info, debug or trace.
     */
    public String logLevel()
    {
        return logLevel;
    }

    /**
     * @return {@code wallet.log.audit-file}: the file the audit log goes to instead of the main log, or null.
     */
    public Path auditLogFile()
    {
        return auditLogFile;
    }

    /**
     * @return {@code wallet.disk.min-free}: the free bytes on the data directory's file system below which requests
     * that change the ledger are refused {@code DISK_FULL}; 0 for no watch.
     */
    public long diskMinFree()
    {
        return diskMinFree;
    }

    /**
     * @return {@code wallet.ledger.accounts-max}: the most accounts the ledger holds.
     */
    public int accountsMax()
    {
        return accountsMax;
    }

    /**
     * @return {@code wallet.ledger.idempotency-window}: transfers remembered by id.
     */
    public int idempotencyWindow()
    {
        return idempotencyWindow;
    }

    /**
     * @return {@code wallet.ledger.pending-transfers-max}: the most pending transfers open at once.
     */
    public int pendingTransfersMax()
    {
        return pendingTransfersMax;
    }

    /**
     * @return {@code wallet.ledger.batch-events-max}: the most events in one request, 1..65535.
     */
    public int batchEventsMax()
    {
        return batchEventsMax;
    }

    /**
     * @return {@code wallet.ledger.currencies}: currencies beyond ISO 4217, codes and numeric codes each unique.
     */
    public List<CurrencySetting> extraCurrencies()
    {
        return extraCurrencies;
    }

    /**
     * @return {@code wallet.ledger.limited-accounts-max}: the most accounts that can have spending limits.
     */
    public int limitedAccountsMax()
    {
        return limitedAccountsMax;
    }

    /**
     * @return {@code wallet.ledger.velocity-debits-max}: the most debits a velocity limit may count.
     */
    public int velocityDebitsMax()
    {
        return velocityDebitsMax;
    }

    /**
     * @return {@code wallet.policies.day-start}: where an engine-time day starts for daily limits, in seconds after
     * 00:00 UTC.
     */
    public int dayStartSeconds()
    {
        return dayStartSeconds;
    }

    /**
     * @return {@code wallet.policies.holds-per-account-max}: most holds open at once per debit account; 0 = no limit.
     */
    public int holdsPerAccountMax()
    {
        return holdsPerAccountMax;
    }

    /**
     * @return {@code wallet.policies.hold-timeout-max}: the longest timeout a hold may ask for; zero = no limit.
     */
    public Duration holdTimeoutMax()
    {
        return holdTimeoutMax;
    }

    /**
     * @return {@code wallet.policies.fees}, in the order given.
     */
    public List<FeeSetting> fees()
    {
        return fees;
    }

    /**
     * @return {@code wallet.policies.review-thresholds}: minor units by alphabetic currency code, sorted by code.
     */
    public Map<String, Long> reviewThresholds()
    {
        return reviewThresholds;
    }

    /**
     * @return {@code wallet.policies.code-limits}, in the order given.
     */
    public List<CodeLimitsSetting> codeLimits()
    {
        return codeLimits;
    }

    /**
     * @return {@code wallet.gateway.max-frame-bytes}: the largest binary request frame in bytes, length field
     * excluded; 0 means the server derives it from {@link #batchEventsMax()}.
     */
    public int frameBytesMax()
    {
        return frameBytesMax;
    }

    /**
     * @return {@code wallet.gateway.max-in-flight-per-connection}: requests of one connection in the ledger at once.
     */
    public int inFlightPerConnectionMax()
    {
        return inFlightPerConnectionMax;
    }

    /**
     * @return {@code wallet.gateway.write-buffer-low-water-mark} in bytes: a paused connection is read again below
     * it.
     */
    public int writeBufferLowWaterMark()
    {
        return writeBufferLowWaterMark;
    }

    /**
     * @return {@code wallet.gateway.write-buffer-high-water-mark} in bytes, greater than the low one: a connection
     * is no longer read above it.
     */
    public int writeBufferHighWaterMark()
    {
        return writeBufferHighWaterMark;
    }

    /**
     * @return {@code wallet.gateway.slow-consumer-timeout}: how long a connection may stay unwritable before it is
     * closed; positive.
     */
    public Duration slowConsumerTimeout()
    {
        return slowConsumerTimeout;
    }

    /**
     * @return {@code wallet.gateway.idle-timeout}: how long a connection may send nothing before it is closed; zero
     * for never.
     */
    public Duration idleTimeout()
    {
        return idleTimeout;
    }

    /**
     * @return {@code wallet.gateway.max-connections}: binary connections open at once.
     */
    public int connectionsMax()
    {
        return connectionsMax;
    }

    /**
     * @return {@code wallet.gateway.max-connections-per-address}: connections one client address may hold at once on
     * each port; 0 for no limit.
     */
    public int connectionsPerAddressMax()
    {
        return connectionsPerAddressMax;
    }

    /**
     * @return {@code wallet.http.max-body-bytes}: the largest HTTP request body in bytes, at least 1024.
     */
    public int httpBodyBytesMax()
    {
        return httpBodyBytesMax;
    }

    /**
     * @return {@code wallet.http.request-timeout}: the longest time to answer an HTTP request; positive.
     */
    public Duration httpRequestTimeout()
    {
        return httpRequestTimeout;
    }

    /**
     * @return {@code wallet.http.request-read-timeout}: the longest a client may take to send a whole request, from
     * its first byte, before its connection is closed; zero for no limit.
     */
    public Duration httpRequestReadTimeout()
    {
        return httpRequestReadTimeout;
    }

    /**
     * @return {@code wallet.hash-seed}: the seed of the ledger's hash tables, or empty when the server is to pick a
     * random one at start.
     */
    public OptionalLong hashSeed()
    {
        return hashSeed;
    }

    /**
     * The effective settings, one {@code path = value} line each in the order {@code reference.conf} documents
     * them, for the start-up log. The listing is itself valid HOCON and loads back to the same settings.
     *
     * @return every setting, one a line.
     */
    public String describe()
    {
        final StringBuilder out = new StringBuilder(2048);
        line(out, DATA_DIR, SettingsFormat.quote(dataDirectory.toString()));
        line(out, HOST, SettingsFormat.quote(host));
        line(out, PORT, Integer.toString(port));
        line(out, HTTP_PORT, Integer.toString(httpPort));
        line(out, TLS_ENABLED, Boolean.toString(tlsEnabled));
        line(out, TLS_CERTIFICATE, SettingsFormat.quote(tlsCertificate));
        line(out, TLS_PRIVATE_KEY, SettingsFormat.quote(tlsPrivateKey));
        line(out, SECURITY_MODE, SettingsFormat.choice(securityMode));
        line(out, SECURITY_DEVELOPMENT_ON_NETWORK, Boolean.toString(developmentOnNetwork));
        line(out, SECURITY_KEYS_FILE, SettingsFormat.quote(keysFileSetting));
        line(out, SECURITY_DEFAULT_TRANSFERS_PER_SECOND, Long.toString(defaultTransfersPerSecond));
        line(out, SECURITY_DEFAULT_BURST, Long.toString(defaultBurst));
        line(out, SECURITY_READS_PER_SECOND, Long.toString(readsPerSecond));
        line(out, SECURITY_READS_BURST, Long.toString(readsBurst));
        line(out, SECURITY_MAX_CONNECTIONS_PER_KEY, Integer.toString(connectionsPerKeyMax));
        line(out, JOURNAL_DURABILITY, SettingsFormat.choice(journalDurability));
        line(out, JOURNAL_TORN_TAIL, SettingsFormat.choice(tornTail));
        line(out, JOURNAL_WRITE_BEHIND, Boolean.toString(journalWriteBehind));
        line(out, JOURNAL_CLOCK_SLEW_PERCENT, Integer.toString(clockSlewPercent));
        line(out, RING_SIZE, Integer.toString(ringSize));
        line(out, WAIT_STRATEGY, SettingsFormat.choice(waitStrategy));
        line(out, REALTIME_PRIORITY, Integer.toString(realtimePriority));
        line(out, SNAPSHOT_EVERY_COMMANDS, Long.toString(snapshotEveryCommands));
        line(out, SNAPSHOT_INTERVAL, SettingsFormat.duration(snapshotInterval));
        line(out, SNAPSHOT_RETAIN, Integer.toString(snapshotRetain));
        line(out, RECORD_ENABLED, Boolean.toString(recordEnabled));
        line(out, EVENTS_KAFKA_ENABLED, Boolean.toString(kafkaEnabled));
        line(out, EVENTS_KAFKA_BOOTSTRAP_SERVERS, SettingsFormat.quote(kafkaBootstrapServers));
        line(out, EVENTS_KAFKA_TOPIC, SettingsFormat.quote(kafkaTopic));
        // Their names only: the values may be secrets (SASL passwords, key store passwords).
        line(out, EVENTS_KAFKA_PROPERTIES, "{" + String.join(", ", new java.util.TreeSet<>(kafkaProperties.keySet()).stream()
            .map(key -> SettingsFormat.quote(key) + " = (set)").toList()) + "}");
        line(out, DISK_MIN_FREE, SettingsFormat.bytes(diskMinFree));
        line(out, LOG_FORMAT, SettingsFormat.choice(logFormat));
        line(out, LOG_LEVEL, logLevel);
        line(out, LOG_AUDIT_FILE, auditLogFile == null ? "\"\"" : auditLogFile.toString());
        line(out, ACCOUNTS_MAX, Integer.toString(accountsMax));
        line(out, IDEMPOTENCY_WINDOW, Integer.toString(idempotencyWindow));
        line(out, PENDING_TRANSFERS_MAX, Integer.toString(pendingTransfersMax));
        line(out, BATCH_EVENTS_MAX, Integer.toString(batchEventsMax));
        line(out, CURRENCIES, SettingsFormat.currencies(extraCurrencies));
        line(out, LIMITED_ACCOUNTS_MAX, Integer.toString(limitedAccountsMax));
        line(out, VELOCITY_DEBITS_MAX, Integer.toString(velocityDebitsMax));
        line(out, DAY_START, SettingsFormat.quote(String.format("%02d:%02d", dayStartSeconds / 3600, dayStartSeconds / 60 % 60)));
        line(out, HOLDS_PER_ACCOUNT_MAX, Integer.toString(holdsPerAccountMax));
        line(out, HOLD_TIMEOUT_MAX, SettingsFormat.duration(holdTimeoutMax));
        line(out, FEES, SettingsFormat.fees(fees));
        line(out, REVIEW_THRESHOLDS, SettingsFormat.thresholds(reviewThresholds));
        line(out, CODE_LIMITS, SettingsFormat.codeLimits(codeLimits));
        line(out, FRAME_BYTES_MAX, SettingsFormat.bytes(frameBytesMax));
        line(out, IN_FLIGHT_PER_CONNECTION_MAX, Integer.toString(inFlightPerConnectionMax));
        line(out, WRITE_BUFFER_LOW_WATER_MARK, SettingsFormat.bytes(writeBufferLowWaterMark));
        line(out, WRITE_BUFFER_HIGH_WATER_MARK, SettingsFormat.bytes(writeBufferHighWaterMark));
        line(out, SLOW_CONSUMER_TIMEOUT, SettingsFormat.duration(slowConsumerTimeout));
        line(out, IDLE_TIMEOUT, SettingsFormat.duration(idleTimeout));
        line(out, CONNECTIONS_MAX, Integer.toString(connectionsMax));
        line(out, CONNECTIONS_PER_ADDRESS_MAX, Integer.toString(connectionsPerAddressMax));
        line(out, HTTP_MAX_BODY_BYTES, SettingsFormat.bytes(httpBodyBytesMax));
        line(out, HTTP_REQUEST_TIMEOUT, SettingsFormat.duration(httpRequestTimeout));
        line(out, HTTP_REQUEST_READ_TIMEOUT, SettingsFormat.duration(httpRequestReadTimeout));
        line(out, HASH_SEED,
            hashSeed.isPresent() ? Long.toString(hashSeed.getAsLong()) : SettingsFormat.quote("random"));
        return out.toString();
    }

    /**
     * @return {@link #describe()}.
     */
    @Override
    public String toString()
    {
        return describe();
    }

    private static void line(final StringBuilder out, final String path, final String value)
    {
        out.append(path).append(" = ").append(value).append('\n');
    }
}
