package io.walletledger.server.events;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.walletledger.config.KafkaEventsSetting;
import io.walletledger.gateway.LedgerEvent;
import io.walletledger.gateway.http.EventJson;
import io.walletledger.protocol.CurrencyRegistry;
import io.walletledger.record.StreamItem;
import io.walletledger.record.StreamPage;
import io.walletledger.record.TransferRecordStore;
import io.walletledger.server.node.StreamEvents;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes the change stream to a Kafka topic, on a thread of its own, reading the permanent record in order.
 * <ul>
 *     <li>One Kafka record per account an event touches (a transfer's debit, credit and fee account; an account
 *     event's account), keyed by the account id, so that all of one account's events are in one partition, in
 *     order; a policy event once, keyed {@code ledger}. The value is the event's JSON as {@code GET /v1/events}
 *     shows it; headers {@code wallet-position} and {@code wallet-event-type}.</li>
 *     <li>The idempotent producer, {@code acks=all}, retrying for ever: a broker that is down delays the stream, it
 *     does not break its order (at most five requests in flight per connection keep it).</li>
 *     <li>At least once: the position up to which Kafka acknowledged every record is written to a file in the data
 *     directory (every {@link #SAVE_INTERVAL}); a restart, or a producer that failed, starts again after it, so
 *     records after it may be published twice. Consumers drop a record whose position (per key) they have seen.</li>
 *     <li>At most {@link #IN_FLIGHT_MAX} events, and {@link #IN_FLIGHT_BYTES_MAX} bytes of records, wait for Kafka's
 *     acknowledgement; beyond, the publisher waits: its memory is bounded whatever Kafka does, and the ledger is not
 *     slowed (the publisher reads the record, never the request path).</li>
 * </ul>
 */
public final class KafkaEventPublisher implements AutoCloseable
{
    static final int IN_FLIGHT_MAX = 32_768;
    /** Bytes of records waiting for Kafka, at most: well within the producer's buffer, so a send never blocks on it. */
    static final long IN_FLIGHT_BYTES_MAX = 16L << 20;
    private static final long BUFFER_BYTES = 64L << 20;
    static final Duration SAVE_INTERVAL = Duration.ofMillis(100);
    private static final int PAGE = 1024;
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final Duration RESTART_DELAY = Duration.ofSeconds(1);
    private static final Duration STOP_WAIT = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(KafkaEventPublisher.class);
    private static final byte[] LEDGER_KEY = "ledger".getBytes(StandardCharsets.US_ASCII);

    private final TransferRecordStore record;
    private final StreamEvents events;
    private final CurrencyRegistry currencies;
    private final KafkaEventsSetting setting;
    private final Path positionFile;
    private final Thread thread;
    private volatile boolean running = true;
    /** Every event at or before this position is in Kafka. */
    private volatile long acknowledged;
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    /** Bytes of the records sent and not yet acknowledged, by this publisher's current producer. */
    private final AtomicLong inFlightBytes = new AtomicLong();

    /** An event sent, waiting for Kafka to acknowledge each of its records. */
    private static final class InFlight
    {
        final long position;
        final AtomicInteger unacknowledged;

        InFlight(final long position, final int records)
        {
            this.position = position;
            this.unacknowledged = new AtomicInteger(records);
        }
    }

    /**
     * @param directory where the acknowledged position is kept (created if missing).
     */
    public KafkaEventPublisher(final TransferRecordStore record, final CurrencyRegistry currencies,
        final KafkaEventsSetting setting, final Path directory)
    {
        this.record = record;
        this.events = new StreamEvents(record);
        this.currencies = currencies;
        this.setting = setting;
        try
        {
            Files.createDirectories(directory);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create " + directory + " for the Kafka publisher's position", ex);
        }
        this.positionFile = directory.resolve("kafka.position");
        this.acknowledged = readPosition();
        this.thread = new Thread(this::run, "wallet-kafka-publisher");
        thread.setDaemon(true);
    }

    public void start()
    {
        LOG.info("publishing the change stream to Kafka topic {} at {}, after position {}", setting.topic(),
            setting.bootstrapServers(), acknowledged);
        thread.start();
    }

    /**
     * Its metrics: the journal sequence Kafka has every event up to ({@code wallet_record_sequence} minus it is the
     * publisher's lag), records published, producers that failed.
     */
    public void registerMetrics(final PrometheusRegistry registry)
    {
        GaugeWithCallback.builder().name("wallet_events_kafka_sequence")
            .help("Journal sequence up to which Kafka acknowledged every event of the change stream; " +
                "wallet_record_sequence minus this is the Kafka publisher's lag.")
            .callback(callback -> callback.call(acknowledged >>> 20)).register(registry);
        CounterWithCallback.builder().name("wallet_events_kafka_records")
            .help("Kafka records the change stream's publisher sent and Kafka acknowledged since start.")
            .callback(callback -> callback.call(published.get())).register(registry);
        CounterWithCallback.builder().name("wallet_events_kafka_failures")
            .help("Times the Kafka producer failed and was started again from the last acknowledged position.")
            .callback(callback -> callback.call(failures.get())).register(registry);
    }

    /**
     * @return the position up to which Kafka has acknowledged every event.
     */
    public long acknowledged()
    {
        return acknowledged;
    }

    /**
     * @return the records Kafka has acknowledged since start.
     */
    public long publishedRecords()
    {
        return published.get();
    }

    private void run()
    {
        while (running)
        {
            Producer<byte[], byte[]> producer = null;
            try
            {
                producer = new KafkaProducer<>(properties());
                publish(producer);
            }
            catch (final InterruptException ex)
            {
                // close() gave up waiting for Kafka: the loop ends.
                Thread.interrupted();
            }
            catch (final RuntimeException ex)
            {
                if (running)
                {
                    failures.incrementAndGet();
                    LOG.warn("the Kafka publisher failed ({}); starting again after position {} in {} s",
                        ex.toString(), acknowledged, RESTART_DELAY.toSeconds());
                    LockSupport.parkNanos(RESTART_DELAY.toNanos());
                }
            }
            finally
            {
                if (producer != null)
                {
                    // Records not acknowledged by now are sent again by the next producer, or after a restart.
                    producer.close(Duration.ZERO);
                }
            }
        }
        savePosition();
    }

    /**
     * Sends every event after the acknowledged position, for as long as the producer works.
     *
     * @throws RuntimeException when a record could not be sent: the caller starts again from the acknowledged position
     *                          with a new producer.
     */
    private void publish(final Producer<byte[], byte[]> producer)
    {
        final AtomicReference<Exception> failure = new AtomicReference<>();
        final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
        inFlightBytes.set(0);
        long next = acknowledged;
        long savedAt = System.nanoTime();
        long saved = acknowledged;
        try
        {
            while (running)
            {
                final Exception failed = failure.get();
                if (failed != null)
                {
                    throw new IllegalStateException("Kafka refused a record: " + failed, failed);
                }
                advance(inFlight);
                if (acknowledged != saved && System.nanoTime() - savedAt >= SAVE_INTERVAL.toNanos())
                {
                    saved = acknowledged;
                    savedAt = System.nanoTime();
                    savePosition();
                }
                if (inFlight.size() >= IN_FLIGHT_MAX || inFlightBytes.get() >= IN_FLIGHT_BYTES_MAX)
                {
                    LockSupport.parkNanos(IDLE_PARK_NANOS);
                    continue;
                }
                final StreamPage page = record.stream(next, PAGE, PAGE, item -> true);
                for (final StreamItem item : page.items())
                {
                    send(producer, events.event(item), inFlight, failure);
                }
                next = page.scannedTo();
                if (page.items().isEmpty())
                {
                    LockSupport.parkNanos(IDLE_PARK_NANOS);
                }
            }
            // Stopping: what was sent gets a moment to be acknowledged, so that a restart repeats less.
            final long deadline = System.nanoTime() + STOP_WAIT.toNanos();
            advance(inFlight);
            while (!inFlight.isEmpty() && failure.get() == null && System.nanoTime() - deadline < 0)
            {
                LockSupport.parkNanos(IDLE_PARK_NANOS);
                advance(inFlight);
            }
        }
        finally
        {
            savePosition();
        }
    }

    private void send(final Producer<byte[], byte[]> producer, final LedgerEvent event,
        final ArrayDeque<InFlight> inFlight, final AtomicReference<Exception> failure)
    {
        final byte[] value = EventJson.bytes(currencies, event);
        final List<byte[]> keys = keys(event);
        final InFlight sent = new InFlight(event.position(), keys.size());
        inFlight.add(sent);
        final byte[] position = Long.toString(event.position()).getBytes(StandardCharsets.US_ASCII);
        final byte[] type = event.type().getBytes(StandardCharsets.US_ASCII);
        inFlightBytes.addAndGet((long)value.length * keys.size());
        for (final byte[] key : keys)
        {
            final RecordHeaders headers = new RecordHeaders();
            headers.add("wallet-position", position);
            headers.add("wallet-event-type", type);
            producer.send(new ProducerRecord<>(setting.topic(), null, key, value, headers), (metadata, exception) ->
            {
                if (exception != null)
                {
                    failure.compareAndSet(null, exception);
                }
                else
                {
                    published.incrementAndGet();
                    inFlightBytes.addAndGet(-value.length);
                    sent.unacknowledged.decrementAndGet();
                }
            });
        }
    }

    /**
     * @return the keys of an event's records: the accounts it touches, each once, or {@code ledger}.
     */
    private static List<byte[]> keys(final LedgerEvent event)
    {
        final Set<Long> accounts = new LinkedHashSet<>(3);
        if (event instanceof LedgerEvent.Transfer transfer)
        {
            accounts.add(transfer.transfer().debitAccountId());
            accounts.add(transfer.transfer().creditAccountId());
            accounts.add(transfer.transfer().feeAccountId());
        }
        else if (event instanceof LedgerEvent.Account account)
        {
            accounts.add(account.account().id());
        }
        accounts.remove(0L);
        final List<byte[]> keys = new ArrayList<>(3);
        for (final long account : accounts)
        {
            keys.add(Long.toUnsignedString(account).getBytes(StandardCharsets.US_ASCII));
        }
        if (keys.isEmpty())
        {
            keys.add(LEDGER_KEY);
        }
        return keys;
    }

    /**
     * Moves the acknowledged position past the events at the head whose records Kafka has all acknowledged.
     */
    private void advance(final ArrayDeque<InFlight> inFlight)
    {
        long position = acknowledged;
        for (InFlight head = inFlight.peek(); head != null && head.unacknowledged.get() == 0; head = inFlight.peek())
        {
            position = head.position;
            inFlight.poll();
        }
        acknowledged = position;
    }

    private Properties properties()
    {
        final Properties properties = new Properties();
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "wallet-ledger-events");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        properties.put(ProducerConfig.BUFFER_MEMORY_CONFIG, BUFFER_BYTES);
        properties.putAll(setting.properties());
        // What the guarantees rest on, whatever the settings say.
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, setting.bootstrapServers());
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.RETRIES_CONFIG, Integer.MAX_VALUE);
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        properties.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return properties;
    }

    /**
     * @return the position saved for this topic, 0 if none (the topic changed: it is published from the start).
     */
    private long readPosition()
    {
        if (!Files.exists(positionFile))
        {
            return 0;
        }
        try
        {
            final Map<String, String> fields = new HashMap<>();
            for (final String line : Files.readAllLines(positionFile, StandardCharsets.UTF_8))
            {
                final int equals = line.indexOf('=');
                if (equals > 0)
                {
                    fields.put(line.substring(0, equals), line.substring(equals + 1));
                }
            }
            if (!setting.topic().equals(fields.get("topic")))
            {
                LOG.warn("{} is for topic {}, not {}: publishing the change stream to {} from the start", positionFile,
                    fields.get("topic"), setting.topic(), setting.topic());
                return 0;
            }
            return Long.parseLong(fields.getOrDefault("position", "0"));
        }
        catch (final IOException | NumberFormatException ex)
        {
            throw new IllegalStateException("cannot read the Kafka publisher's position in " + positionFile + ": " +
                ex.getMessage() + " (delete it to publish the change stream from the start)", ex);
        }
    }

    /**
     * Writes the acknowledged position, replacing the file at once (a crash leaves the old one or the new one).
     */
    private void savePosition()
    {
        final Path temporary = positionFile.resolveSibling(positionFile.getFileName() + ".tmp");
        try
        {
            Files.writeString(temporary, "topic=" + setting.topic() + "\nposition=" + acknowledged + "\n",
                StandardCharsets.UTF_8);
            try
            {
                Files.move(temporary, positionFile, StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            }
            catch (final AtomicMoveNotSupportedException ex)
            {
                Files.move(temporary, positionFile, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        catch (final IOException ex)
        {
            LOG.warn("cannot save the Kafka publisher's position in {}: {}", positionFile, ex.toString());
        }
    }

    /**
     * Stops publishing: what was sent is given a few seconds to be acknowledged, and the position is saved.
     */
    @Override
    public void close()
    {
        running = false;
        if (!thread.isAlive())
        {
            return;
        }
        try
        {
            thread.join(STOP_WAIT.toMillis() + TimeUnit.SECONDS.toMillis(3));
            if (thread.isAlive())
            {
                // Blocked on a broker that does not answer: interrupt the producer's wait.
                thread.interrupt();
                thread.join(TimeUnit.SECONDS.toMillis(5));
            }
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
    }
}
