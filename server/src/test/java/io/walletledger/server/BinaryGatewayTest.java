package io.walletledger.server;

import io.walletledger.server.node.LedgerNodeTest;
import io.walletledger.server.node.CrashWorkload;
import io.walletledger.server.node.LedgerNode;
import io.walletledger.gateway.GatewayContext;
import io.walletledger.gateway.binary.BinaryGateway;
import io.walletledger.gateway.binary.BinarySettings;
import io.walletledger.gateway.security.GatewaySecurity;
import io.walletledger.journal.JournalDurability;
import io.walletledger.protocol.ProtocolLimits;
import io.walletledger.protocol.sbe.CreateTransfersResponseDecoder;
import io.walletledger.protocol.sbe.ErrorCode;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import static io.walletledger.server.BinaryRequests.assertError;
import static io.walletledger.server.BinaryRequests.createAccounts;
import static io.walletledger.server.BinaryRequests.fundings;
import static io.walletledger.server.BinaryRequests.lookupAll;
import static io.walletledger.server.BinaryRequests.transfers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The binary gateway in front of a real node on loopback: requests are answered in order, and bad input gets a
 * clear answer without harming other connections or the ledger.
 */
class BinaryGatewayTest
{
    private static final long SEED = Long.getLong("wallet.test.seed", System.nanoTime());

    @TempDir
    Path data;

    private LedgerNode node;
    private BinaryGateway gateway;
    private BinarySettings settings;

    @BeforeEach
    void start()
    {
        node = LedgerNode.start(CrashWorkload.config(data, JournalDurability.NONE));
        settings = new BinarySettings("127.0.0.1", 0, CrashWorkload.BATCH_MAX,
            ProtocolLimits.messageLengthMax(CrashWorkload.BATCH_MAX), 8, 8 * 1024, 16 * 1024,
            Duration.ofMillis(500), Duration.ZERO, 64, 0, null);
        gateway = BinaryGateway.start(GatewayContext.of(node, GatewaySecurity.development()), settings, 1);
    }

    @AfterEach
    void stop()
    {
        gateway.close();
        node.close();
    }

    @Test
    void requestsAreAnsweredInOrderWithTheirCorrelationIds() throws IOException
    {
        try (RawConnection connection = new RawConnection(gateway.address()))
        {
            createAccounts(connection);
            long firstId = 1L << 32;
            for (int request = 0; request < 50; request++)
            {
                connection.send(transfers(firstId, 10));
                firstId += 10;
            }
            firstId = 1L << 32;
            for (int request = 0; request < 50; request++)
            {
                final byte[] reply = connection.receive();
                assertEquals(CreateTransfersResponseDecoder.TEMPLATE_ID, LedgerNodeTest.templateOf(reply));
                assertEquals(firstId, new CreateTransfersResponseDecoder()
                    .wrapAndApplyHeader(RawConnection.buffer(reply), 0, new MessageHeaderDecoder()).correlationId());
                firstId += 10;
            }
        }
        assertEquals(5 + 50, node.appliedSequence());
    }

    @Test
    void aRequestMetByAFullRingIsRetriedUntilItGoesThroughEvenWithNothingElseInFlight() throws IOException
    {
        // A ledger whose ring is full for the first few attempts: the connection must keep retrying by itself.
        final java.util.concurrent.atomic.AtomicInteger busy = new java.util.concurrent.atomic.AtomicInteger(5);
        final io.walletledger.protocol.RequestSubmitter congested = (request, offset, length, handler) ->
            busy.getAndDecrement() > 0 ? io.walletledger.protocol.Submission.BUSY :
            node.submit(request, offset, length, handler);
        try (BinaryGateway second = BinaryGateway.start(GatewayContext.of(congested, GatewaySecurity.development()), settings, 1);
            RawConnection connection = new RawConnection(second.address()))
        {
            createAccounts(connection);
            assertTrue(busy.get() < 0, "the ring was full at first");
        }
    }

    @Test
    void anUnknownMessageTypeIsAnsweredAndTheConnectionGoesOn() throws IOException
    {
        try (RawConnection connection = new RawConnection(gateway.address()))
        {
            final byte[] message = transfers(1L << 32, 1);
            new UnsafeBuffer(message).putShort(2, (short)99, java.nio.ByteOrder.LITTLE_ENDIAN); // template id
            connection.send(message);
            assertError(connection.receive(), ErrorCode.UNKNOWN_MESSAGE_TYPE, 1L << 32);
            createAccounts(connection);
        }
        assertEquals(5, node.appliedSequence(), "nothing but the accounts was journaled");
    }

    @Test
    void theNodesOwnCommandsAreRefusedEvenInDevelopmentMode() throws IOException
    {
        try (RawConnection connection = new RawConnection(gateway.address()))
        {
            final UnsafeBuffer message = new UnsafeBuffer(new byte[64]);
            final io.walletledger.protocol.sbe.SkipJournalEntriesEncoder skip =
                new io.walletledger.protocol.sbe.SkipJournalEntriesEncoder()
                    .wrapAndApplyHeader(message, 0, new io.walletledger.protocol.sbe.MessageHeaderEncoder())
                    .correlationId(77);
            skip.entriesCount(1).next().sequence(1).templateId(3);
            connection.send(Arrays.copyOf(message.byteArray(),
                io.walletledger.protocol.sbe.MessageHeaderEncoder.ENCODED_LENGTH + skip.encodedLength()));
            assertError(connection.receive(), ErrorCode.FORBIDDEN, 77);
        }
        assertEquals(0, node.appliedSequence(), "nothing was journaled");
    }

