package io.walletledger.engine;

import org.agrona.concurrent.UnsafeBuffer;

import static io.walletledger.engine.TransferDescriptor.*;

/**
 * Writes bare transfer records (an id, a timestamp, a result) for the tests of the window and its index.
 */
final class TestRecords
{
    private TestRecords()
    {
    }

    static void writeId(
        final TransferRecords records, final int slot, final long idLo, final long idHi, final long timestamp,
        final int result, final long idHash)
    {
        final UnsafeBuffer buffer = records.buffer();
        final int o = TransferRecords.offset(slot);
        buffer.setMemory(o, RECORD_LENGTH, (byte)0);
        buffer.putLong(o + ID_LO_OFFSET, idLo);
        buffer.putLong(o + ID_HI_OFFSET, idHi);
        buffer.putLong(o + ID_HASH_OFFSET, idHash);
        buffer.putLong(o + TIMESTAMP_OFFSET, timestamp);
        buffer.putShort(o + RESULT_OFFSET, (short)result);
    }
}
