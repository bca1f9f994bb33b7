package io.walletledger.server;

import io.walletledger.gateway.security.ApiKey;
import io.walletledger.gateway.security.KeysFile;
import io.walletledger.protocol.Role;
import io.walletledger.protocol.ScramSha256;
import io.walletledger.protocol.sbe.AuthChallengeDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.server.cli.WalletCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The keys file under concurrent changes, and what an unknown key id reveals: {@code wallet keys} commands run at
 * once in separate processes each keep their key (the file is locked for each read-modify-write), and the challenge
 * of an unknown key id is the same after a restart, as a real key's is, so an attacker cannot tell real ids from
 * made-up ones by asking twice around a restart.
 */
class KeysFileSafetyTest
{
    private static final int PROCESSES = 4;

    @TempDir
    Path directory;

    @Test
    void keysCreatedByCommandsRunningAtOnceAreAllKept() throws Exception
    {
        final Path file = directory.resolve("keys.json");
        final List<Process> commands = new ArrayList<>();
        for (int i = 0; i < PROCESSES; i++)
        {
            // The default (slow) iterations: each command holds the file for the time of a key derivation.
            commands.add(ChildJvm.start(WalletCli.class, "keys", "create", "--id", "key-" + i, "--roles", "read",
                "--file", file.toString()));
        }
        for (final Process command : commands)
        {
            assertTrue(command.waitFor(120, TimeUnit.SECONDS), "the command finished");
            assertEquals(0, command.exitValue(), new String(command.getErrorStream().readAllBytes()));
        }
        final Set<String> expected = new TreeSet<>();
        for (int i = 0; i < PROCESSES; i++)
        {
            expected.add("key-" + i);
        }
        assertEquals(expected, new TreeSet<>(KeysFile.load(file).keySet()), "no command lost another's key");
    }

    @Test
    void anUnknownKeyIdGetsTheSameChallengeAfterARestart() throws Exception
    {
        final Path keysFile = directory.resolve("keys.json");
        final KeysFile.NewKey real = KeysFile.create("real", EnumSet.of(Role.READ), new long[0],
            ScramSha256.ITERATIONS_MIN, 0, 0);
        KeysFile.save(keysFile, List.<ApiKey>of(real.key()));
        final byte[] ghostBefore;
        final byte[] realBefore;
        try (WalletServer server = WalletServer.start(
            BinaryAuthenticationTest.requiredSettings(directory.resolve("data"), keysFile, Map.of())))
        {
            ghostBefore = salt(server, "ghost");
            realBefore = salt(server, "real");
            assertArrayEquals(ghostBefore, salt(server, "ghost"), "the same while the server runs");
        }
        try (WalletServer server = WalletServer.start(
            BinaryAuthenticationTest.requiredSettings(directory.resolve("data"), keysFile, Map.of())))
        {
            assertArrayEquals(realBefore, salt(server, "real"));
            assertArrayEquals(ghostBefore, salt(server, "ghost"), "an unknown id's salt survives a restart too");
        }
    }

    private static byte[] salt(final WalletServer server, final String keyId) throws IOException
    {
        try (RawConnection connection = new RawConnection(server.binaryAddress()))
        {
            connection.send(ScramTestClient.hello(keyId, new byte[32]));
            final AuthChallengeDecoder challenge = new AuthChallengeDecoder()
                .wrapAndApplyHeader(RawConnection.buffer(connection.receive()), 0, new MessageHeaderDecoder());
            final byte[] salt = new byte[ScramSha256.SALT_LENGTH];
            challenge.getSalt(salt, 0, salt.length);
            return salt;
        }
    }
}
