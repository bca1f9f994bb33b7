package io.walletledger.journal;

import io.walletledger.protocol.sbe.CreateAccountsEncoder;
import io.walletledger.protocol.sbe.CreateTransfersEncoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * Real commands, as the gateway would hand them to the journaler: SBE messages whose correlation id is a marker
 * a test can find again in the queue file, and whose contents follow from the marker so a replay can be checked.
 */
final class TestCommands
{
    static final long MARKER_BASE = 0x5EED_C0DE_0000_0000L;
    /** Offset of the correlation id (the marker) in a command: it follows the 8-byte SBE header. */
    static final int MARKER_OFFSET_IN_COMMAND = 8;

    private TestCommands()
    {
    }

    static long marker(final long n)
    {
        return MARKER_BASE + n;
    }

    static byte[] createTransfers(final int count, final long marker)
    {
        final int blockLength = CreateTransfersEncoder.TransfersEncoder.sbeBlockLength();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8 + 8 + 4 + count * blockLength]);
        final CreateTransfersEncoder encoder = new CreateTransfersEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(marker);
        final CreateTransfersEncoder.TransfersEncoder transfers = encoder.transfersCount(count);
        for (int i = 0; i < count; i++)
        {
            transfers.next();
            transfers.id().lo(marker * 31 + i).hi(i);
            transfers.debitAccountId(1 + (i % 1000)).creditAccountId(1001 + (i % 1000)).amount(1 + i);
            transfers.pendingId().lo(0).hi(0);
            transfers.userData128().lo(marker).hi(~marker);
            transfers.userData64(i).userData32(i).timeout(0).currency(978).code(1);
        }
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        return Arrays.copyOf(buffer.byteArray(), length);
    }

    static byte[] createAccounts(final int count, final long marker)
    {
        final int blockLength = CreateAccountsEncoder.AccountsEncoder.sbeBlockLength();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8 + 8 + 4 + count * blockLength]);
        final CreateAccountsEncoder encoder = new CreateAccountsEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(marker);
        final CreateAccountsEncoder.AccountsEncoder accounts = encoder.accountsCount(count);
        for (int i = 0; i < count; i++)
        {
            accounts.next().id(marker + i).userData(i).currency(978).code(7);
        }
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        return Arrays.copyOf(buffer.byteArray(), length);
    }

    /**
     * A command of exactly {@code length} bytes (at least 16): an SBE header of a CreateTransfers message, the
     * marker, then bytes that follow from the marker. Not a valid batch; the journal does not care.
     */
    static byte[] ofLength(final int length, final long marker)
    {
        final byte[] command = new byte[length];
        final UnsafeBuffer buffer = new UnsafeBuffer(command);
        new MessageHeaderEncoder().wrap(buffer, 0).blockLength(8).templateId(CreateTransfersEncoder.TEMPLATE_ID)
            .schemaId(CreateTransfersEncoder.SCHEMA_ID).version(CreateTransfersEncoder.SCHEMA_VERSION);
        buffer.putLong(MARKER_OFFSET_IN_COMMAND, marker);
        for (int i = 16; i < length; i++)
        {
            command[i] = (byte)(marker * 7 + i * 13);
        }
        return command;
    }
}
