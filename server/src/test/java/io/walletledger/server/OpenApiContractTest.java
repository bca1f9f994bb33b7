package io.walletledger.server;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import io.walletledger.gateway.http.OpenApiDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The OpenAPI 3.1 document ({@code GET /openapi.json}) against the server: swagger-parser reads it without a
 * complaint; then every operation it names is called on a real server on loopback, and every exchange must match a
 * documented operation, its request body the operation's schema, its status a documented response, its content type
 * one that response lists, and its body that response's schema (JSON Schema 2020-12, networknt's validator). Every
 * documented operation must have been answered with a success. So neither the document nor the code can change
 * alone.
 */
class OpenApiContractTest
{
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    @TempDir
    Path data;

    private WalletServer server;
    private final HttpClient http = HttpClient.newHttpClient();
    private final Map<String, Schema> compiled = new HashMap<>();
    private final Set<String> succeeded = new TreeSet<>();
    private JsonNode document;
    private int exchanges;

    @AfterEach
    void stop()
    {
        if (server != null)
        {
            server.close();
        }
    }

    @Test
    void everyOperationAnswersAsTheDocumentSays() throws Exception
    {
        final String text;
        try (InputStream in = OpenApiDocument.open())
        {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        final SwaggerParseResult parsed = new OpenAPIParser().readContents(text, null, null);
        assertNotNull(parsed.getOpenAPI(), "swagger-parser read the document: " + parsed.getMessages());
        assertEquals(List.of(), parsed.getMessages(), "swagger-parser found nothing wrong");
        assertEquals("3.1.0", parsed.getOpenAPI().getOpenapi());
        document = JSON.readTree(text);

        server = WalletServer.start(HttpApiTest.settings(data));
        call("GET", "/openapi.json", null);
        assertEquals(document, JSON.readTree(call("GET", "/openapi.json", null).body()), "served as in the repository");
        call("GET", "/health", null);
        call("GET", "/health/live", null);
        call("GET", "/health/ready", null);

        call("POST", "/v1/accounts", "{\"id\":\"1\",\"currency\":\"USD\"}");
        call("POST", "/v1/accounts", "{\"id\":\"1\",\"currency\":\"USD\"}");
        call("POST", "/v1/accounts", "{\"id\":\"1001\",\"currency\":\"USD\",\"flags\":[\"debits_must_not_exceed_credits\"]}");
        call("POST", "/v1/accounts", "{\"id\":\"1002\",\"currency\":\"USD\",\"flags\":[\"debits_must_not_exceed_credits\"]," +
            "\"code\":7,\"user_data\":\"42\"}");
        call("POST", "/v1/accounts", "{\"id\":\"1003\",\"currency\":\"EUR\"}");
        call("POST", "/v1/accounts", "{\"id\":\"1\",\"currency\":\"EUR\"}");
        call("POST", "/v1/accounts", "{\"id\":\"x\",\"currency\":\"USD\"}");

        call("POST", "/v1/wallet/balance_transfer", "{\"from_account\":\"1\",\"to_account\":\"1001\",\"amount\":\"100.00\"," +
            "\"currency\":\"USD\",\"transaction_id\":\"" + UUID.randomUUID() + "\"}");
        call("POST", "/v1/wallet/balance_transfer", "{\"from_account\":\"1001\",\"to_account\":\"1002\"," +
            "\"amount_minor\":\"1234\",\"currency\":\"USD\",\"code\":3,\"transaction_id\":\"" + UUID.randomUUID() + "\"}");
        call("POST", "/v1/wallet/balance_transfer", "{\"from_account\":\"1002\",\"to_account\":\"1001\",\"amount\":\"999.00\"," +
            "\"currency\":\"USD\",\"transaction_id\":\"" + UUID.randomUUID() + "\"}");
        call("POST", "/v1/transfers", "{\"transfers\":[{\"id\":\"7\",\"debit_account_id\":\"1001\",\"credit_account_id\":" +
            "\"1002\",\"amount\":\"5.00\",\"currency\":\"USD\",\"code\":1,\"flags\":[\"pending\"],\"timeout\":60}," +
            "{\"id\":\"8\",\"pending_id\":\"7\",\"amount_minor\":\"0\",\"flags\":[\"post_pending\"]}," +
            "{\"id\":\"9\",\"debit_account_id\":\"1001\",\"credit_account_id\":\"1001\",\"amount\":\"1.00\",\"currency\":\"USD\"}]}");
        call("GET", "/v1/transfers/7", null);
        call("GET", "/v1/transfers/9", null);
        call("GET", "/v1/transfers/424242", null);

        call("GET", "/v1/accounts/1001", null);
        call("GET", "/v1/accounts/4242", null);
        call("GET", "/v1/accounts/1001?at=" + URLEncoder.encode("2100-01-01T00:00:00Z", StandardCharsets.UTF_8), null);
        call("GET", "/v1/accounts/1001/transfers?limit=2", null);
        call("GET", "/v1/accounts/1001/balances?order=asc&direction=debits", null);
        call("GET", "/v1/accounts/1001/transfers?limit=0", null);

        call("POST", "/v1/accounts/1002/freeze", "{\"scope\":\"all\"}");
        call("POST", "/v1/accounts/1002/unfreeze", null);
        call("POST", "/v1/accounts/1003/close", null);
        call("PUT", "/v1/accounts/1002/limits", "{\"transfer_amount_limit_minor\":\"500\",\"velocity_debit_limit\":3," +
            "\"velocity_window_seconds\":60}");
        call("PUT", "/v1/accounts/1002/limits", "{\"transfer_amount_limit\":\"5.00\"}");
        call("PUT", "/v1/codes/7/limits", "{\"daily_debit_limit_minor\":\"900\"}");
        call("PUT", "/v1/fees/3/USD", "{\"fixed_amount\":\"0.10\",\"basis_points\":25,\"maximum_minor\":\"500\"," +
            "\"fee_account_id\":\"1\"}");
        call("PUT", "/v1/review-thresholds/USD", "{\"threshold\":\"50.00\"}");
        call("PUT", "/v1/settings", "{\"day_start_seconds\":3600}");
        call("GET", "/v1/policies", null);

        final String held = UUID.randomUUID().toString();
        call("POST", "/v1/wallet/balance_transfer", "{\"from_account\":\"1001\",\"to_account\":\"1002\",\"amount\":\"60.00\"," +
            "\"currency\":\"USD\",\"transaction_id\":\"" + held + "\"}");
        call("POST", "/v1/transfers/" + held + "/review", "{\"id\":\"" + UUID.randomUUID() + "\",\"decision\":\"approve\"}");
        call("DELETE", "/v1/codes/7/limits", null);
        call("DELETE", "/v1/fees/3/USD", null);
        call("DELETE", "/v1/review-thresholds/USD", null);
        call("GET", "/metrics", null);
        call("DELETE", "/v1/policies", null);
        // A history query waits for the record to hold what the ledger applied; the change stream then has it all.
        call("GET", "/v1/accounts/1001/transfers?limit=1", null);
        final JsonNode events = JSON.readTree(call("GET", "/v1/events?wait=0&limit=1000", null).body());
        assertTrue(events.get("events").size() >= 20, events.toString());
        call("GET", "/v1/events?wait=0&account=1002&account=1001&type=transfer_created,hold_posted", null);
        call("GET", "/v1/events?wait=0&after=" + events.get("next_after").asLong(), null);
        call("GET", "/v1/events?after=x", null);

        final Set<String> documented = new TreeSet<>();
        for (final Iterator<Map.Entry<String, JsonNode>> paths = document.get("paths").properties().iterator();
            paths.hasNext(); )
        {
            final Map.Entry<String, JsonNode> path = paths.next();
            for (final String method : path.getValue().propertyNames())
            {
                documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }
        assertEquals(documented, succeeded, "every documented operation answered a success");
        assertTrue(exchanges >= 40, "exchanges checked: " + exchanges);
    }

    private record Answer(int status, String contentType, String body)
    {
    }

    /**
     * Sends a request, then checks the exchange against the document.
     */
    private Answer call(final String method, final String target, final String body)
        throws IOException, InterruptedException
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.httpAddress().getPort() + target))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null)
        {
            request.header("Content-Type", "application/json");
        }
        final HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        final Answer answer = new Answer(response.statusCode(),
            response.headers().firstValue("Content-Type").orElse(""), response.body());
        check(method, target, body, answer);
        return answer;
    }

    private void check(final String method, final String target, final String body, final Answer answer)
    {
        final String what = method + " " + target + " -> " + answer.status() + " " + answer.body();
        final String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
        String template = null;
        for (final String candidate : document.get("paths").propertyNames())
        {
            final String regex = "^" + Pattern.quote(candidate).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q") + "$";
            if (path.matches(regex) && (template == null || candidate.length() > template.length() ||
                !candidate.contains("{")))
            {
                template = candidate;
            }
        }
        if (template == null)
        {
            fail("an undocumented path: " + what);
        }
        final String pointer = "/paths/" + escape(template) + "/" + method.toLowerCase(Locale.ROOT);
        final JsonNode operation = document.at(pointer);
        if (operation.isMissingNode())
        {
            // A method the path does not have: the server says 405 with a problem.
            assertEquals(405, answer.status(), what);
            assertEquals("application/problem+json", answer.contentType(), what);
            validate("/components/schemas/Problem", answer.body(), what);
            exchanges++;
            return;
        }
        if (body != null && answer.status() != 400)
        {
            validate(pointer + "/requestBody/content/application~1json/schema", body, "request of " + what);
        }
        final JsonNode responses = operation.get("responses");
        final String status = Integer.toString(answer.status());
        assertTrue(responses.has(status), "a documented status: " + what);
        final String type = answer.contentType().split(";")[0].trim();
        final JsonNode content = responses.get(status).path("content");
        assertTrue(content.has(type), "a documented content type (" + type + "): " + what);
        if (type.endsWith("json") && !template.equals("/openapi.json"))
        {
            validate(pointer + "/responses/" + status + "/content/" + escape(type) + "/schema", answer.body(), what);
        }
        if (answer.status() < 300)
        {
            succeeded.add(method + " " + template);
        }
        exchanges++;
    }

    /**
     * Validates {@code json} against the schema at a JSON pointer into the document (its references resolve
     * against the whole document).
     */
    private void validate(final String pointer, final String json, final String what)
    {
        final Schema schema = compiled.computeIfAbsent(pointer, p ->
        {
            final ObjectNode root = (ObjectNode)document.deepCopy();
            root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
            root.put("$ref", "#" + p.replace("{", "%7B").replace("}", "%7D"));
            return SCHEMAS.getSchema(root.toString());
        });
        final List<Error> errors = new ArrayList<>(schema.validate(JSON.readTree(json)));
        assertEquals(List.of(), errors.stream().map(Error::toString).toList(), what);
    }

    private static String escape(final String segment)
    {
        return segment.replace("~", "~0").replace("/", "~1");
    }
}
