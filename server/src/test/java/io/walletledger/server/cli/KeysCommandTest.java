package io.walletledger.server.cli;

import io.walletledger.server.BinaryAuthenticationTest;
import io.walletledger.server.WalletServer;
import io.walletledger.gateway.security.ApiKey;
import io.walletledger.gateway.security.KeysFile;
import io.walletledger.protocol.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code wallet keys create|list|revoke} on a real keys file, and a server that accepts the key created.
 */
class KeysCommandTest
{
    private static final Pattern SECRET = Pattern.compile("secret: ([A-Za-z0-9_-]{43})");

    @TempDir
    Path directory;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(final String... args)
    {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return WalletCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void createsListsAndRevokesKeysInAFileThatHoldsNoSecret() throws Exception
    {
        final Path file = directory.resolve("conf").resolve("keys.json");

        assertEquals(0, run("keys", "create", "--id", "payments", "--roles", "transfer", "--accounts", "1001,1002",
            "--transfers-per-second", "500", "--burst", "50", "--iterations", "4096", "--file", file.toString()),
            err.toString());
        final Matcher secret = SECRET.matcher(out.toString());
        assertTrue(secret.find(), out.toString());
        assertEquals(0, run("keys", "create", "--id", "ops", "--roles", "read,admin", "--iterations", "4096",
            "--file", file.toString()), err.toString());

        final String json = Files.readString(file);
        assertFalse(json.contains(secret.group(1)), "the file never holds a secret");
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix"))
        {
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(file));
        }
        final Map<String, ApiKey> keys = KeysFile.load(file);
        assertEquals(Set.of(Role.TRANSFER), keys.get("payments").roles());
        assertArrayEquals(new long[] {1001, 1002}, keys.get("payments").accounts());
        assertEquals(500, keys.get("payments").transfersPerSecond());
        assertEquals(50, keys.get("payments").burst());
        assertEquals(Set.of(Role.READ, Role.ADMIN), keys.get("ops").roles());

        assertEquals(0, run("keys", "list", "--file", file.toString()));
        assertTrue(out.toString().contains("payments\troles transfer, accounts 1001,1002, transfers/s 500, burst 50"),
            out.toString());
        assertTrue(out.toString().contains("ops\troles read,admin, accounts all"), out.toString());
        assertFalse(out.toString().contains(secret.group(1)));

        assertEquals(1, run("keys", "create", "--id", "ops", "--roles", "read", "--iterations", "4096", "--file",
            file.toString()));
        assertTrue(err.toString().contains("key ops exists"), err.toString());

        assertEquals(0, run("keys", "revoke", "--id", "payments", "--file", file.toString()), err.toString());
        assertEquals(Set.of("ops"), KeysFile.load(file).keySet());
        assertEquals(1, run("keys", "revoke", "--id", "payments", "--file", file.toString()));
        final Path lock = file.resolveSibling(file.getFileName() + ".lock");
        assertTrue(Files.list(file.getParent()).allMatch(p -> p.equals(file) || p.equals(lock)),
            "no temporary file is left behind (the lock file stays, empty)");
    }

    @Test
    void refusesBadRolesIdsAndIterations()
    {
        final String file = directory.resolve("keys.json").toString();
        assertEquals(2, run("keys", "create", "--id", "x", "--roles", "root", "--file", file));
        assertTrue(err.toString().contains("unknown role 'root'"), err.toString());
        assertEquals(2, run("keys", "create", "--id", "has space", "--roles", "read", "--file", file));
        assertEquals(2, run("keys", "create", "--id", "x", "--roles", "read", "--iterations", "1000", "--file", file));
        assertTrue(err.toString().contains("iterations must be in 4096..10000000"), err.toString());
        assertFalse(Files.exists(directory.resolve("keys.json")));
    }

    @Test
    void theServerAcceptsTheKeyTheCommandCreated() throws Exception
    {
        final Path file = directory.resolve("keys.json");
        assertEquals(0, run("keys", "create", "--id", "ops", "--roles", "admin", "--iterations", "4096", "--file",
            file.toString()), err.toString());
        final Matcher secret = SECRET.matcher(out.toString());
        assertTrue(secret.find());
        try (WalletServer server = WalletServer.start(BinaryAuthenticationTest.requiredSettings(
            directory.resolve("data"), file, Map.of())))
        {
            final HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + server.httpAddress().getPort() + "/v1/accounts"))
                .header("Authorization", "Bearer ops:" + secret.group(1))
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"1\",\"currency\":\"USD\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(201, response.statusCode(), response.body());
        }
    }
}
