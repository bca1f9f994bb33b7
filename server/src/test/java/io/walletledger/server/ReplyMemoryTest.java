package io.walletledger.server;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.walletledger.config.WalletSettings;
import io.walletledger.protocol.sbe.CreateAccountsEncoder;
import io.walletledger.protocol.sbe.CreateAccountsResponseDecoder;
import io.walletledger.protocol.sbe.LookupAccountsEncoder;
import io.walletledger.protocol.sbe.LookupAccountsResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.server.node.LedgerNodeTest;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that asks for large answers and does not read them, against a real server on loopback: the memory the
 * server holds for its replies stays near the write high water mark instead of growing with the requests it lets in
 * flight, and every answer still arrives once the client reads.
 */
class ReplyMemoryTest
{
    private static final int IDS = 8190;
    private static final int LOOKUPS = 64;
    private static final long HIGH_WATER = 1 << 20;
    /**
     * The allocator (Netty's adaptive one) takes direct memory in chunks of up to 8 MiB, shared by every thread of
     * this JVM: whether the answers need one more chunk depends on what earlier tests left in the others (after
     * {@code TransferRecordCrashTest}'s large pages of events, they did). One chunk more is allowed; memory that
     * grew with the answers in flight (about 50 MB here) is still far beyond the bound.
     */
    private static final long ALLOCATOR_CHUNK = 8L << 20;

    @TempDir
    Path data;

    private WalletServer server;

    @AfterEach
    void stop()
    {
        if (server != null)
        {
            server.close();
        }
    }

    @Test
    void largeAnswersToAClientThatDoesNotReadStayWithinTheHighWaterMark() throws Exception
    {
        final WalletSettings settings = HttpApiTest.settings(data).withOverrides(Map.of(
            "wallet.ledger.accounts-max", 16_384,
            "wallet.ledger.batch-events-max", IDS,
            "wallet.gateway.max-in-flight-per-connection", LOOKUPS,
            "wallet.gateway.write-buffer-low-water-mark", "256 KiB",
            "wallet.gateway.write-buffer-high-water-mark", HIGH_WATER + " B",
            "wallet.gateway.slow-consumer-timeout", "60 s"));
        server = WalletServer.start(settings);
        final ByteBufAllocatorMetricProvider allocator = (ByteBufAllocatorMetricProvider)ByteBufAllocator.DEFAULT;

        try (RawConnection connection = new RawConnection(server.binaryAddress(), 4096))
        {
            connection.send(createAccounts());
            assertEquals(CreateAccountsResponseDecoder.TEMPLATE_ID, LedgerNodeTest.templateOf(connection.receive()));
            final byte[] lookup = RawConnection.frame(lookupAccounts());
            final long before = allocator.metric().usedDirectMemory();

            // 64 lookups of 8,190 accounts (about 64 × 650 KB of answers), none read yet. Sent from a thread of their
            // own: the server stops reading them once their answers would not fit, so the writes block until the
            // answers are read below.
            final ByteArrayOutputStream requests = new ByteArrayOutputStream();
            for (int i = 0; i < LOOKUPS; i++)
            {
                requests.write(lookup);
            }
            final CompletableFuture<Void> sent = CompletableFuture.runAsync(() ->
            {
                try
                {
                    connection.sendRaw(requests.toByteArray());
                }
                catch (final IOException ex)
                {
                    throw new UncheckedIOException(ex);
                }
            });
            long held = 0;
            long peak = 0;
            for (int quiet = 0; quiet < 10; )
            {
                TimeUnit.MILLISECONDS.sleep(200);
                final long now = allocator.metric().usedDirectMemory() - before;
                quiet = now == held ? quiet + 1 : 0;
                held = now;
                peak = Math.max(peak, now);
            }
            final long answerBytes = (long)IDS * LookupAccountsResponseDecoder.AccountsDecoder.sbeBlockLength();
            assertTrue(peak < 4 * HIGH_WATER + 2 * answerBytes + ALLOCATOR_CHUNK, "reply memory held for the slow " +
                "client: " + peak + " bytes; the answers asked for: " + LOOKUPS * answerBytes + " bytes");

            for (int i = 0; i < LOOKUPS; i++)
            {
                final byte[] reply = connection.receive();
                assertEquals(LookupAccountsResponseDecoder.TEMPLATE_ID, LedgerNodeTest.templateOf(reply));
                assertEquals(IDS, new LookupAccountsResponseDecoder().wrapAndApplyHeader(RawConnection.buffer(reply), 0,
                    new MessageHeaderDecoder()).accounts().count(), "every account of lookup " + i);
            }
            sent.get(30, TimeUnit.SECONDS);
        }
    }

    private static byte[] createAccounts()
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[1 << 20]);
        final CreateAccountsEncoder encoder = new CreateAccountsEncoder()
            .wrapAndApplyHeader(message, 0, new MessageHeaderEncoder()).correlationId(1);
        final CreateAccountsEncoder.AccountsEncoder accounts = encoder.accountsCount(IDS);
        for (int i = 1; i <= IDS; i++)
        {
            accounts.next().id(i).userData(0).currency(840).code(1).flags().clear();
        }
        return Arrays.copyOf(message.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    private static byte[] lookupAccounts()
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[1 << 20]);
        final LookupAccountsEncoder encoder = new LookupAccountsEncoder()
            .wrapAndApplyHeader(message, 0, new MessageHeaderEncoder()).correlationId(2);
        final LookupAccountsEncoder.IdsEncoder ids = encoder.idsCount(IDS);
        for (int i = 1; i <= IDS; i++)
        {
            ids.next().id(i);
        }
        return Arrays.copyOf(message.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }
}
