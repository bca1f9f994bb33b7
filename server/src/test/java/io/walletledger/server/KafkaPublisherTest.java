package io.walletledger.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The change stream published to a real Kafka broker (KRaft, in a child JVM, from Maven Central's artifacts) by a
 * real ledger (a child JVM too): the broker is killed with SIGKILL while transfers go on and started again, then the
 * ledger is killed with SIGKILL and started again. A consumer that drops each record whose position it has already
 * seen for its key ends with every event of the ledger's stream exactly once, in order, per account.
 */
class KafkaPublisherTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ACCOUNTS = 6;
    private static final int PER_REQUEST = 50;
    private static final String TOPIC = "wallet-events";

    @TempDir
    Path directory;

    static
    {
        // This JVM's Kafka clients (the broker's readiness check, the consumer): their configuration dumps would
        // bury the test's output.
        ((ch.qos.logback.classic.Logger)org.slf4j.LoggerFactory.getLogger("org.apache.kafka"))
            .setLevel(ch.qos.logback.classic.Level.WARN);
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private final Random random = new Random(20261208);
    private long nextId = 1_000;

    @Test
    void everyEventReachesKafkaOnceInOrderPerAccountThoughTheBrokerAndTheLedgerAreKilled() throws Exception
    {
        try (KafkaBroker broker = KafkaBroker.start(directory.resolve("kafka"), 4))
        {
            final Path data = directory.resolve("data");
            final String configuration = DevServerProcess.SMALL_LEDGER +
                "wallet.events.kafka.enabled = true\n" +
                "wallet.events.kafka.bootstrap-servers = \"" + broker.bootstrapServers() + "\"\n" +
                "wallet.events.kafka.topic = \"" + TOPIC + "\"\n" +
                "wallet.events.kafka.properties { \"client.id\" = \"kafka-publisher-test\" }\n";
            try (DevServerProcess ledger = DevServerProcess.start(data, configuration))
            {
                for (long account = 1; account <= ACCOUNTS; account++)
                {
                    post(ledger, "/v1/accounts", "{\"id\":\"" + account + "\",\"currency\":\"USD\"}");
                }
                transfers(ledger, 20);
                broker.kill();
                transfers(ledger, 20); // the ledger serves while Kafka is down
                broker.start();
                transfers(ledger, 20);
                ledger.kill(); // with records sent and not yet acknowledged, and events not yet sent
            }
            try (DevServerProcess ledger = DevServerProcess.start(data, configuration))
            {
                transfers(ledger, 10);
                final List<JsonNode> stream = stream(ledger);
                assertTrue(stream.size() > 70 * PER_REQUEST, "the stream: " + stream.size() + " events");
                final Map<String, List<Long>> expected = new TreeMap<>();
                for (final JsonNode event : stream)
                {
                    for (final String key : keys(event))
                    {
                        expected.computeIfAbsent(key, k -> new ArrayList<>()).add(event.get("position").asLong());
                    }
                }
                final Map<String, List<Long>> consumed = consume(broker, expected);
                assertEquals(expected.keySet(), consumed.keySet(), "a key per account, and one for the policies");
                for (final Map.Entry<String, List<Long>> key : expected.entrySet())
                {
                    assertEquals(key.getValue(), consumed.get(key.getKey()),
                        "key " + key.getKey() + ": every event once, in order");
                }
                final String metrics = get(ledger, "/metrics");
                assertTrue(metrics.contains("wallet_events_kafka_sequence"), metrics);
            }
        }
    }

    /**
     * @return the keys the publisher gives an event: the accounts it touches, or {@code ledger}.
     */
    private static List<String> keys(final JsonNode event)
    {
        final List<String> keys = new ArrayList<>();
        if (event.has("transfer"))
        {
            for (final String field : List.of("debit_account_id", "credit_account_id", "fee_account_id"))
            {
                final String account = event.get("transfer").get(field).asText();
                if (!account.equals("0") && !keys.contains(account))
                {
                    keys.add(account);
                }
            }
        }
        else if (event.has("account"))
        {
            keys.add(event.get("account").get("id").asText());
        }
        if (keys.isEmpty())
        {
            keys.add("ledger");
        }
        return keys;
    }

    /**
     * Reads the topic from the start until every key has its expected events after deduplication (a record whose
     * position is not above the last one kept for its key is a repeat), or a minute has passed.
     *
     * @return the positions kept, per key.
     */
    private static Map<String, List<Long>> consume(final KafkaBroker broker, final Map<String, List<Long>> expected)
        throws Exception
    {
        final Map<String, List<Long>> kept = new TreeMap<>();
        final Map<String, Long> last = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")))
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            // The broker may not know the topic yet right after a restart: its metadata comes back with its log.
            final List<TopicPartition> partitions = new ArrayList<>();
            while (partitions.isEmpty())
            {
                for (final PartitionInfo partition : consumer.partitionsFor(TOPIC, Duration.ofSeconds(30)))
                {
                    partitions.add(new TopicPartition(TOPIC, partition.partition()));
                }
                assertTrue(!partitions.isEmpty() || System.nanoTime() - deadline < 0, "no partitions of " + TOPIC);
                if (partitions.isEmpty())
                {
                    TimeUnit.MILLISECONDS.sleep(200);
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (!kept.equals(expected) && System.nanoTime() - deadline < 0)
            {
                for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500)))
                {
                    final String key = new String(record.key(), StandardCharsets.US_ASCII);
                    final long position = Long.parseLong(new String(record.headers().lastHeader("wallet-position")
                        .value(), StandardCharsets.US_ASCII));
                    final JsonNode event = JSON.readTree(record.value());
                    assertEquals(position, event.get("position").asLong(), "the header is the event's position");
                    assertEquals(event.get("type").asText(), new String(record.headers().lastHeader(
                        "wallet-event-type").value(), StandardCharsets.US_ASCII));
                    if (position > last.getOrDefault(key, 0L))
                    {
                        last.put(key, position);
                        kept.computeIfAbsent(key, k -> new ArrayList<>()).add(position);
                    }
                }
            }
        }
        return kept;
    }

    /**
     * Sends {@code requests} requests of {@link #PER_REQUEST} transfers between random accounts.
     */
    private void transfers(final DevServerProcess ledger, final int requests) throws Exception
    {
        for (int request = 0; request < requests; request++)
        {
            final StringBuilder batch = new StringBuilder("{\"transfers\":[");
            for (int i = 0; i < PER_REQUEST; i++)
            {
                final int debit = 1 + random.nextInt(ACCOUNTS);
                final int credit = 1 + (debit + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                batch.append(i == 0 ? "" : ",").append("{\"id\":\"").append(nextId++)
                    .append("\",\"debit_account_id\":\"").append(debit).append("\",\"credit_account_id\":\"")
                    .append(credit).append("\",\"amount_minor\":\"1\",\"currency\":\"USD\",\"code\":1}");
            }
            post(ledger, "/v1/transfers", batch.append("]}").toString());
        }
    }

    /**
     * @return the ledger's whole change stream, once the record holds everything it applied.
     */
    private List<JsonNode> stream(final DevServerProcess ledger) throws Exception
    {
        // A history query waits for the record to hold what the ledger applied: then the stream has it too.
        get(ledger, "/v1/accounts/1/transfers?limit=1");
        final List<JsonNode> events = new ArrayList<>();
        long after = 0;
        while (true)
        {
            final JsonNode page = JSON.readTree(get(ledger, "/v1/events?wait=0&limit=1000&after=" + after));
            page.get("events").forEach(events::add);
            if (page.get("events").isEmpty())
            {
                return events;
            }
            after = page.get("next_after").asLong();
        }
    }

    private void post(final DevServerProcess ledger, final String path, final String body) throws Exception
    {
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(ledger.httpBase() + path))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() == 200 || response.statusCode() == 201, response.body());
    }

    private String get(final DevServerProcess ledger, final String path) throws Exception
    {
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(ledger.httpBase() + path))
            .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }
}
