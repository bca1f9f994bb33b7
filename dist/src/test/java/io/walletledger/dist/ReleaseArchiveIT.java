package io.walletledger.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The release archive as a new user meets it: unpacked into an empty directory, away from the source tree and
 * Maven, started with {@code bin/wallet server --dev} on the JDK running this test, with no JVM flag but the
 * settings in {@code JAVA_OPTS} and {@code WALLET_OPTS}. The README's curl quick start runs against it and must
 * answer what the README shows; the Java client example, built from its own pom by this build, runs against it with
 * {@code java -jar} and no JVM flags; {@code java -jar lib/wallet-server.jar} runs a tool; SIGTERM stops it.
 */
final class ReleaseArchiveIT
{
    private static final Pattern READY = Pattern.compile("wallet ledger ready: binary [^:]+:(\\d+), http [^:]+:(\\d+)");
    private static final long TIMEOUT_SECONDS = 120;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private Process server;

    @AfterEach
    void stopServer() throws InterruptedException
    {
        if (server != null && server.isAlive())
        {
            server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void quickStartRunsFromTheUnpackedArchive() throws Exception
    {
        final String version = System.getProperty("wallet.dist.version");
        final Path archive = Path.of(System.getProperty("wallet.dist.archive"));
        assertTrue(Files.isRegularFile(archive), "the build made " + archive);

        final Path install = Files.createDirectory(temp.resolve("install"));
        run(install, List.of("tar", "-xzf", archive.toString()));
        final Path home = install.resolve("wallet-ledger-" + version);
        final Path launcher = home.resolve("bin/wallet");
        assertTrue(Files.getPosixFilePermissions(launcher).contains(PosixFilePermission.OWNER_EXECUTE));
        for (final String file : List.of("lib/wallet-server.jar", "conf/wallet.conf", "conf/reference.conf",
            "conf/wallet.service", "README.md", "docs/operations.md", "examples/java-client-app/pom.xml"))
        {
            assertTrue(Files.isRegularFile(home.resolve(file)), file + " is in the archive");
        }

        // The server, from a working directory of its own: its data goes to ./data there. Its ports come from
        // JAVA_OPTS and WALLET_OPTS (the defaults are 7070 and 8080), which shows the launcher passes both.
        final Path work = Files.createDirectory(temp.resolve("work"));
        final ProcessBuilder serverBuilder = new ProcessBuilder(launcher.toString(), "server", "--dev")
            .directory(work.toFile())
            .redirectErrorStream(true);
        cleanEnvironment(serverBuilder.environment());
        serverBuilder.environment().put("JAVA_OPTS", "-Xmx2g -Dwallet.server.http-port=0");
        serverBuilder.environment().put("WALLET_OPTS", "-Dwallet.server.port=0");
        server = serverBuilder.start();
        final BlockingQueue<String> serverOutput = drain(server);
        final Matcher ready = awaitReady(serverOutput);
        final int binaryPort = Integer.parseInt(ready.group(1));
        final int httpPort = Integer.parseInt(ready.group(2));
        assertNotEquals(7070, binaryPort, "WALLET_OPTS set the binary port");
        assertNotEquals(8080, httpPort, "JAVA_OPTS set the HTTP port");
        assertTrue(Files.isDirectory(work.resolve("data/journal")), "the journal is in ./data");

        // The README's quick start, verbatim but for the port; its last command answers what the README shows.
        final String readme = Files.readString(home.resolve("README.md"));
        final String quickStart = section(readme, "## Quick start with curl", "```bash\n", "```\n")
            .replace("localhost:8080", "localhost:" + httpPort);
        final List<String> answers = run(work, List.of("bash", "-c", "set -euo pipefail\n" + quickStart));
        // curl prints each answer without a newline: read them as a sequence of JSON values.
        final List<JsonNode> values = JSON.readerFor(JsonNode.class).<JsonNode>readValues(String.join("\n", answers))
            .readAll();
        assertEquals(6, values.size(), "one answer per request: " + answers);
        final JsonNode account = values.get(values.size() - 1);
        final JsonNode documented = JSON.readTree(section(readme, "The last command answers:", "```json\n", "```\n"));
        ((ObjectNode)account).remove(List.of("timestamp", "timestamp_ns"));
        ((ObjectNode)documented).remove(List.of("timestamp", "timestamp_ns"));
        assertEquals(documented, account, "GET /v1/accounts/1001 answers what the README shows");

        // Ready: recovered, listening, snapshots and the permanent record running.
        final HttpResponse<String> readiness = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + httpPort + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, readiness.statusCode(), readiness.body());

        // The Java client example, built by this build from its own pom against the installed client, run with
        // java -jar and not one JVM flag.
        final Path clientApp = Path.of(System.getProperty("wallet.dist.client-app"), "java-client-app.jar");
        assertTrue(Files.isRegularFile(clientApp), "the example was built: " + clientApp);
        final List<String> appOutput = run(work, List.of(java(), "-jar", clientApp.toString(), "127.0.0.1",
            Integer.toString(binaryPort)));
        final String appText = String.join("\n", appOutput);
        for (final String line : List.of("accounts: [OK, OK, OK]", "funding: OK", "payment: OK",
            "payment resent: EXISTS", "account 2002 balance 37.66 USD", "account 2003 balance 12.34 USD",
            "history 2003: OK 12.34 from 2002, balance after 12.34"))
        {
            assertTrue(appOutput.contains(line), "the client example printed \"" + line + "\":\n" + appText);
        }

        // java -jar on the server's jar, without flags: its manifest opens what Chronicle Queue and Agrona need.
        final Path keys = temp.resolve("keys.json");
        final List<String> created = run(work, List.of(java(), "-jar",
            home.resolve("lib/wallet-server.jar").toString(), "keys", "create", "--id", "ops", "--roles", "read",
            "--file", keys.toString()));
        assertTrue(String.join("\n", created).contains("created key ops"), String.join("\n", created));

        // SIGTERM: a graceful stop, then the data directory verifies with the archive's own launcher.
        server.destroy();
        assertTrue(server.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the server stopped on SIGTERM");
        final List<String> verified = run(work, List.of(launcher.toString(), "verify", "--data-dir", "data"));
        final String report = String.join("\n", verified);
        assertTrue(report.contains("USD") && report.lines().anyMatch(l -> l.startsWith("OK")), report);
    }

    private static Matcher awaitReady(final BlockingQueue<String> output) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        final StringBuilder seen = new StringBuilder();
        while (System.nanoTime() < deadline)
        {
            final String line = output.poll(1, TimeUnit.SECONDS);
            if (line == null)
            {
                continue;
            }
            seen.append(line).append('\n');
            final Matcher matcher = READY.matcher(line);
            if (matcher.find())
            {
                return matcher;
            }
        }
        throw new AssertionError("no ready line from bin/wallet server:\n" + seen);
    }

    /** Reads a process's output on a thread of its own, so that it never blocks on a full pipe. */
    private static BlockingQueue<String> drain(final Process process)
    {
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final Thread reader = new Thread(() ->
        {
            try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)))
            {
                String line;
                while ((line = in.readLine()) != null)
                {
                    lines.add(line);
                }
            }
            catch (final IOException ignored)
            {
                // The process ended.
            }
        }, "server-output");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    /** Runs a command to its end; fails unless it exits 0. @return its output lines (stdout and stderr). */
    private static List<String> run(final Path directory, final List<String> command)
        throws IOException, InterruptedException
    {
        final ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
            .redirectErrorStream(true);
        cleanEnvironment(builder.environment());
        final Process process = builder.start();
        final BlockingQueue<String> output = drain(process);
        assertTrue(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "finished: " + command);
        Thread.sleep(100); // the reader's last lines
        final List<String> lines = new ArrayList<>(output);
        assertEquals(0, process.exitValue(), command + " failed:\n" + String.join("\n", lines));
        return lines;
    }

    /** No JVM options from the environment this test runs in: the archive must bring everything itself. */
    private static void cleanEnvironment(final Map<String, String> environment)
    {
        environment.remove("JAVA_TOOL_OPTIONS");
        environment.remove("JDK_JAVA_OPTIONS");
        environment.remove("JAVA_OPTS");
        environment.remove("WALLET_OPTS");
        environment.remove("MAVEN_OPTS");
        environment.put("JAVA_HOME", System.getProperty("java.home"));
    }

    private static String java()
    {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The fenced block that opens after {@code heading}: from {@code open} to the next {@code close}. */
    private static String section(final String text, final String heading, final String open, final String close)
    {
        final int at = text.indexOf(heading);
        assertTrue(at >= 0, "the README has \"" + heading + "\"");
        final int start = text.indexOf(open, at);
        assertTrue(start >= 0);
        final int end = text.indexOf(close, start + open.length());
        assertTrue(end >= 0);
        return text.substring(start + open.length(), end);
    }
}
