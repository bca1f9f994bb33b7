package io.walletledger.server;

import io.walletledger.server.node.LedgerNodeTest;
import io.walletledger.server.node.CrashWorkload;
import io.walletledger.protocol.sbe.CreateTransfersResponseDecoder;
import io.walletledger.protocol.sbe.ErrorCode;
import io.walletledger.protocol.sbe.ErrorResponseDecoder;
import io.walletledger.protocol.sbe.LookupAccountsEncoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Binary requests over a {@link RawConnection} for tests of the gateway: the {@link CrashWorkload} accounts, and
 * transfers that always succeed, so that a well-behaved client can tell a right answer from a wrong one.
 */
final class BinaryRequests
{
    private BinaryRequests()
    {
    }

    /**
     * Sends {@link #fundings} and checks that every one of them succeeded, with the right correlation id.
     */
    static void fundAndExpectSuccess(final RawConnection connection, final long firstId, final int count)
        throws IOException
    {
        connection.send(fundings(firstId, count));
        final byte[] reply = connection.receive();
        assertEquals(CreateTransfersResponseDecoder.TEMPLATE_ID, LedgerNodeTest.templateOf(reply));
        final CreateTransfersResponseDecoder response = new CreateTransfersResponseDecoder()
            .wrapAndApplyHeader(RawConnection.buffer(reply), 0, new MessageHeaderDecoder());
        assertEquals(firstId, response.correlationId());
        assertEquals(0, response.results().count(), "every funding transfer succeeds");
    }

    static void createAccounts(final RawConnection connection) throws IOException
    {
        final int count = CrashWorkload.accountIds().length;
        for (int from = 0; from < count; from += CrashWorkload.BATCH_MAX)
        {
            final UnsafeBuffer message = new UnsafeBuffer(new byte[1 << 16]);
            final int length = CrashWorkload.createAccounts(message, from, Math.min(CrashWorkload.BATCH_MAX, count - from));
            connection.send(Arrays.copyOf(message.byteArray(), length));
            final byte[] reply = connection.receive();
            assertEquals(io.walletledger.protocol.sbe.CreateAccountsResponseDecoder.TEMPLATE_ID,
                LedgerNodeTest.templateOf(reply));
        }
    }

    static byte[] transfers(final long firstId, final int count)
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[1 << 16]);
        final int length = CrashWorkload.createTransfers(message, firstId, count);
        return Arrays.copyOf(message.byteArray(), length);
    }

    /**
     * @return transfers from the USD settlement account (which may go negative) to wallet 2: they always succeed.
     */
    static byte[] fundings(final long firstId, final int count)
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[1 << 16]);
        final io.walletledger.protocol.sbe.CreateTransfersEncoder encoder =
            new io.walletledger.protocol.sbe.CreateTransfersEncoder()
                .wrapAndApplyHeader(message, 0, new MessageHeaderEncoder()).correlationId(firstId);
        final io.walletledger.protocol.sbe.CreateTransfersEncoder.TransfersEncoder group =
            encoder.transfersCount(count);
        for (int i = 0; i < count; i++)
        {
            group.next();
            group.id().lo(firstId + i).hi(0);
            group.debitAccountId(1).creditAccountId(2).amount(100);
            group.pendingId().lo(0).hi(0);
            group.userData128().lo(0).hi(0);
            group.userData64(0).userData32(0).timeout(0).currency(CrashWorkload.USD).code(1);
            group.flags().clear();
        }
        return Arrays.copyOf(message.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    static byte[] lookupAll()
    {
        final long[] ids = CrashWorkload.accountIds();
        final UnsafeBuffer message = new UnsafeBuffer(new byte[4096]);
        final LookupAccountsEncoder encoder = new LookupAccountsEncoder()
            .wrapAndApplyHeader(message, 0, new MessageHeaderEncoder()).correlationId(3);
        final LookupAccountsEncoder.IdsEncoder group = encoder.idsCount(CrashWorkload.BATCH_MAX);
        for (int i = 0; i < CrashWorkload.BATCH_MAX; i++)
        {
            group.next().id(ids[i]);
        }
        return Arrays.copyOf(message.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    static void assertError(final byte[] reply, final ErrorCode code, final long correlationId)
    {
        assertEquals(ErrorResponseDecoder.TEMPLATE_ID, LedgerNodeTest.templateOf(reply));
        final ErrorResponseDecoder error = new ErrorResponseDecoder()
            .wrapAndApplyHeader(RawConnection.buffer(reply), 0, new MessageHeaderDecoder());
        assertEquals(correlationId, error.correlationId());
        assertEquals(code, error.code());
        assertTrue(error.message().length() > 0, "the error says what is wrong");
    }
}
