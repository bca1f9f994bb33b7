package io.walletledger.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The container image the build made with buildah (where buildah is installed: the {@code container-image}
 * profile), checked without a container engine: its configuration (a non-root user, the data volume, the ports, the
 * health check, the entry point), then its layers unpacked into a directory and run there with chroot as the
 * image's user, with /proc mounted as a runtime would: the server starts from the image's own Java runtime and
 * libraries, answers HTTP, passes the image's health check, writes its data as that user, and stops on SIGTERM.
 * A chroot has no mount table of its own, so the disk watch is off there ({@code wallet.disk.min-free=0}).
 */
@EnabledIfSystemProperty(named = "wallet.dist.image", matches = ".+")
final class ContainerImageIT
{
    private static final Pattern READY = Pattern.compile("wallet ledger ready: binary [^:]+:(\\d+), http [^:]+:(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "10001:10001";

    @TempDir
    Path temp;

    @Test
    void theImageRunsTheServerAsItsUserAndPassesItsHealthCheck() throws Exception
    {
        assertEquals("0", run(List.of("id", "-u")).strip(), "unpacking and chroot need root");
        final Path archive = Path.of(System.getProperty("wallet.dist.image"));
        final Path unpacked = Files.createDirectory(temp.resolve("archive"));
        run(List.of("tar", "-xf", archive.toString(), "-C", unpacked.toString()));
        final JsonNode manifest = JSON.readTree(unpacked.resolve("manifest.json").toFile()).get(0);
        final JsonNode config = JSON.readTree(unpacked.resolve(manifest.get("Config").asText()).toFile()).get("config");

        assertEquals(USER, config.get("User").asText(), "not root");
        assertTrue(config.get("Volumes").has("/data"), config.toString());
        assertTrue(config.get("ExposedPorts").has("7070/tcp") && config.get("ExposedPorts").has("8080/tcp"));
        final List<String> healthCheck = new ArrayList<>();
        config.get("Healthcheck").get("Test").forEach(part -> healthCheck.add(part.asText()));
        assertEquals("CMD", healthCheck.remove(0), config.toString());
        assertEquals("health", healthCheck.get(healthCheck.size() - 1), config.toString());
        final List<String> entrypoint = new ArrayList<>();
        config.get("Entrypoint").forEach(part -> entrypoint.add(part.asText()));
        assertEquals("[\"server\"]", config.get("Cmd").toString());

        final Path root = Files.createDirectory(temp.resolve("root"));
        for (final JsonNode layer : manifest.get("Layers"))
        {
            run(List.of("tar", "-xf", unpacked.resolve(layer.asText()).toString(), "-C", root.toString()));
        }
        assertEquals(10001, Files.getAttribute(root.resolve("data"), "unix:uid"), "the volume belongs to the user");
        Files.createDirectories(root.resolve("proc"));
        run(List.of("mount", "-t", "proc", "proc", root.resolve("proc").toString()));
        try
        {
            final List<String> environment = new ArrayList<>();
            config.get("Env").forEach(variable -> environment.add(variable.asText()));
            environment.add("JAVA_TOOL_OPTIONS=-Dwallet.disk.min-free=0");
            final List<String> command = new ArrayList<>(List.of("env", "-i"));
            command.addAll(environment);
            command.addAll(List.of("/usr/sbin/chroot", "--userspec=" + USER, root.toString()));
            command.addAll(entrypoint);
            command.addAll(List.of("server", "--dev", "--host", "127.0.0.1", "--port", "0", "--http-port", "0"));
            final Process server = new ProcessBuilder(command).redirectError(temp.resolve("server.err").toFile())
                .start();
            try
            {
                final BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8));
                final String line = out.readLine();
                assertTrue(line != null, "the server printed nothing: " + Files.readString(temp.resolve("server.err")));
                final Matcher ready = READY.matcher(line);
                assertTrue(ready.find(), line);
                final int httpPort = Integer.parseInt(ready.group(2));

                final HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpPort + "/v1/accounts"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"1\",\"currency\":\"USD\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
                assertEquals(201, created.statusCode(), created.body());

                final List<String> check = new ArrayList<>(List.of("env", "-i", "WALLET_HTTP_PORT=" + httpPort,
                    "/usr/sbin/chroot", "--userspec=" + USER, root.toString()));
                check.addAll(healthCheck);
                assertTrue(run(check).startsWith("200 "), "the image's health check passes");

                server.destroy();
                assertTrue(server.waitFor(60, TimeUnit.SECONDS), "stopped on SIGTERM");
            }
            finally
            {
                server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
            try (Stream<Path> files = Files.walk(root.resolve("data/journal")))
            {
                for (final Path file : (Iterable<Path>)files::iterator)
                {
                    assertEquals(10001, Files.getAttribute(file, "unix:uid"), "written as the user: " + file);
                }
            }
        }
        finally
        {
            new ProcessBuilder("umount", "-l", root.resolve("proc").toString()).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Runs a command to its end; fails unless it exits 0. @return its standard output. */
    private static String run(final List<String> command) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "finished: " + command);
        assertEquals(0, process.exitValue(), command + " failed:\n" + output);
        return output;
    }
}
