package io.walletledger.server.node;

import io.walletledger.journal.JournalReader;
import io.walletledger.protocol.sbe.CreateAccountsResponseDecoder;
import io.walletledger.protocol.sbe.CreateTransfersEncoder;
import io.walletledger.protocol.sbe.CreateTransfersResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node whose wall clock jumps an hour ahead while a hold with a one-minute timeout is open: the hold can still be
 * posted a few seconds later (engine time did not jump with the wall clock), the metric shows the distance, and
 * after a restart the replayed ledger agrees.
 */
class ClockJumpTest
{
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    @TempDir
    Path data;

    private final AtomicLong wall = new AtomicLong(1_796_000_000L * SECOND);
    private final AtomicLong monotonic = new AtomicLong(1);

    @Test
    void aHoldOutlivesAnHourJumpOfTheWallClockAndTheReplayAgrees() throws Exception
    {
        final NodeConfig config = NodeConfig.builder(data)
            .ledger(CrashWorkload.config(data).ledger())
            .engineClocks(wall::get, monotonic::get)
            .snapshotInterval(java.time.Duration.ZERO)
            .build();
        final long hash;
        try (LedgerNode node = LedgerNode.start(config))
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[1 << 16]);
            final int accounts = CrashWorkload.accountIds().length;
            for (int from = 0; from < accounts; from += CrashWorkload.BATCH_MAX)
            {
                final int length = CrashWorkload.createAccounts(buffer, from,
                    Math.min(CrashWorkload.BATCH_MAX, accounts - from));
                assertEquals(CreateAccountsResponseDecoder.TEMPLATE_ID, LedgerNodeTest.templateOf(
                    LedgerNodeTest.submit(node, Arrays.copyOf(buffer.byteArray(), length)).get(30, TimeUnit.SECONDS)));
            }

            assertEquals(0, failures(LedgerNodeTest.submit(node, hold(1_000, 60))));
            wall.addAndGet(TimeUnit.HOURS.toNanos(1));
            move(5 * SECOND);
            assertEquals(0, failures(LedgerNodeTest.submit(node, post(1_001, 1_000))), "the hold had not expired");
            assertTrue(node.clockOffsetNanos() > TimeUnit.MINUTES.toNanos(59), "the metric shows the jump");
            assertEquals(1, node.clockJumps());
            node.close();
            hash = node.engine().stateHash();
        }
        final long[] firstAndLast = { -1, -1 };
        try (JournalReader reader = JournalReader.open(config.journalDirectory()))
        {
            reader.replay(1, (sequence, timestamp, templateId, command, offset, length, noteLength) ->
            {
                firstAndLast[0] = firstAndLast[0] < 0 ? timestamp : firstAndLast[0];
                firstAndLast[1] = timestamp;
            });
        }
        assertTrue(firstAndLast[1] - firstAndLast[0] < 10 * SECOND,
            "the journal never took the jump: " + (firstAndLast[1] - firstAndLast[0]) + " ns");
        try (LedgerNode replayed = LedgerNode.start(config))
        {
            replayed.close();
            assertEquals(hash, replayed.engine().stateHash(), "the replay agrees");
        }
    }

    private void move(final long nanos)
    {
        wall.addAndGet(nanos);
        monotonic.addAndGet(nanos);
    }

    private static int failures(final java.util.concurrent.CompletableFuture<byte[]> reply) throws Exception
    {
        final byte[] bytes = reply.get(30, TimeUnit.SECONDS);
        assertEquals(CreateTransfersResponseDecoder.TEMPLATE_ID, LedgerNodeTest.templateOf(bytes));
        return new CreateTransfersResponseDecoder().wrapAndApplyHeader(new UnsafeBuffer(bytes), 0,
            new MessageHeaderDecoder()).results().count();
    }

    private static byte[] hold(final long id, final int timeoutSeconds)
    {
        return transfer(id, 0, timeoutSeconds, true);
    }

    private static byte[] post(final long id, final long pendingId)
    {
        return transfer(id, pendingId, 0, false);
    }

    private static byte[] transfer(final long id, final long pendingId, final int timeout, final boolean pending)
    {
        final long[] accounts = CrashWorkload.accountIds();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final CreateTransfersEncoder encoder = new CreateTransfersEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(id);
        final CreateTransfersEncoder.TransfersEncoder transfer = encoder.transfersCount(1).next();
        transfer.id().lo(id).hi(0);
        transfer.debitAccountId(accounts[0]).creditAccountId(accounts[1]).amount(100);
        transfer.pendingId().lo(pendingId).hi(0);
        transfer.userData128().lo(0).hi(0);
        transfer.userData64(0).userData32(0).timeout(timeout).currency(CrashWorkload.currencyOf(accounts[0])).code(1);
        transfer.flags().clear().pending(pending).postPending(pendingId != 0);
        return Arrays.copyOf(buffer.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }
}
