package io.walletledger.config;

import java.util.List;

/**
 * The path of every setting, as written in {@code reference.conf}, a settings file, a system property, or a key of
 * {@link WalletSettings#withOverrides(java.util.Map)}.
 */
public final class SettingPaths
{
    /** Directory of the journal and the snapshots. */
    public static final String DATA_DIR = "wallet.data-dir";
    /** Address the listeners bind to. */
    public static final String HOST = "wallet.server.host";
    /** Port of the binary protocol. */
    public static final String PORT = "wallet.server.port";
    /** Port of the HTTP interface. */
    public static final String HTTP_PORT = "wallet.server.http-port";
    /** Whether both listeners speak TLS. */
    public static final String TLS_ENABLED = "wallet.server.tls.enabled";
    /** PEM file of the server's certificate chain. */
    public static final String TLS_CERTIFICATE = "wallet.server.tls.certificate";
    /** PEM file of the server's private key. */
    public static final String TLS_PRIVATE_KEY = "wallet.server.tls.private-key";
    /** Whether clients must authenticate. */
    public static final String SECURITY_MODE = "wallet.security.mode";
    /** Whether development mode may listen on an address other than loopback. */
    public static final String SECURITY_DEVELOPMENT_ON_NETWORK =
        "wallet.security.unsafe-development-mode-on-network";
    /** The file of API keys. */
    public static final String SECURITY_KEYS_FILE = "wallet.security.keys-file";
    /** Transfers per second of a key that sets none. */
    public static final String SECURITY_DEFAULT_TRANSFERS_PER_SECOND = "wallet.security.default-transfers-per-second";
    /** Burst of a key that sets none. */
    public static final String SECURITY_DEFAULT_BURST = "wallet.security.default-burst";
    /** Reads (ids looked up, history entries) per second of every key. */
    public static final String SECURITY_READS_PER_SECOND = "wallet.security.reads-per-second";
    /** Reads a key may make at once above its rate. */
    public static final String SECURITY_READS_BURST = "wallet.security.reads-burst";
    /** Binary connections one key may hold at once. */
    public static final String SECURITY_MAX_CONNECTIONS_PER_KEY = "wallet.security.max-connections-per-key";
    /** What an acknowledged request survives. */
    public static final String JOURNAL_DURABILITY = "wallet.journal.durability";
    /** What start-up does with a torn last journal record. */
    public static final String JOURNAL_TORN_TAIL = "wallet.journal.torn-tail";
    /** Whether a journal that is not forced starts writing itself to disk behind the writer. */
    public static final String JOURNAL_WRITE_BEHIND = "wallet.journal.write-behind";
    /** How fast engine time may walk towards a wall clock that jumped. */
    public static final String JOURNAL_CLOCK_SLEW_PERCENT = "wallet.journal.clock-slew-percent";
    /** Slots in the pipeline's ring buffer. */
    public static final String RING_SIZE = "wallet.pipeline.ring-size";
    /** How the pipeline's threads wait. */
    public static final String WAIT_STRATEGY = "wallet.pipeline.wait-strategy";
    /** Real-time scheduling priority of the request path's threads; 0 = none. */
    public static final String REALTIME_PRIORITY = "wallet.pipeline.realtime-priority";
    /** Journaled commands between snapshots. */
    public static final String SNAPSHOT_EVERY_COMMANDS = "wallet.snapshot.every-commands";
    /** Longest time between snapshots. */
    public static final String SNAPSHOT_INTERVAL = "wallet.snapshot.interval";
    /** Snapshots kept on disk. */
    public static final String SNAPSHOT_RETAIN = "wallet.snapshot.retain";
    public static final String RECORD_ENABLED = "wallet.record.enabled";
    /** Whether the change stream is published to Kafka. */
    public static final String EVENTS_KAFKA_ENABLED = "wallet.events.kafka.enabled";
    /** The brokers to start from, host:port, comma-separated. */
    public static final String EVENTS_KAFKA_BOOTSTRAP_SERVERS = "wallet.events.kafka.bootstrap-servers";
    /** The topic the events go to. */
    public static final String EVENTS_KAFKA_TOPIC = "wallet.events.kafka.topic";
    /** Kafka producer properties passed as they are: TLS, SASL, client id. */
    public static final String EVENTS_KAFKA_PROPERTIES = "wallet.events.kafka.properties";
    /** Free space below which requests that change the ledger are refused. */
    public static final String DISK_MIN_FREE = "wallet.disk.min-free";
    /** Text or JSON log lines. */
    public static final String LOG_FORMAT = "wallet.log.format";
    /** Least level logged. */
    public static final String LOG_LEVEL = "wallet.log.level";
    /** A file of its own for the audit log, or "" for the main log. */
    public static final String LOG_AUDIT_FILE = "wallet.log.audit-file";
    /** Most accounts. */
    public static final String ACCOUNTS_MAX = "wallet.ledger.accounts-max";
    /** Transfers remembered by id. */
    public static final String IDEMPOTENCY_WINDOW = "wallet.ledger.idempotency-window";
    /** Most pending transfers. */
    public static final String PENDING_TRANSFERS_MAX = "wallet.ledger.pending-transfers-max";
    /** Most events in one request. */
    public static final String BATCH_EVENTS_MAX = "wallet.ledger.batch-events-max";
    /** Currencies beyond ISO 4217. */
    public static final String CURRENCIES = "wallet.ledger.currencies";
    /** Most accounts with spending limits. */
    public static final String LIMITED_ACCOUNTS_MAX = "wallet.ledger.limited-accounts-max";
    /** Most debits a velocity limit counts. */
    public static final String VELOCITY_DEBITS_MAX = "wallet.ledger.velocity-debits-max";
    /** Where the day of daily limits starts. */
    public static final String DAY_START = "wallet.policies.day-start";
    /** Most holds open at once per debit account. */
    public static final String HOLDS_PER_ACCOUNT_MAX = "wallet.policies.holds-per-account-max";
    /** Longest timeout a hold may ask for. */
    public static final String HOLD_TIMEOUT_MAX = "wallet.policies.hold-timeout-max";
    /** The fee schedule. */
    public static final String FEES = "wallet.policies.fees";
    /** Review thresholds per currency. */
    public static final String REVIEW_THRESHOLDS = "wallet.policies.review-thresholds";
    /** Default limits per account code. */
    public static final String CODE_LIMITS = "wallet.policies.code-limits";
    /** Largest binary request frame. */
    public static final String FRAME_BYTES_MAX = "wallet.gateway.max-frame-bytes";
    /** Requests of one connection in the ledger at once. */
    public static final String IN_FLIGHT_PER_CONNECTION_MAX = "wallet.gateway.max-in-flight-per-connection";
    /** Unsent reply bytes below which a paused connection is read again. */
    public static final String WRITE_BUFFER_LOW_WATER_MARK = "wallet.gateway.write-buffer-low-water-mark";
    /** Unsent reply bytes above which a connection is no longer read. */
    public static final String WRITE_BUFFER_HIGH_WATER_MARK = "wallet.gateway.write-buffer-high-water-mark";
    /** How long a connection may stay unwritable. */
    public static final String SLOW_CONSUMER_TIMEOUT = "wallet.gateway.slow-consumer-timeout";
    /** How long a connection may send nothing. */
    public static final String IDLE_TIMEOUT = "wallet.gateway.idle-timeout";
    /** Binary connections open at once. */
    public static final String CONNECTIONS_MAX = "wallet.gateway.max-connections";
    /** Connections one client address may hold at once on each port. */
    public static final String CONNECTIONS_PER_ADDRESS_MAX = "wallet.gateway.max-connections-per-address";
    /** Largest HTTP request body. */
    public static final String HTTP_MAX_BODY_BYTES = "wallet.http.max-body-bytes";
    /** Longest time to answer an HTTP request. */
    public static final String HTTP_REQUEST_TIMEOUT = "wallet.http.request-timeout";
    /** Longest time a client may take to send a whole HTTP request. */
    public static final String HTTP_REQUEST_READ_TIMEOUT = "wallet.http.request-read-timeout";
    /** Seed of the ledger's hash tables. */
    public static final String HASH_SEED = "wallet.hash-seed";

