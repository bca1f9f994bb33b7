package io.walletledger.bench.load;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A few seconds of {@code wallet bench} against an embedded server, so the tool cannot silently rot: it must run
 * every part of the load (failures and two-phase transfers included), pass its own checks, write its report, and
 * end with the RESULT line. Numbers are not asserted.
 */
class BenchCommandSmokeTest
{
    private static final Pattern RESULT = Pattern.compile(
        "RESULT transfers_per_sec=\\d+ p50_us=\\d+ p99_us=\\d+ p999_us=\\d+ max_us=\\d+ errors=0");

    @TempDir
    Path temp;

    @Test
    void aShortRunPassesItsChecksWritesItsReportAndEndsWithTheResultLine() throws Exception
    {
        System.setProperty("java.awt.headless", "true");
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        final PrintStream original = System.out;
        final int status;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try
        {
            status = new CommandLine(new BenchCommand()).execute("--accounts", "200", "--connections", "2",
                "--batch", "50", "--duration", "2", "--warmup", "1", "--fail-share", "0.1", "--two-phase-share", "0.2",
                "--zipf", "1.0", "--report", temp.resolve("report").toString(), "--keep-data",
                temp.resolve("data").toString(), "--seed", "42");
        }
        finally
        {
            System.setOut(original);
        }
        final String output = captured.toString(StandardCharsets.UTF_8);
        original.print(output);
        assertEquals(0, status, output);
        final String[] lines = output.strip().split("\n");
        assertTrue(RESULT.matcher(lines[lines.length - 1]).matches(), "the last line: " + lines[lines.length - 1]);
        assertTrue(output.contains("checks: 201 accounts") && output.contains("passed"), output);
        for (final String file : new String[] { "latency.hgrm", "per-second.csv", "throughput.png",
            "latency-percentiles.png", "settings.txt" })
        {
            assertTrue(Files.size(temp.resolve("report").resolve(file)) > 0, file);
        }
        assertTrue(Files.exists(temp.resolve("data").resolve("journal")), "--keep-data keeps the data");
    }
}
