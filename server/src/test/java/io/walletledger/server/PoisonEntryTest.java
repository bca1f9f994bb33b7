package io.walletledger.server;

import io.walletledger.journal.CommandJournal;
import io.walletledger.journal.JournalDurability;
import io.walletledger.journal.JournalReader;
import io.walletledger.protocol.sbe.CreateTransfersEncoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.server.HttpTestClient.Response;
import io.walletledger.server.cli.WalletCli;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A journal entry the engine fails on (here a command journaled with a malformed recall note, as a journaler bug
 * would write it), after a real server process acknowledged transfers and was killed with SIGKILL, and with an
 * entry after it that was journaled but never applied. The node then refuses to start, naming the entry and the way
 * out; {@code wallet recover --skip} refuses any other entry, and for the one that fails journals the skip; the node
 * then starts with every acknowledged transfer there once, the failing one never applied, the one after it applied,
 * and {@code wallet verify} and {@code wallet journal dump} agree.
 */
class PoisonEntryTest
{
    private static final long POISON = 900;
    private static final long AFTER = 901;

    @TempDir
    Path data;

    @Test
    void anEntryTheEngineFailsOnIsSkippedOnlyOnPurposeAndNothingAcknowledgedIsLost() throws Exception
    {
        final List<Long> acknowledged = new ArrayList<>();
        try (DevServerProcess child = DevServerProcess.start(data, DevServerProcess.SMALL_LEDGER))
        {
            final HttpClient http = HttpClient.newHttpClient();
            post(http, child.httpBase(), "/v1/accounts", "{\"id\":\"1\",\"currency\":\"USD\"}");
            post(http, child.httpBase(), "/v1/accounts", "{\"id\":\"2\",\"currency\":\"USD\"}");
            for (long id = 100; id < 130; id++)
            {
                post(http, child.httpBase(), "/v1/transfers", transfer(id));
                acknowledged.add(id);
            }
            child.kill();
        }

        final long poisonSequence;
        try (CommandJournal journal = CommandJournal.open(data.resolve("journal"), JournalDurability.BATCH))
        {
            final long now = System.currentTimeMillis() * 1_000_000L;
            final UnsafeBuffer command = new UnsafeBuffer(new byte[256]);
            final int length = createTransfer(command, POISON);
            poisonSequence = journal.append(now, command, 0, length, new UnsafeBuffer(new byte[3]), 0, 3);
            journal.append(now + 1, command, 0, createTransfer(command, AFTER));
            journal.flush();
        }

        final IllegalStateException refused = assertThrows(IllegalStateException.class,
            () -> WalletServer.start(TransferRecordTest.settings(data)).close());
        assertTrue(message(refused).contains("wallet recover --skip " + poisonSequence), message(refused));

        final Cli wrong = cli("recover", "--skip", Long.toString(poisonSequence + 1), "--data-dir", data.toString());
        assertEquals(1, wrong.status, wrong.toString());
        assertTrue(wrong.err.contains("recovery fails at journal entry " + poisonSequence + ", not " +
            (poisonSequence + 1)), wrong.toString());

        final Cli skip = cli("recover", "--skip", Long.toString(poisonSequence), "--data-dir", data.toString());
        assertEquals(0, skip.status, skip.toString());
        assertTrue(skip.out.contains("skipped journal entry " + poisonSequence + " (CreateTransfers"), skip.out);
        assertTrue(skip.out.contains("recovery now goes through every entry"), skip.out);
        final Cli again = cli("recover", "--skip", Long.toString(poisonSequence), "--data-dir", data.toString());
        assertEquals(1, again.status, "nothing more to skip: " + again);

        try (WalletServer restarted = WalletServer.start(TransferRecordTest.settings(data)))
        {
            final HttpTestClient http = new HttpTestClient(restarted);
            long moved = 0;
            for (final long id : acknowledged)
            {
                assertEquals("EXISTS", http.post("/v1/transfers", transfer(id)).body().get("results").get(0)
                    .get("result").asText(), "acknowledged transfer " + id + " sent again");
                moved += id;
            }
            assertEquals(404, http.get("/v1/transfers/" + POISON).status(), "the skipped entry was never applied");
            final Response after = http.get("/v1/transfers/" + AFTER);
            assertEquals(200, after.status(), "the entry after it was applied: " + after.body());
            moved += AFTER;
            assertEquals(Long.toString(moved), http.get("/v1/accounts/2").body().get("credits_posted_minor").asText(),
                "every transfer moved its money once");
        }

        final Cli verify = cli("verify", "--data-dir", data.toString());
        assertEquals(0, verify.status, verify.toString());
        final Cli dump = cli("journal", "dump", "--data-dir", data.toString());
        assertTrue(dump.out.contains("-- entry " + poisonSequence + " (CreateTransfers"), dump.out);
        assertTrue(dump.out.contains("SkipJournalEntries"), dump.out);
        try (JournalReader reader = JournalReader.open(data.resolve("journal")))
        {
            assertTrue(reader.skipped().contains(poisonSequence));
        }
    }

    private static String message(final Throwable failure)
    {
        final StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause())
        {
            text.append(t.getMessage()).append(" / ");
        }
        return text.toString();
    }

    private static int createTransfer(final UnsafeBuffer buffer, final long id)
    {
        final CreateTransfersEncoder encoder = new CreateTransfersEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(id);
        final CreateTransfersEncoder.TransfersEncoder transfer = encoder.transfersCount(1).next();
        transfer.id().lo(id).hi(0);
        transfer.debitAccountId(1).creditAccountId(2).amount(id);
        transfer.pendingId().lo(0).hi(0);
        transfer.userData128().lo(0).hi(0);
        transfer.userData64(0).userData32(0).timeout(0).currency(840).code(1);
        transfer.flags().clear();
        return MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
    }

    private static String transfer(final long id)
    {
        return "{\"transfers\":[{\"id\":\"" + id + "\",\"debit_account_id\":\"1\",\"credit_account_id\":\"2\"," +
            "\"amount_minor\":\"" + id + "\",\"currency\":\"USD\",\"code\":1}]}";
    }

    private static void post(final HttpClient http, final String base, final String path, final String body)
        throws Exception
    {
        final HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertTrue(response.statusCode() == 200 || response.statusCode() == 201, response.body());
        assertTrue(!response.body().contains("\"result\"") || response.body().contains("\"result\":\"OK\""),
            response.body());
    }

    private static Cli cli(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final int status = WalletCli.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Cli(status, out.toString(), err.toString());
    }

    private record Cli(int status, String out, String err)
    {
    }
}
