package io.walletledger.server;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A real Kafka broker for tests: one KRaft node (broker and controller) in a child JVM, on the class path the
 * kafka-broker module resolved from Maven Central, its logs in a directory of the test. It can be killed with
 * SIGKILL and started again on the same port and data, as a broker that crashed and came back.
 */
final class KafkaBroker implements AutoCloseable
{
    private static final String CLASSPATH_FILE = "wallet.test.kafka-broker-classpath";

    private final Path directory;
    private final Path properties;
    private final int port;
    private final String classpath;
    private Process process;

    private KafkaBroker(final Path directory, final Path properties, final int port, final String classpath)
    {
        this.directory = directory;
        this.properties = properties;
        this.port = port;
        this.classpath = classpath;
    }

    /**
     * Formats a new single-node cluster in {@code directory} and starts it.
     */
    static KafkaBroker start(final Path directory, final int partitions) throws Exception
    {
        final String classpath = Files.readString(Path.of(System.getProperty(CLASSPATH_FILE,
            "../kafka-broker/target/broker.classpath")), StandardCharsets.UTF_8).trim();
        final int port = freePort();
        final int controllerPort = freePort();
        Files.createDirectories(directory);
        final Path properties = directory.resolve("server.properties");
        Files.writeString(properties, String.join("\n",
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
            "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
            "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
            "controller.listener.names=CONTROLLER",
            "inter.broker.listener.name=PLAINTEXT",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "log.dirs=" + directory.resolve("logs"),
            "num.partitions=" + partitions,
            "offsets.topic.replication.factor=1",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            "auto.create.topics.enable=true",
            ""));
        final KafkaBroker broker = new KafkaBroker(directory, properties, port, classpath);
        final Process format = broker.java("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(),
            "-c", properties.toString());
        assertEquals(0, format.waitFor(), "kafka-storage format: see " + directory.resolve("broker.log"));
        broker.start();
        return broker;
    }

    /**
     * Starts the broker (again) and waits until it answers.
     */
    void start() throws Exception
    {
        process = java("kafka.Kafka", properties.toString());
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 4000)))
        {
            while (true)
            {
                try
                {
                    admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    return;
                }
                catch (final Exception ex)
                {
                    if (!process.isAlive() || System.nanoTime() - deadline > 0)
                    {
                        throw new IllegalStateException("the Kafka broker did not start: see " +
                            directory.resolve("broker.log"), ex);
                    }
                    TimeUnit.MILLISECONDS.sleep(200);
                }
            }
        }
    }

    /**
     * Kills the broker with SIGKILL and waits for it to be gone.
     */
    void kill() throws InterruptedException
    {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    String bootstrapServers()
    {
        return "127.0.0.1:" + port;
    }

    private Process java(final String mainClass, final String... args) throws IOException
    {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx384m");
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(List.of(args));
        final Path log = directory.resolve("broker.log");
        return new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    private static int freePort() throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0))
        {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close()
    {
        if (process != null)
        {
            process.destroyForcibly();
        }
    }
}
