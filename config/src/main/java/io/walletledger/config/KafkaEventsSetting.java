package io.walletledger.config;

import java.util.Map;
import java.util.Objects;

/**
 * {@code wallet.events.kafka} when enabled: where the change stream is published.
 *
 * @param bootstrapServers the brokers to start from, {@code host:port}, comma-separated.
 * @param topic            the topic.
 * @param properties       producer properties passed to Kafka as they are (TLS, SASL, client id); never those the
 *                         publisher sets itself for its guarantees.
 */
public record KafkaEventsSetting(String bootstrapServers, String topic, Map<String, String> properties)
{
    public KafkaEventsSetting
    {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topic, "topic");
        properties = Map.copyOf(properties);
    }
}
