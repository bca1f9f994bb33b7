package io.walletledger.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.walletledger.config.WalletSettings;
import io.walletledger.engine.LedgerConfig;
import io.walletledger.journal.JournalReader;
import io.walletledger.protocol.sbe.CreateTransfersResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.server.HttpTestClient.Response;
import io.walletledger.server.cli.WalletCli;
import io.walletledger.server.node.CrashWorkload;
import io.walletledger.server.node.LedgerNode;
import io.walletledger.server.node.LedgerNodeTest;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.agrona.concurrent.UnsafeBuffer;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code wallet journal archive} on a real ledger: a node fills four hourly journal files (its journal clock moved an
 * hour at a time), then the archive moves the files its snapshots and record cover, {@code wallet verify} passes from
 * the snapshot on, and a real server process on what is left recognises every transfer of the archived files when
 * it is sent again (no money moves twice), takes new ones, is killed with SIGKILL, and after a restart holds every
 * transfer it acknowledged, each once. A node whose record would need the archived entries refuses to start.
 */
class JournalArchiveCrashTest
{
    private static final long AMOUNT = 100;
    private static final int HOURS = 4;
    private static final int REQUESTS_PER_HOUR = 6;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    private WalletSettings settings()
    {
        return TransferRecordTest.settings(data).withOverrides(Map.of(
            "wallet.snapshot.every-commands", 5,
            "wallet.snapshot.interval", "0s",
            "wallet.snapshot.retain", 2));
    }

    @Test
    void archivedJournalFilesAreNeverReplayedNorForgottenAcrossSigkill() throws Exception
    {
        final List<Long> acknowledged = fillHourlyFiles();
        final int filesBefore = journalFiles().size();
        assertEquals(HOURS, filesBefore, "one file per hour");

        final String[] archived = cli("journal", "archive", "--data-dir", data.toString());
        assertEquals("0", archived[0], archived[2]);
        assertTrue(archived[1].contains("the journal now starts at sequence"), archived[1]);
        final long first;
        try (JournalReader reader = JournalReader.open(data.resolve("journal")))
        {
            first = reader.firstSequence();
        }
        assertTrue(first > 1, "files were archived: " + archived[1]);
        assertTrue(journalFiles().size() < filesBefore);
        final String[] verified = cli("verify", "--data-dir", data.toString());
        assertEquals("0", verified[0], verified[1] + verified[2]);
        assertTrue(verified[1].contains("the entries before were archived"), verified[1]);

        // A real server on what is left: the archived transfers are recognised, new ones taken, then SIGKILL.
        long nextId = 1_000_000;
        try (DevServerProcess server = DevServerProcess.start(data, DevServerProcess.SMALL_LEDGER))
        {
            final HttpClient http = HttpClient.newHttpClient();
            for (final long id : acknowledged)
            {
                assertEquals("EXISTS", resend(http, server.httpBase(), id), "transfer " + id + " of an archived " +
                    "file sent again");
            }
            final long killAfter = ThreadLocalRandom.current().nextLong(5, 20);
            for (int request = 0; request < killAfter; request++)
            {
                final long id = nextId++;
                assertEquals("OK", resend(http, server.httpBase(), id));
                acknowledged.add(id);
            }
            server.kill();
        }

        try (WalletServer restarted = WalletServer.start(settings()))
        {
            final HttpTestClient http = new HttpTestClient(restarted);
            for (final long id : acknowledged)
            {
                final Response found = http.get("/v1/transfers/" + id);
                assertEquals(200, found.status(), "transfer " + id + ": " + found.body());
            }
            assertEquals(Long.toString(AMOUNT * acknowledged.size()),
                http.get("/v1/accounts/2").body().get("credits_posted_minor").asText(),
                "every acknowledged transfer moved its money once, none twice");
        }
    }

