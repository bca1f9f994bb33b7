package io.walletledger.server;

import io.walletledger.gateway.security.ApiKey;
import io.walletledger.gateway.security.KeysFile;
import io.walletledger.protocol.Role;
import io.walletledger.protocol.ScramSha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unauthenticated PBKDF2 work is rationed per address: a flood of wrong secrets from one address (127.0.0.2), each
 * of which would cost the server a slow key derivation, is turned away with 429 after the few that the address may
 * have waiting, so a legitimate login that is not cached yet, from another address, is still verified and served
 * instead of finding the verifier's queue full.
 */
class LoginFloodTest
{
    private static final int FLOOD = 100;

    @TempDir
    Path directory;

    @Test
    void aFloodOfWrongSecretsFromOneAddressLeavesOtherLoginsServed() throws Exception
    {
        final Path keysFile = directory.resolve("keys.json");
        final Map<String, String> secrets = new java.util.HashMap<>();
        final List<ApiKey> keys = new ArrayList<>();
        for (final String id : List.of("admin", "reader"))
        {
            // The default iterations: each verification is a slow key derivation, as in production.
            final KeysFile.NewKey key = KeysFile.create(id, EnumSet.of(id.equals("admin") ? Role.ADMIN : Role.READ),
                new long[0], ScramSha256.ITERATIONS_DEFAULT, 0, 0);
            secrets.put(id, key.secret());
            keys.add(key.key());
        }
        KeysFile.save(keysFile, keys);
        try (WalletServer server = WalletServer.start(BinaryAuthenticationTest.requiredSettings(
            directory.resolve("data"), keysFile, Map.of())))
        {
            final InetAddress attacker = InetAddress.getByAddress(new byte[] {127, 0, 0, 2});
            final List<Socket> flood = new ArrayList<>();
            try
            {
                for (int i = 0; i < FLOOD; i++)
                {
                    final Socket socket = new Socket();
                    socket.bind(new InetSocketAddress(attacker, 0));
                    socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                        server.httpAddress().getPort()), 5_000);
                    socket.getOutputStream().write(("GET /v1/accounts/1 HTTP/1.1\r\nHost: x\r\nAuthorization: " +
                        "Bearer admin:wrong-" + i + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    flood.add(socket);
                }
                final HttpResponse<String> honest = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.httpAddress().getPort() + "/v1/accounts/1"))
                    .header("Authorization", "Bearer reader:" + secrets.get("reader")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
                assertTrue(honest.statusCode() == 200 || honest.statusCode() == 404,
                    "the honest login is verified, not turned away: " + honest.statusCode() + " " + honest.body());

                int turnedAway = 0;
                for (final Socket socket : flood)
                {
                    final String answer = statusLine(socket);
                    assertTrue(answer.startsWith("HTTP/1.1 429") || answer.startsWith("HTTP/1.1 401"), answer);
                    turnedAway += answer.startsWith("HTTP/1.1 429") ? 1 : 0;
                }
                assertTrue(turnedAway >= FLOOD - 10, "most of the flood is turned away before the slow check: " +
                    turnedAway + " of " + FLOOD);
            }
            finally
            {
                for (final Socket socket : flood)
                {
                    socket.close();
                }
            }
            assertEquals(401, HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.httpAddress().getPort() + "/v1/accounts/1"))
                .header("Authorization", "Bearer admin:wrong").GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode(), "another address is not held back");
        }
    }

    private static String statusLine(final Socket socket) throws IOException
    {
        socket.setSoTimeout(60_000);
        final StringBuilder line = new StringBuilder();
        for (int c = socket.getInputStream().read(); c >= 0 && c != '\r'; c = socket.getInputStream().read())
        {
            line.append((char)c);
        }
        return line.toString();
    }
}
