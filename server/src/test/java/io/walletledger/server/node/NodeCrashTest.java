package io.walletledger.server.node;

import io.walletledger.server.ChildJvm;
import io.walletledger.journal.JournalDurability;
import io.walletledger.protocol.sbe.CreateTransfersResponseDecoder;
import io.walletledger.protocol.sbe.LookupAccountsEncoder;
import io.walletledger.protocol.sbe.LookupAccountsResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.protocol.sbe.ResultCode;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real child JVM runs the node under a steady stream of transfers and reports every acknowledged one; it is
 * killed with SIGKILL at random moments, several times, and restarted on the same data directory (alternating
 * durability modes, starting with the default, batch; the final recovery runs the default too). Then: every acknowledged transfer is in the ledger with its original outcome (resending it
 * answers EXISTS, or exactly the same failure code), money is conserved per currency, no wallet is overdrawn, and the state
 * the node recovers equals an independent replay of the journal alone.
 */
@SuppressWarnings("try") // nodes are closed inside their try blocks to read their engine afterwards
class NodeCrashTest
{
    /** Four in the normal suite; a soak runs more: {@code -Dwallet.crash.kills=50} (docs/operations.md, "Crash testing"). */
    private static final int KILLS = Integer.getInteger("wallet.crash.kills", 4);
    private static final long SEED = Long.getLong("wallet.test.seed", System.nanoTime());

    @TempDir
    Path data;

    @Test
    void everyAcknowledgedTransferSurvivesRepeatedSigkill() throws Exception
    {
        final Random random = new Random(SEED);
        final Map<Long, int[]> acknowledged = new LinkedHashMap<>();
        for (int run = 0; run < KILLS; run++)
        {
            final JournalDurability durability = run % 2 == 0 ? JournalDurability.BATCH : JournalDurability.NONE;
            final int before = acknowledged.size();
            runAndKill(durability, run + 1, 200 + random.nextInt(1000), acknowledged);
            assertTrue(acknowledged.size() > before, "seed=" + SEED + " run " + run + " acknowledged nothing");
        }

        final NodeConfig config = CrashWorkload.config(data);
        final long recoveredHash;
        try (LedgerNode node = LedgerNode.start(config))
        {
            node.close();
            recoveredHash = node.engine().stateHash();
        }
        final Recovery.Recovered replay = Recovery.recover(
            config.ledger(), data.resolve("no-snapshots"), config.journalDirectory(), false);
        assertEquals(recoveredHash, replay.engine().stateHash(), "seed=" + SEED + ": recovery and journal replay differ");

        try (LedgerNode node = LedgerNode.start(config))
        {
            resendAndCompare(node, acknowledged);
            checkBalances(node);
        }
    }