    @Test
    void aRecordThatNeedsArchivedEntriesRefusesToStartUntilTheyArePutBack() throws Exception
    {
        fillHourlyFiles();
        final String[] archived = cli("journal", "archive", "--data-dir", data.toString(), "--to",
            data.resolveSibling("archive").toString());
        assertEquals("0", archived[0], archived[2]);
        deleteRecursively(data.resolve("record"));

        final IllegalStateException refused = assertThrows(
            IllegalStateException.class, () -> WalletServer.start(settings()).close());
        assertTrue(refused.getMessage().contains("archived"), refused.getMessage());

        try (var files = Files.list(data.resolveSibling("archive")))
        {
            for (final Path file : files.toList())
            {
                Files.move(file, data.resolve("journal").resolve(file.getFileName()));
            }
        }
        try (WalletServer restarted = WalletServer.start(settings()))
        {
            final HttpTestClient http = new HttpTestClient(restarted);
            assertEquals(200, http.get("/v1/transfers/1").status(), "the rebuilt record holds the first transfer");
        }
    }

    /**
     * A node whose journal clock moves an hour after every {@value #REQUESTS_PER_HOUR} requests of fundings (from
     * account 1 to wallet 2), starting six hours ago so that a server on the system clock writes after them.
     *
     * @return the ids of the transfers, all acknowledged.
     */
    private List<Long> fillHourlyFiles() throws Exception
    {
        final SetTimeProvider clock = new SetTimeProvider(TimeUnit.MILLISECONDS.toNanos(
            System.currentTimeMillis() - TimeUnit.HOURS.toMillis(HOURS + 2)));
        final WalletSettings settings = settings();
        final LedgerConfig ledger = WalletServer.ledgerConfig(settings);
        final List<Long> acknowledged = new ArrayList<>();
        try (LedgerNode node = LedgerNode.start(WalletServer.nodeConfig(settings, ledger).journalClock(clock).build()))
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1 << 16]);
            final int accounts = CrashWorkload.accountIds().length;
            for (int from = 0; from < accounts; from += CrashWorkload.BATCH_MAX)
            {
                final int length = CrashWorkload.createAccounts(buffer, from,
                    Math.min(CrashWorkload.BATCH_MAX, accounts - from));
                LedgerNodeTest.submit(node, Arrays.copyOf(buffer.byteArray(), length)).get(30, TimeUnit.SECONDS);
            }
            long id = 1;
            for (int hour = 0; hour < HOURS; hour++)
            {
                for (int request = 0; request < REQUESTS_PER_HOUR; request++)
                {
                    final byte[] reply = LedgerNodeTest.submit(node, BinaryRequests.fundings(id, 10))
                        .get(30, TimeUnit.SECONDS);
                    final CreateTransfersResponseDecoder response = new CreateTransfersResponseDecoder()
                        .wrapAndApplyHeader(new UnsafeBuffer(reply), 0, new MessageHeaderDecoder());
                    assertEquals(0, response.results().count(), "every funding succeeds");
                    for (int i = 0; i < 10; i++)
                    {
                        acknowledged.add(id++);
                    }
                }
                clock.advanceMillis(TimeUnit.HOURS.toMillis(1));
            }
        }
        return acknowledged;
    }

    private static String resend(final HttpClient http, final String base, final long id) throws Exception
    {
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/v1/transfers"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"transfers\":[{\"id\":\"" + id + "\",\"debit_account_id\":" +
                "\"1\",\"credit_account_id\":\"2\",\"amount_minor\":\"" + AMOUNT + "\",\"currency\":\"USD\",\"code\":1}]}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        final String result = JSON.readTree(response.body()).get("results").get(0).get("result").asText();
        return "RECORD_BEHIND".equals(result) ? resendLater(http, base, id) : result;
    }

    private static String resendLater(final HttpClient http, final String base, final long id) throws Exception
    {
        Thread.sleep(50);
        return resend(http, base, id);
    }

    private List<Path> journalFiles() throws Exception
    {
        try (var files = Files.list(data.resolve("journal")))
        {
            return files.filter(file -> file.toString().endsWith(".cq4")).toList();
        }
    }

    /**
     * @return the exit status, what the command printed and what it printed as errors.
     */
    private static String[] cli(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int status = WalletCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new String[] {Integer.toString(status), out.toString(), err.toString()};
    }

    private static void deleteRecursively(final Path directory) throws Exception
    {
        try (var paths = Files.walk(directory))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
