package io.walletledger.server;

import io.walletledger.gateway.security.ApiKey;
import io.walletledger.gateway.security.KeysFile;
import io.walletledger.protocol.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /metrics} of a real server on loopback after real traffic: the gateways' histograms and counters
 * (latency per protocol and request, responses by status, refusals, authentication failures, connections), the
 * node's (transfers by result, journal, snapshots) and the JVM's, in a well-formed exposition: every sample of a
 * declared family, every histogram's buckets rising to its count. {@code promtool check metrics} passes it too when
 * promtool is installed ({@code .ci/run} installs it: Debian's {@code prometheus} package).
 */
class MetricsTest
{
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)$");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path directory;

    private final Map<String, String> secrets = new HashMap<>();
    private WalletServer server;

    @Test
    void theExpositionCoversTheGatewaysTheNodeAndTheJvm() throws Exception
    {
        final Path keysFile = directory.resolve("keys.json");
        final List<ApiKey> keys = new ArrayList<>();
        keys.add(key("admin", EnumSet.of(Role.ADMIN), 0, 0));
        keys.add(key("payer", EnumSet.of(Role.TRANSFER), 1, 1));
        keys.add(key("reader", EnumSet.of(Role.READ), 0, 0));
        KeysFile.save(keysFile, keys);
        server = WalletServer.start(BinaryAuthenticationTest.requiredSettings(directory.resolve("data"), keysFile,
            Map.of("wallet.snapshot.every-commands", 4)));
        try (Socket binary = new Socket(server.binaryAddress().getAddress(), server.binaryAddress().getPort()))
        {
            for (final String account : List.of("{\"id\":\"1\",\"currency\":\"USD\"}",
                "{\"id\":\"1001\",\"currency\":\"USD\"}", "{\"id\":\"1002\",\"currency\":\"USD\"}"))
            {
                assertEquals(201, send("admin", "POST", "/v1/accounts", account).statusCode());
            }
            // The payer's bucket holds one transfer: the second at once is refused 429.
            int rateLimited = 0;
            for (int i = 0; i < 3; i++)
            {
                rateLimited += send("payer", "POST", "/v1/wallet/balance_transfer", transfer()).statusCode() == 429 ?
                    1 : 0;
            }
            assertTrue(rateLimited >= 1, "the payer was rate limited");
            assertEquals(403, send("reader", "POST", "/v1/wallet/balance_transfer", transfer()).statusCode());
            assertEquals(401, sendAs("Bearer admin:wrong-secret", "GET", "/v1/accounts/1").statusCode());

            // A snapshot comes every 4 commands: its age and duration appear once the follower wrote it.
            Map<String, Double> samples = Map.of();
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline)
            {
                samples = samples(scrape());
                if (samples.containsKey("wallet_snapshot_age_seconds"))
                {
                    break;
                }
                Thread.sleep(50);
            }
            final String text = scrape();
            samples = samples(text);
            assertTrue(samples.containsKey("wallet_snapshot_age_seconds"), text);
            assertTrue(value(samples, "wallet_snapshot_duration_seconds_count") >= 1, text);

            assertTrue(value(samples, "wallet_request_duration_seconds_count{protocol=\"http\"," +
                "request=\"create_transfers\"}") >= 1, text);
            assertTrue(value(samples, "wallet_request_duration_seconds_count{protocol=\"http\"," +
                "request=\"create_accounts\"}") >= 3, text);
            assertTrue(value(samples, "wallet_http_responses_total{status=\"201\"}") >= 3, text);
            assertTrue(value(samples, "wallet_http_responses_total{status=\"429\"}") >= 1, text);
            assertTrue(value(samples, "wallet_http_responses_total{status=\"403\"}") >= 1, text);
            assertTrue(value(samples, "wallet_http_responses_total{status=\"401\"}") >= 1, text);
            assertTrue(value(samples, "wallet_requests_refused_total{code=\"RATE_LIMITED\",protocol=\"http\"}") >= 1,
                text);
            assertTrue(value(samples, "wallet_requests_refused_total{code=\"FORBIDDEN\",protocol=\"http\"}") >= 1,
                text);
            assertTrue(value(samples, "wallet_authentication_failures_total{protocol=\"http\"}") >= 1, text);
            assertTrue(value(samples, "wallet_connections{protocol=\"binary\"}") >= 1, "the open socket:\n" + text);
            assertTrue(value(samples, "wallet_connections{protocol=\"http\"}") >= 1, text);
            assertTrue(value(samples, "wallet_transfers_total{result=\"OK\"}") >= 1, text);
            assertTrue(value(samples, "wallet_journal_disk_bytes") > 0, text);
            assertTrue(value(samples, "wallet_record_sequence") >= 0, text);
            assertTrue(value(samples, "wallet_journal_flush_seconds_count") >= 1, "durability batch:\n" + text);
            assertEquals(1024.0, value(samples, "wallet_holds_capacity"), text);
            assertTrue(samples.keySet().stream().anyMatch(name -> name.startsWith("jvm_memory_used_bytes{")), text);
            assertTrue(samples.keySet().stream().anyMatch(name -> name.startsWith("jvm_gc_collection_seconds_count")),
                text);
            assertTrue(samples.containsKey("process_cpu_seconds_total"), text);
            promtoolCheck(text);
            dashboardUsesExposedMetrics(samples);

            final HttpResponse<String> openMetrics = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/metrics"))
                    .header("Authorization", "Bearer reader:" + secrets.get("reader"))
                    .header("Accept", "application/openmetrics-text; version=1.0.0").build(),
                HttpResponse.BodyHandlers.ofString());
            assertTrue(openMetrics.headers().firstValue("content-type").orElse("").startsWith(
                "application/openmetrics-text"), openMetrics.headers().toString());
            assertTrue(openMetrics.body().endsWith("# EOF\n"), openMetrics.body());

            // What a Prometheus with native histograms asks for first: protobuf, not shipped here, so text.
            final HttpResponse<String> protobuf = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/metrics"))
                    .header("Authorization", "Bearer reader:" + secrets.get("reader"))
                    .header("Accept", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;" +
                        "encoding=delimited;q=0.7,text/plain;version=0.0.4;q=0.3").build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, protobuf.statusCode(), protobuf.body());
            assertTrue(protobuf.headers().firstValue("content-type").orElse("").startsWith("text/plain"),
                protobuf.headers().toString());
        }
        finally
        {
            server.close();
        }
    }

    /**
     * Checks the exposition's shape and reads its samples: every sample belongs to a family declared by
     * {@code # TYPE}, and every histogram's cumulative buckets never fall and end at {@code +Inf} with its count.
     *
     * @return each sample by its name and labels as written.
     */
    private static Map<String, Double> samples(final String text)
    {
        final Map<String, String> types = new HashMap<>();
        final Map<String, Double> samples = new LinkedHashMap<>();
        for (final String line : text.split("\n"))
        {
            if (line.startsWith("# TYPE "))
            {
                final String[] parts = line.split(" ");
                types.put(parts[2], parts[3]);
                continue;
            }
            if (line.isEmpty() || line.startsWith("#"))
            {
                continue;
            }
            final Matcher sample = SAMPLE.matcher(line);
            assertTrue(sample.matches(), "a sample line: " + line);
            final String name = sample.group(1);
            assertTrue(types.keySet().stream().anyMatch(family -> name.equals(family) || name.startsWith(family + "_")),
                "declared by # TYPE: " + line);
            samples.put(name + (sample.group(2) == null ? "" : sample.group(2)), Double.parseDouble(sample.group(3)));
        }
        for (final Map.Entry<String, String> family : types.entrySet())
        {
            if (family.getValue().equals("histogram"))
            {
                checkHistogram(family.getKey(), samples);
            }
        }
        return samples;
    }

    private static void checkHistogram(final String family, final Map<String, Double> samples)
    {
        final Map<String, Double> lastBucket = new HashMap<>();
        for (final Map.Entry<String, Double> sample : samples.entrySet())
        {
            if (!sample.getKey().startsWith(family + "_bucket{"))
            {
                continue;
            }
            final String series = sample.getKey().replaceAll(",?le=\"[^\"]*\"", "")
                .replace(family + "_bucket", family + "_count").replace("{}", "");
            final Double before = lastBucket.put(series, sample.getValue());
            assertTrue(before == null || before <= sample.getValue(), "buckets rise: " + sample.getKey());
            if (sample.getKey().contains("le=\"+Inf\""))
            {
                assertEquals(samples.get(series), sample.getValue(), "+Inf bucket equals the count: " + series);
            }
        }
    }

    private static double value(final Map<String, Double> samples, final String name)
    {
        final Double value = samples.get(name);
        assertNotNull(value, name + " is exposed");
        return value;
    }

    /**
     * The Grafana dashboard in docs/grafana asks only for series this server exposes (names as written in its
     * PromQL: {@code _bucket}, {@code _count}, {@code _total} included).
     */
    private static void dashboardUsesExposedMetrics(final Map<String, Double> samples) throws IOException
    {
        final String dashboard = Files.readString(Path.of("..", "docs", "grafana", "wallet-ledger.json"));
        final Matcher names = Pattern.compile("\\b((?:wallet|jvm|process)_[a-z_]+)").matcher(dashboard);
        int checked = 0;
        while (names.find())
        {
            final String name = names.group(1);
            assertTrue(samples.keySet().stream().anyMatch(sample -> sample.equals(name) ||
                sample.startsWith(name + "{")), "the dashboard's " + name + " is exposed");
            checked++;
        }
        assertTrue(checked >= 20, "the dashboard's queries were read: " + checked);
    }

    /** {@code promtool check metrics}: lints names, help, units and types. Skipped where promtool is missing. */
    private static void promtoolCheck(final String text) throws IOException, InterruptedException
    {
        final Path promtool = List.of("/usr/bin/promtool", "/usr/local/bin/promtool").stream().map(Path::of)
            .filter(Files::isExecutable).findFirst().orElse(null);
        if (promtool == null)
        {
            System.out.println("MetricsTest: promtool not installed, 'promtool check metrics' not run");
            return;
        }
        final Process check = new ProcessBuilder(promtool.toString(), "check", "metrics")
            .redirectErrorStream(true).start();
        check.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        check.getOutputStream().close();
        final String report = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(check.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, check.exitValue(), "promtool check metrics:\n" + report);
        assertEquals("", report.strip(), "promtool check metrics:\n" + report);
    }

    private String scrape() throws IOException
    {
        final HttpResponse<String> response = send("reader", "GET", "/metrics", null);
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
        return response.body();
    }

    private ApiKey key(final String id, final EnumSet<Role> roles, final long rate, final long burst)
    {
        final KeysFile.NewKey created = KeysFile.create(id, roles, new long[0], BinaryAuthenticationTest.ITERATIONS,
            rate, burst);
        secrets.put(id, created.secret());
        return created.key();
    }

    private static String transfer()
    {
        return "{\"from_account\":\"1\",\"to_account\":\"1001\",\"amount\":\"1.00\",\"currency\":\"USD\"," +
            "\"transaction_id\":\"" + UUID.randomUUID() + "\"}";
    }

    private String base()
    {
        return "http://127.0.0.1:" + server.httpAddress().getPort();
    }

    private HttpResponse<String> send(final String keyId, final String method, final String path, final String body)
        throws IOException
    {
        return sendAs("Bearer " + keyId + ":" + secrets.get(keyId), method, path, body);
    }

    private HttpResponse<String> sendAs(final String authorization, final String method, final String path)
        throws IOException
    {
        return sendAs(authorization, method, path, null);
    }

    private HttpResponse<String> sendAs(
        final String authorization, final String method, final String path, final String body) throws IOException
    {
        final HttpRequest request = HttpRequest.newBuilder(URI.create(base() + path))
            .header("Authorization", authorization)
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() :
                HttpRequest.BodyPublishers.ofString(body))
            .build();
        try
        {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IOException(ex);
        }
    }
}
