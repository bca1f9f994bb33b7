package io.walletledger.server.node;

import io.walletledger.protocol.ReplyHandler;
import io.walletledger.protocol.Submission;
import io.walletledger.journal.JournalDurability;
import io.walletledger.protocol.sbe.CommandResultsResponseDecoder;
import io.walletledger.protocol.sbe.CreateAccountsResponseDecoder;
import io.walletledger.protocol.sbe.CreateTransfersResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * The process {@link NodeCrashTest} kills with SIGKILL: {@code NodeCrashChild DIR NONE|BATCH GENERATION} starts a
 * node on DIR, creates the accounts (the answer is EXISTS after the first run), sets fees and limits, then sends
 * transfer requests for
 * ever, a few in flight, with ids {@code GENERATION << 32 + n}. For each reply it prints
 * {@code ACK <firstId> <count> [<index>:<code>...]} (the events that did not succeed) on standard output.
 */
public final class NodeCrashChild
{
    private static final int IN_FLIGHT = 4;

    private NodeCrashChild()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        final Path data = Path.of(args[0]);
        final JournalDurability durability = JournalDurability.valueOf(args[1]);
        final long generation = Long.parseLong(args[2]);
        final PrintStream out = new PrintStream(System.out, true, StandardCharsets.US_ASCII);

        final LedgerNode node = LedgerNode.start(CrashWorkload.config(data, durability));
        final int accountCount = CrashWorkload.accountIds().length;
        for (int from = 0; from < accountCount; from += CrashWorkload.BATCH_MAX)
        {
            final UnsafeBuffer accounts = new UnsafeBuffer(new byte[1 << 16]);
            final int length = CrashWorkload.createAccounts(
                accounts, from, Math.min(CrashWorkload.BATCH_MAX, accountCount - from));
            final CompletableFuture<Integer> created = new CompletableFuture<>();
            submit(node, accounts, length, (buffer, offset, replyLength) ->
                created.complete(new MessageHeaderDecoder().wrap(buffer, offset).templateId()));
            if (created.get() != CreateAccountsResponseDecoder.TEMPLATE_ID)
            {
                out.println("FAILED to create accounts: response template " + created.get());
                System.exit(1);
            }
        }
        // Wallet policies, set again on every run (an identical setting changes nothing but the journal).
        final UnsafeBuffer policies = new UnsafeBuffer(new byte[1 << 12]);
        applyPolicy(node, policies, CrashWorkload.setFees(policies), out);
        applyPolicy(node, policies, CrashWorkload.setLimits(policies), out);
        out.println("READY");

        final Semaphore slots = new Semaphore(IN_FLIGHT);
        long nextId = generation << 32;
        while (true)
        {
            slots.acquire();
            final long firstId = nextId;
            final int count = CrashWorkload.batchLength(firstId);
            nextId += count;
            // Each request gets its own buffer: the node reads it until the reply.
            final UnsafeBuffer request = new UnsafeBuffer(new byte[4096]);
            final int length = CrashWorkload.createTransfers(request, firstId, count);
            submit(node, request, length, (buffer, offset, replyLength) ->
            {
                out.println(describe(firstId, count, buffer, offset));
                slots.release();
            });
            Thread.sleep(0, 200_000);
        }
    }

    private static void applyPolicy(
        final LedgerNode node, final UnsafeBuffer request, final int length, final PrintStream out) throws Exception
    {
        final CompletableFuture<String> applied = new CompletableFuture<>();
        submit(node, request, length, (buffer, offset, replyLength) ->
        {
            final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, offset);
            if (header.templateId() != CommandResultsResponseDecoder.TEMPLATE_ID)
            {
                applied.complete("response template " + header.templateId());
                return;
            }
            final int refused = new CommandResultsResponseDecoder().wrapAndApplyHeader(buffer, offset, header)
                .results().count();
            applied.complete(refused == 0 ? "" : refused + " commands refused");
        });
        if (!applied.get().isEmpty())
        {
            out.println("FAILED to set policies: " + applied.get());
            System.exit(1);
        }
    }

    private static void submit(
        final LedgerNode node, final UnsafeBuffer request, final int length, final ReplyHandler handler)
        throws InterruptedException
    {
        while (node.submit(request, 0, length, handler) != Submission.ACCEPTED)
        {
            Thread.sleep(1);
        }
    }

    private static String describe(
        final long firstId, final int count, final org.agrona.DirectBuffer buffer, final int offset)
    {
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, offset);
        if (header.templateId() != CreateTransfersResponseDecoder.TEMPLATE_ID)
        {
            return "ERROR " + firstId + " template " + header.templateId();
        }
        final CreateTransfersResponseDecoder response = new CreateTransfersResponseDecoder()
            .wrapAndApplyHeader(buffer, offset, header);
        final StringBuilder line = new StringBuilder("ACK ").append(firstId).append(' ').append(count);
        for (final CreateTransfersResponseDecoder.ResultsDecoder result : response.results())
        {
            line.append(' ').append(result.index()).append(':').append(result.resultRaw());
        }
        return line.toString();
    }
}
