package io.walletledger.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests to a real server's HTTP API in tests, through {@code java.net.http.HttpClient}, with the JSON body of
 * each answer parsed.
 */
final class HttpTestClient
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;

    HttpTestClient(final WalletServer server)
    {
        this.base = "http://127.0.0.1:" + server.httpAddress().getPort();
    }

    String base()
    {
        return base;
    }

    Response post(final String path, final String body) throws Exception
    {
        return send(json(path).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    Response put(final String path, final String body) throws Exception
    {
        return send(json(path).PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    Response delete(final String path) throws Exception
    {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE().build());
    }

    Response get(final String path) throws Exception
    {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET().build());
    }

    Response send(final HttpRequest request) throws Exception
    {
        final HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        final JsonNode body = response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
        return new Response(response.statusCode(), body, response.headers().firstValue("Allow").orElse(null),
            response.headers().firstValue("Content-Type").orElse(null));
    }

    HttpResponse<String> sendForText(final HttpRequest request) throws Exception
    {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpRequest.Builder json(final String path)
    {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json");
    }

    static void expectBadRequest(final Response response, final String fragment)
    {
        expectProblem(response, 400, "MALFORMED");
        assertTrue(response.text("detail").contains(fragment),
            "\"" + response.text("detail") + "\" should mention " + fragment);
    }

    /**
     * Checks an RFC 9457 problem document: its content type, {@code type}, {@code title}, {@code status} (the
     * response's), {@code detail} and our {@code code}.
     */
    static void expectProblem(final Response response, final int status, final String code)
    {
        assertEquals(status, response.status(), response.body().toString());
        assertEquals("application/problem+json", response.contentType(), response.body().toString());
        assertEquals(status, response.body().path("status").asInt(), response.body().toString());
        assertEquals(code, response.text("code"), response.body().toString());
        assertEquals("urn:wallet-ledger:problem:" + code.toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
            response.text("type"), response.body().toString());
        assertFalse(response.text("title").isEmpty(), response.body().toString());
        assertFalse(response.text("detail").isEmpty(), response.body().toString());
    }

    /**
     * An answer: its status, its JSON body (empty if there was none), its {@code Allow} header (or null) and its
     * content type (or null).
     */
    record Response(int status, JsonNode body, String allow, String contentType)
    {
        /**
         * @return the text of a field of the body.
         */
        String text(final String field)
        {
            final JsonNode value = body.get(field);
            return value == null ? null : value.asText();
        }
    }
}
