package io.walletledger.bench.load;

import io.walletledger.server.events.KafkaEventPublisher;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The embedded server's Kafka publisher during a run (with {@code -Dwallet.events.kafka.enabled=true} and a broker
 * in {@code -Dwallet.events.kafka.bootstrap-servers} through {@code JAVA_TOOL_OPTIONS}): the records Kafka
 * acknowledged in the measured window, and how long after the run it had every event of the record.
 */
final class KafkaMeter
{
    private final KafkaEventPublisher publisher;
    private final int durationSeconds;
    private final Thread sampler;
    private volatile long atStart = -1;
    private volatile long atEnd = -1;

    KafkaMeter(final KafkaEventPublisher publisher, final int warmupSeconds, final int durationSeconds)
    {
        this.publisher = publisher;
        this.durationSeconds = durationSeconds;
        final long start = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds);
        final long end = start + TimeUnit.SECONDS.toNanos(durationSeconds);
        this.sampler = new Thread(() ->
        {
            LockSupport.parkNanos(start - System.nanoTime());
            atStart = publisher.publishedRecords();
            LockSupport.parkNanos(end - System.nanoTime());
            atEnd = publisher.publishedRecords();
        }, "bench-kafka-meter");
        sampler.setDaemon(true);
        sampler.start();
    }

    /**
     * Waits (up to two minutes) until Kafka has every event up to the record's end, then says how it went.
     *
     * @param recordSequence the journal sequence the record holds everything up to, after the run.
     */
    String summary(final long recordSequence) throws InterruptedException
    {
        sampler.join();
        final long start = System.nanoTime();
        final long deadline = start + TimeUnit.MINUTES.toNanos(2);
        while ((publisher.acknowledged() >>> 20) < recordSequence && System.nanoTime() < deadline)
        {
            TimeUnit.MILLISECONDS.sleep(10);
        }
        final long caughtUp = System.nanoTime() - start;
        final long window = atEnd - atStart;
        return String.format("kafka: %d records acknowledged in the measured window (%d/s; a transfer is one record " +
                "per account it names); %s", window, window / Math.max(1, durationSeconds),
            (publisher.acknowledged() >>> 20) >= recordSequence ? "every event in Kafka " +
                TimeUnit.NANOSECONDS.toMillis(caughtUp) + " ms after the record caught up" :
                "NOT every event in Kafka two minutes after the run");
    }
}
