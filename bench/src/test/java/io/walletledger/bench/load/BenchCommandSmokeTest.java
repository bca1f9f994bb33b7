package io.walletledger.bench.load;

import io.walletledger.server.os.RealtimeScheduling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
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
    void aShortClosedLoopRunPassesItsChecksWritesItsReportAndEndsWithTheResultLine() throws Exception
    {
        final String output = run(0, "--accounts", "200", "--connections", "2", "--batch", "50", "--duration", "2",
            "--warmup", "1", "--fail-share", "0.1", "--two-phase-share", "0.2", "--zipf", "1.0", "--report",
            temp.resolve("report").toString(), "--keep-data", temp.resolve("data").toString(), "--seed", "42");
        assertTrue(output.contains("checks: 201 accounts, 0 overdrawn, posted net 0, pending 0/0"), output);
        assertTrue(output.contains("wallets paid exactly the acknowledged amounts: passed"), output);
        final Matcher summary = Pattern.compile("summary: (\\d+) transfers answered .*\\((\\d+) rejected")
            .matcher(output);
        assertTrue(summary.find(), output);
        assertTrue(Long.parseLong(summary.group(2)) > 0, "some transfers failed as asked: " + summary.group());
        for (final String file : new String[] { "latency.hgrm", "per-second.csv", "throughput.png",
            "latency-percentiles.png", "settings.txt" })
        {
            assertTrue(Files.size(temp.resolve("report").resolve(file)) > 0, file);
        }
        assertTrue(Files.exists(temp.resolve("data").resolve("journal")), "--keep-data keeps the data");
    }

    @Test
    void aShortOpenLoopRunAwaitsEveryRequestAndPassesItsChecks() throws Exception
    {
        final String output = run(0, "--accounts", "100", "--connections", "2", "--batch", "20", "--rate", "20000",
            "--duration", "2", "--warmup", "1", "--report", temp.resolve("open").toString(), "--seed", "7");
        assertTrue(output.contains("open loop at 20000 transfers/s"), output);
        assertTrue(output.contains("passed"), output);
    }

    @Test
    void aRunAtRealtimePriorityPassesItsChecksOrIsRefusedBeforeItStarts()
    {
        final String[] args = {"--realtime-priority", "1", "--accounts", "100", "--connections", "2", "--batch", "20",
            "--rate", "20000", "--duration", "2", "--warmup", "1", "--report", temp.resolve("rt").toString(),
            "--seed", "11"};
        boolean allowed = true;
        try
        {
            RealtimeScheduling.check(1);
        }
        catch (final IllegalStateException ex)
        {
            allowed = false;
        }
        if (allowed)
        {
            assertTrue(run(0, args).contains("passed"));
        }
        else
        {
            // The command reports a refused option on standard error, through the CommandLine it was parsed with.
            final ByteArrayOutputStream errors = new ByteArrayOutputStream();
            final PrintStream original = System.err;
            System.setErr(new PrintStream(errors, true, StandardCharsets.UTF_8));
            final int status;
            try
            {
                status = new CommandLine(new BenchCommand()).execute(args);
            }
            finally
            {
                System.setErr(original);
            }
            final String message = errors.toString(StandardCharsets.UTF_8);
            assertEquals(2, status, message);
            assertTrue(message.startsWith("--realtime-priority: wallet.pipeline.realtime-priority = 1: "), message);
            assertTrue(Files.notExists(temp.resolve("rt")), "nothing ran");
        }
    }

    @Test
    void aShortRunOverTlsServesEveryConnectionWithTheThrowAwayCertificate() throws Exception
    {
        final String output = run(0, "--tls", "--accounts", "100", "--connections", "2", "--batch", "20",
            "--duration", "1", "--warmup", "1", "--report", temp.resolve("tls").toString(), "--seed", "9");
        assertTrue(output.contains("(TLS), https 127.0.0.1:"), output);
        assertTrue(output.contains("2 connections over TLS"), output);
        assertTrue(output.contains("passed"), output);
    }

    /**
     * Runs the command, checks its exit status and that the RESULT line is the last line, and returns the output.
     */
    private static String run(final int expectedStatus, final String... args)
    {
        System.setProperty("java.awt.headless", "true");
        final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        final PrintStream original = System.out;
        final int status;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try
        {
            status = new CommandLine(new BenchCommand()).execute(args);
        }
        finally
        {
            System.setOut(original);
        }
        final String output = captured.toString(StandardCharsets.UTF_8);
        original.print(output);
        assertEquals(expectedStatus, status, output);
        final String[] lines = output.strip().split("\n");
        assertTrue(RESULT.matcher(lines[lines.length - 1]).matches(), "the last line: " + lines[lines.length - 1]);
        return output;
    }
}