    /**
     * Every setting, in the order {@code reference.conf} documents them.
     */
    public static final List<String> ALL = List.of(
        DATA_DIR,
        HOST, PORT, HTTP_PORT, TLS_ENABLED, TLS_CERTIFICATE, TLS_PRIVATE_KEY,
        SECURITY_MODE, SECURITY_DEVELOPMENT_ON_NETWORK, SECURITY_KEYS_FILE, SECURITY_DEFAULT_TRANSFERS_PER_SECOND, SECURITY_DEFAULT_BURST,
        SECURITY_READS_PER_SECOND, SECURITY_READS_BURST, SECURITY_MAX_CONNECTIONS_PER_KEY,
        JOURNAL_DURABILITY, JOURNAL_TORN_TAIL, JOURNAL_WRITE_BEHIND, JOURNAL_CLOCK_SLEW_PERCENT,
        RING_SIZE, WAIT_STRATEGY, REALTIME_PRIORITY,
        SNAPSHOT_EVERY_COMMANDS, SNAPSHOT_INTERVAL, SNAPSHOT_RETAIN, RECORD_ENABLED,
        EVENTS_KAFKA_ENABLED, EVENTS_KAFKA_BOOTSTRAP_SERVERS, EVENTS_KAFKA_TOPIC, EVENTS_KAFKA_PROPERTIES,
        DISK_MIN_FREE, LOG_FORMAT, LOG_LEVEL, LOG_AUDIT_FILE,
        ACCOUNTS_MAX, IDEMPOTENCY_WINDOW, PENDING_TRANSFERS_MAX, BATCH_EVENTS_MAX, CURRENCIES,
        LIMITED_ACCOUNTS_MAX, VELOCITY_DEBITS_MAX,
        DAY_START, HOLDS_PER_ACCOUNT_MAX, HOLD_TIMEOUT_MAX, FEES, REVIEW_THRESHOLDS, CODE_LIMITS,
        FRAME_BYTES_MAX, IN_FLIGHT_PER_CONNECTION_MAX, WRITE_BUFFER_LOW_WATER_MARK, WRITE_BUFFER_HIGH_WATER_MARK,
        SLOW_CONSUMER_TIMEOUT, IDLE_TIMEOUT, CONNECTIONS_MAX, CONNECTIONS_PER_ADDRESS_MAX,
        HTTP_MAX_BODY_BYTES, HTTP_REQUEST_TIMEOUT, HTTP_REQUEST_READ_TIMEOUT,
        HASH_SEED);

    private SettingPaths()
    {
    }
}
