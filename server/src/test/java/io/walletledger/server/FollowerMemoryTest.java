package io.walletledger.server;

import io.walletledger.server.cli.WalletCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A server with memory for one engine but not for the snapshot follower's second one (the default capacities, about
 * 356 MiB of direct memory each, under a 500 MiB limit) does not start: it says why and exits 1, instead of saying
 * it is ready and then serving without snapshots or a record.
 */
class FollowerMemoryTest
{
    @TempDir
    Path directory;

    @Test
    void aFollowerWithoutMemoryForItsEngineStopsTheStart() throws Exception
    {
        final Path stderr = directory.resolve("stderr.log");
        final Process process = ChildJvm.start(List.of("-XX:MaxDirectMemorySize=500m"), WalletCli.class,
            ProcessBuilder.Redirect.to(stderr.toFile()), "server", "--dev", "--data-dir",
            directory.resolve("data").toString(), "--port", "0", "--http-port", "0");
        try
        {
            final String line = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)).readLine();
            assertNull(line, "no ready line: " + line);
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the process ended");
            assertEquals(1, process.exitValue());
            final String errors = Files.readString(stderr);
            assertTrue(errors.contains("wallet: cannot start: the snapshot follower cannot start: the ledger needs " +
                "about"), errors);
            assertTrue(errors.contains("-XX:MaxDirectMemorySize"), "says what to change: " + errors);
        }
        finally
        {
            process.destroyForcibly();
        }
    }
}