    private void runAndKill(
        final JournalDurability durability,
        final long generation,
        final int runMillis,
        final Map<Long, int[]> acknowledged) throws Exception
    {
        final Process child = ChildJvm.start(NodeCrashChild.class, data.toString(), durability.name(),
            Long.toString(generation));
        try (BufferedReader output = new BufferedReader(
            new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII)))
        {
            assertEquals("READY", output.readLine(), "seed=" + SEED + ": the child did not start");
            final long killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(runMillis);
            String line;
            while (System.nanoTime() < killAt && (line = output.readLine()) != null)
            {
                record(line, acknowledged);
            }
            child.toHandle().destroyForcibly(); // SIGKILL
            child.waitFor();
            while ((line = output.readLine()) != null)
            {
                record(line, acknowledged);
            }
        }
    }

    private static void record(final String line, final Map<Long, int[]> acknowledged)
    {
        final String[] parts = line.split(" ");
        assertEquals("ACK", parts[0], "seed=" + SEED + ": " + line);
        final long firstId = Long.parseLong(parts[1]);
        final int[] codes = new int[Integer.parseInt(parts[2])];
        for (int i = 3; i < parts.length; i++)
        {
            final String[] result = parts[i].split(":");
            codes[Integer.parseInt(result[0])] = Integer.parseInt(result[1]);
        }
        acknowledged.put(firstId, codes);
    }

    /**
     * Resends every acknowledged batch: each transfer that succeeded answers EXISTS, each that failed the same code.
     */
    static void resendAndCompare(final LedgerNode node, final Map<Long, int[]> acknowledged) throws Exception
    {
        final Map<Long, CompletableFuture<byte[]>> replies = new HashMap<>();
        for (final Map.Entry<Long, int[]> batch : acknowledged.entrySet())
        {
            final UnsafeBuffer request = new UnsafeBuffer(new byte[4096]);
            final int length = CrashWorkload.createTransfers(request, batch.getKey(), batch.getValue().length);
            replies.put(batch.getKey(), LedgerNodeTest.submit(node, Arrays.copyOf(request.byteArray(), length)));
        }
        int ok = 0;
        for (final Map.Entry<Long, int[]> batch : acknowledged.entrySet())
        {
            final int[] original = batch.getValue();
            final int[] again = new int[original.length];
            final UnsafeBuffer reply = new UnsafeBuffer(replies.get(batch.getKey()).get(30, TimeUnit.SECONDS));
            final CreateTransfersResponseDecoder response = new CreateTransfersResponseDecoder()
                .wrapAndApplyHeader(reply, 0, new MessageHeaderDecoder());
            for (final CreateTransfersResponseDecoder.ResultsDecoder result : response.results())
            {
                again[result.index()] = result.resultRaw();
            }
            for (int i = 0; i < original.length; i++)
            {
                final String context = "seed=" + SEED + ": transfer " + (batch.getKey() + i) +
                    " was acknowledged with code " + original[i] + " but a resend answers " + again[i];
                if (original[i] == ResultCode.OK.value())
                {
                    ok++;
                    assertEquals(ResultCode.EXISTS.value(), again[i], context);
                }
                else
                {
                    assertEquals(original[i], again[i], context);
                }
            }
        }
        final Map<Integer, Integer> histogram = new HashMap<>();
        acknowledged.values().forEach(codes -> Arrays.stream(codes).forEach(c -> histogram.merge(c, 1, Integer::sum)));
        assertTrue(ok > 0, "seed=" + SEED + ": no acknowledged transfer succeeded: " + histogram);
    }

    /**
     * Every account exists, money is conserved per currency and no wallet is overdrawn.
     */
    static void checkBalances(final LedgerNode node) throws Exception
    {
        final long[] ids = CrashWorkload.accountIds();
        final Map<Integer, Long> net = new HashMap<>();
        final List<Long> seen = new ArrayList<>();
        for (int from = 0; from < ids.length; from += CrashWorkload.BATCH_MAX)
        {
            final int count = Math.min(CrashWorkload.BATCH_MAX, ids.length - from);
            final UnsafeBuffer request = new UnsafeBuffer(new byte[4096]);
            final LookupAccountsEncoder encoder = new LookupAccountsEncoder()
                .wrapAndApplyHeader(request, 0, new MessageHeaderEncoder()).correlationId(from);
            final LookupAccountsEncoder.IdsEncoder group = encoder.idsCount(count);
            for (int i = from; i < from + count; i++)
            {
                group.next().id(ids[i]);
            }
            final byte[] reply = LedgerNodeTest.submit(node, Arrays.copyOf(request.byteArray(),
                MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength())).get(30, TimeUnit.SECONDS);
            final LookupAccountsResponseDecoder response = new LookupAccountsResponseDecoder()
                .wrapAndApplyHeader(new UnsafeBuffer(reply), 0, new MessageHeaderDecoder());
            for (final LookupAccountsResponseDecoder.AccountsDecoder account : response.accounts())
            {
                seen.add(account.id());
                assertEquals(0, account.debitsPending());
                assertEquals(0, account.creditsPending());
                net.merge(account.currency(), account.creditsPosted() - account.debitsPosted(), Long::sum);
                if (!CrashWorkload.isSettlement(account.id()))
                {
                    assertTrue(account.debitsPosted() <= account.creditsPosted(),
                        "seed=" + SEED + ": wallet " + account.id() + " is overdrawn");
                }
            }
        }
        assertEquals(ids.length, seen.size(), "every account exists");
        for (final int currency : CrashWorkload.CURRENCIES)
        {
            assertEquals(0L, net.get(currency), "seed=" + SEED + ": money created or lost in currency " + currency);
        }
    }
}
