package io.walletledger.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.walletledger.gateway.security.KeysFile;
import io.walletledger.protocol.Role;
import io.walletledger.server.cli.WalletCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code wallet.log.format = "json"} and {@code wallet.log.audit-file} on a real server process (the command line, as
 * an operator runs it): its log on standard error is one JSON object per line, with the message as written; the
 * audit events (an authentication that failed, one that succeeded) go to the audit file alone, as JSON too.
 */
class JsonLogTest
{
    private static final Pattern READY = Pattern.compile("ready: binary [0-9.]+:(\\d+), http [0-9.]+:(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;

    @Test
    void jsonLinesAndAnAuditLogOfItsOwn() throws Exception
    {
        final Path keys = directory.resolve("keys.json");
        final KeysFile.NewKey reader = KeysFile.create("reader", EnumSet.of(Role.READ), new long[0],
            BinaryAuthenticationTest.ITERATIONS, 0, 0);
        KeysFile.save(keys, List.of(reader.key()));
        final Path audit = directory.resolve("logs/audit/audit.log");
        final Path config = directory.resolve("wallet.conf");
        Files.writeString(config, DevServerProcess.SMALL_LEDGER +
            "wallet.security.mode = \"required\"\n" +
            "wallet.security.keys-file = \"" + keys + "\"\n" +
            "wallet.log.format = \"json\"\n" +
            "wallet.log.audit-file = \"" + audit + "\"\n");
        final Path stderr = directory.resolve("stderr.log");
        final Process process = ChildJvm.start(WalletCli.class, ProcessBuilder.Redirect.to(stderr.toFile()), "server",
            "--config", config.toString(), "--data-dir", directory.resolve("data").toString(), "--port", "0",
            "--http-port", "0");
        try
        {
            final String line = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)).readLine();
            assertNotNull(line, "the server printed nothing: " + Files.readString(stderr));
            final Matcher ready = READY.matcher(line);
            assertTrue(ready.find(), line);
            final String base = "http://127.0.0.1:" + ready.group(2);
            final HttpClient http = HttpClient.newHttpClient();
            assertEquals(401, http.send(HttpRequest.newBuilder(URI.create(base + "/v1/accounts/1"))
                .header("Authorization", "Bearer reader:not-the-secret").build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(base + "/v1/accounts/1"))
                .header("Authorization", "Bearer reader:" + reader.secret()).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
            process.destroy();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "stopped on SIGTERM");
        }
        finally
        {
            process.destroyForcibly();
        }

        final List<JsonNode> log = jsonLines(stderr);
        assertTrue(log.stream().anyMatch(event -> event.path("formattedMessage").asText()
            .startsWith("HTTP API listening on")), "the server's own lines:\n" + Files.readString(stderr));
        assertTrue(log.stream().anyMatch(event -> event.path("formattedMessage").asText().equals("stopped")),
            Files.readString(stderr));
        for (final JsonNode event : log)
        {
            assertTrue(event.hasNonNull("level") && event.hasNonNull("loggerName") && event.has("timestamp"),
                event.toString());
            assertFalse(event.path("loggerName").asText().equals("wallet.audit"),
                "audit events leave the main log: " + event);
        }

        final List<JsonNode> auditEvents = jsonLines(audit);
        assertTrue(auditEvents.stream().allMatch(event -> event.path("loggerName").asText().equals("wallet.audit")),
            auditEvents.toString());
        assertTrue(auditEvents.stream().anyMatch(event -> event.path("level").asText().equals("WARN") &&
            event.path("formattedMessage").asText().startsWith("authentication failed: key=reader")),
            auditEvents.toString());
        assertTrue(auditEvents.stream().anyMatch(event -> event.path("level").asText().equals("INFO") &&
            event.path("formattedMessage").asText().startsWith("authenticated: key=reader")), auditEvents.toString());
    }

    /**
     * @return every line of the file as JSON; fails on a line that is not a JSON object.
     */
    private static List<JsonNode> jsonLines(final Path file) throws Exception
    {
        final List<JsonNode> events = new ArrayList<>();
        for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8))
        {
            if (line.isBlank())
            {
                continue;
            }
            assertTrue(line.startsWith("{"), "a JSON line in " + file.getFileName() + ": " + line);
            events.add(JSON.readTree(line));
        }
        assertFalse(events.isEmpty(), file + " is empty");
        return events;
    }
}