    @Test
    void aTruncatedBodyIsMalformed() throws IOException
    {
        try (RawConnection connection = new RawConnection(gateway.address()))
        {
            final byte[] message = transfers(1L << 32, 3);
            connection.send(Arrays.copyOf(message, message.length - 10));
            assertError(connection.receive(), ErrorCode.MALFORMED, 1L << 32);
            connection.send(new byte[3]);
            assertError(connection.receive(), ErrorCode.MALFORMED, 0);
            createAccounts(connection);
        }
    }

    @Test
    void aBatchOverTheLimitIsRefused() throws IOException
    {
        try (RawConnection connection = new RawConnection(gateway.address()))
        {
            final UnsafeBuffer message = new UnsafeBuffer(new byte[1 << 16]);
            final int length = CrashWorkload.createTransfers(message, 1L << 32, CrashWorkload.BATCH_MAX + 1);
            connection.send(Arrays.copyOf(message.byteArray(), length));
            assertError(connection.receive(), ErrorCode.BATCH_TOO_LARGE, 1L << 32);
        }
        assertEquals(0, node.appliedSequence());
    }

    @Test
    void anOversizedFrameIsAnsweredAndTheConnectionClosed() throws IOException
    {
        try (RawConnection connection = new RawConnection(gateway.address());
            RawConnection bystander = new RawConnection(gateway.address()))
        {
            final byte[] header = new byte[4];
            new UnsafeBuffer(header).putInt(0, settings.frameBytesMax() + 1, java.nio.ByteOrder.LITTLE_ENDIAN);
            connection.sendRaw(header);
            assertError(connection.receive(), ErrorCode.FRAME_TOO_LARGE, 0);
            assertTrue(connection.isClosedByServer());
            createAccounts(bystander);
        }
    }

    @Test
    void aClientThatDoesNotReadItsRepliesIsDisconnectedAndOthersGoOn() throws Exception
    {
        try (RawConnection good = new RawConnection(gateway.address()))
        {
            createAccounts(good);
            final byte[] lookup = lookupAll();
            final AtomicReference<Throwable> writerStopped = new AtomicReference<>();
            try (RawConnection slow = new RawConnection(gateway.address(), 4096))
            {
                // Keeps asking and never reads: the server must stop reading from it, then drop it.
                final Thread writer = new Thread(() ->
                {
                    try
                    {
                        final byte[] frame = RawConnection.frame(lookup);
                        for (int i = 0; i < 1_000_000; i++)
                        {
                            slow.sendRaw(frame);
                        }
                    }
                    catch (final IOException ex)
                    {
                        writerStopped.set(ex);
                    }
                });
                writer.setDaemon(true);
                writer.start();
                writer.join(30_000);
                assertTrue(writerStopped.get() != null, "the server closed the connection of the slow reader");
            }
            createAccounts(good);
        }
    }

    @Test
    void thousandsOfRandomAndMutatedFramesHarmNeitherTheLedgerNorAWellBehavedClient() throws Exception
    {
        final Random random = new Random(SEED);
        try (RawConnection good = new RawConnection(gateway.address()))
        {
            createAccounts(good);
            final byte[] valid = transfers(7L << 40, 5);
            final RawConnection[] hostile = new RawConnection[4];
            for (int c = 0; c < hostile.length; c++)
            {
                hostile[c] = new RawConnection(gateway.address());
            }
            long goodId = 1L << 32;
            for (int round = 0; round < 500; round++)
            {
                for (final RawConnection connection : hostile)
                {
                    sendQuietly(connection, hostileFrame(random, valid));
                }
                // The well-behaved client: funding transfers from the settlement account always succeed.
                good.send(fundings(goodId, 4));
                final byte[] reply = good.receive();
                assertEquals(CreateTransfersResponseDecoder.TEMPLATE_ID, LedgerNodeTest.templateOf(reply),
                    "seed=" + SEED);
                final CreateTransfersResponseDecoder response = new CreateTransfersResponseDecoder()
                    .wrapAndApplyHeader(RawConnection.buffer(reply), 0, new MessageHeaderDecoder());
                assertEquals(goodId, response.correlationId(), "seed=" + SEED);
                assertEquals(0, response.results().count(), "seed=" + SEED + ": every funding transfer succeeds");
                goodId += 4;
            }
            for (final RawConnection connection : hostile)
            {
                connection.close();
            }
        }
        assertTrue(node.failure() == null, "the node is healthy");
    }

    private static byte[] hostileFrame(final Random random, final byte[] valid)
    {
        switch (random.nextInt(4))
        {
            case 0:
            {
                final byte[] noise = new byte[random.nextInt(200)];
                random.nextBytes(noise);
                return RawConnection.frame(noise);
            }
            case 1:
            {
                final byte[] mutated = valid.clone();
                for (int i = 0; i < 1 + random.nextInt(4); i++)
                {
                    mutated[random.nextInt(mutated.length)] = (byte)random.nextInt();
                }
                return RawConnection.frame(mutated);
            }
            case 2:
                return RawConnection.frame(Arrays.copyOf(valid, random.nextInt(valid.length)));
            default:
            {
                final byte[] raw = new byte[1 + random.nextInt(64)];
                random.nextBytes(raw);
                return raw;
            }
        }
    }

    private static void sendQuietly(final RawConnection connection, final byte[] bytes)
    {
        try
        {
            connection.sendRaw(bytes);
        }
        catch (final IOException ex)
        {
            // A hostile connection the server has closed: what matters is everyone else.
        }
    }
}
