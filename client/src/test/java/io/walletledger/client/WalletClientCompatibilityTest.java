package io.walletledger.client;

import io.walletledger.protocol.FrameDescriptor;
import io.walletledger.protocol.sbe.AccountStatus;
import io.walletledger.protocol.sbe.FreezeScope;
import io.walletledger.protocol.sbe.LookupAccountsResponseDecoder;
import io.walletledger.protocol.sbe.LookupTransfersResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.PendingStatus;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.walletledger.client.LoopbackLedger.USD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A server of protocol version 1 answers lookups without the fields of version 2 (freeze scope, limits, fees): the
 * client reads them at their defaults rather than reading the next record's bytes as policy fields. The replies are
 * written byte by byte in the version-1 layout, two records each, so a client that ignored the version would read
 * the second record's id as the first one's freeze scope.
 */
class WalletClientCompatibilityTest
{
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final int ACCOUNT_LENGTH_V1 = 63;
    private static final int TRANSFER_LENGTH_V1 = 103;

    @Test
    void lookupsFromAVersionOneServerReadTheNewFieldsAsDefaults() throws Exception
    {
        try (SilentServer server = SilentServer.start();
            WalletClient client = WalletClient.connect("127.0.0.1", server.port()))
        {
            final Socket peer = server.awaitConnection();

            final CompletableFuture<List<AccountRecord>> accounts = client.lookupAccounts(2, 3);
            reply(peer, LookupAccountsResponseDecoder.TEMPLATE_ID, ACCOUNT_LENGTH_V1, (buffer, at, i) ->
            {
                buffer.putLong(at, 2 + i, LE);                 // id
                buffer.putLong(at + 8, 0, LE);                 // debitsPending
                buffer.putLong(at + 16, 100, LE);              // debitsPosted
                buffer.putLong(at + 24, 0, LE);                // creditsPending
                buffer.putLong(at + 32, 1_000, LE);            // creditsPosted
                buffer.putLong(at + 40, 0, LE);                // userData
                buffer.putLong(at + 48, 1_700_000_000_000_000_000L, LE);
                buffer.putShort(at + 56, (short)USD, LE);
                buffer.putShort(at + 58, (short)1, LE);        // code
                buffer.putShort(at + 60, (short)2, LE);        // flags: debitsMustNotExceedCredits
                buffer.putByte(at + 62, (byte)1);              // status: FROZEN
            });
            final List<AccountRecord> found = accounts.get(10, TimeUnit.SECONDS);
            assertEquals(List.of(2L, 3L), found.stream().map(AccountRecord::id).toList());
            for (final AccountRecord account : found)
            {
                assertEquals(900, account.balance());
                assertEquals(AccountStatus.FROZEN, account.status());
                assertEquals(FreezeScope.NONE, account.freezeScope());
                assertEquals(Limits.NONE, account.limits());
                assertEquals(0, account.dailyDebitsUsed());
            }

            final CompletableFuture<List<TransferRecord>> transfers =
                client.lookupTransfers(TransferId.of(7), TransferId.of(8));
            reply(peer, LookupTransfersResponseDecoder.TEMPLATE_ID, TRANSFER_LENGTH_V1, (buffer, at, i) ->
            {
                buffer.putLong(at, 7 + i, LE);                 // id lo; hi, pendingId, userData128 stay zero
                buffer.putLong(at + 16, 2, LE);                // debitAccountId
                buffer.putLong(at + 24, 3, LE);                // creditAccountId
                buffer.putLong(at + 32, 250, LE);              // amount
                buffer.putLong(at + 88, 1_700_000_000_000_000_000L, LE);
                buffer.putShort(at + 96, (short)USD, LE);
                buffer.putShort(at + 98, (short)1, LE);        // code
                buffer.putShort(at + 100, (short)0, LE);       // flags
                buffer.putByte(at + 102, (byte)0);             // pendingStatus: NONE
            });
            final List<TransferRecord> records = transfers.get(10, TimeUnit.SECONDS);
            assertEquals(List.of(TransferId.of(7), TransferId.of(8)), records.stream().map(TransferRecord::id).toList());
            for (final TransferRecord transfer : records)
            {
                assertEquals(250, transfer.amount());
                assertEquals(PendingStatus.NONE, transfer.pendingStatus());
                assertFalse(transfer.review());
                assertEquals(0, transfer.fee());
                assertEquals(0, transfer.feeAccountId());
            }
        }
    }

    @FunctionalInterface
    private interface RecordWriter
    {
        void write(UnsafeBuffer buffer, int at, int index);
    }

    /**
     * Reads the client's request and answers it with a version-1 response of two records.
     */
    private static void reply(final Socket peer, final int templateId, final int recordLength, final RecordWriter records)
        throws IOException
    {
        final long correlationId = new UnsafeBuffer(SilentServer.readFrame(peer))
            .getLong(MessageHeaderDecoder.ENCODED_LENGTH, LE);
        final int messageLength = MessageHeaderDecoder.ENCODED_LENGTH + 8 + 4 + 2 * recordLength;
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[FrameDescriptor.LENGTH_FIELD_LENGTH + messageLength]);
        frame.putInt(0, messageLength, LE);
        int at = FrameDescriptor.LENGTH_FIELD_LENGTH;
        frame.putShort(at, (short)8, LE);                      // blockLength: the correlation id
        frame.putShort(at + 2, (short)templateId, LE);
        frame.putShort(at + 4, (short)MessageHeaderDecoder.SCHEMA_ID, LE);
        frame.putShort(at + 6, (short)1, LE);                  // version 1
        frame.putLong(at + 8, correlationId, LE);
        frame.putShort(at + 16, (short)recordLength, LE);      // group: blockLength, numInGroup
        frame.putShort(at + 18, (short)2, LE);
        at += 20;
        for (int i = 0; i < 2; i++, at += recordLength)
        {
            records.write(frame, at, i);
        }
        final OutputStream out = peer.getOutputStream();
        out.write(frame.byteArray());
        out.flush();
    }
}
