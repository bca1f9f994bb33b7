package io.walletledger.journal;

import io.walletledger.protocol.ProtocolLimits;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;

import java.nio.ByteOrder;

/**
 * Layout of the records the journal stores, one per Chronicle Queue document. All fields are little-endian.
 * <p>
 * An <b>entry</b> holds one command exactly as the engine consumes it: an SBE message, header and body.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |            magic (uint32) = 0x454A4C57, "WLJE" on disk         |  0
 *  +-------------------------------+-------------------------------+
 *  |   format version (uint16)     |  templateId (uint16, from SBE) |  4
 *  +-------------------------------+-------------------------------+
 *  |                        sequence (uint64)                       |  8
 *  |                                                                |
 *  +---------------------------------------------------------------+
 *  |               timestamp (int64, engine nanoseconds)            | 16
 *  |                                                                |
 *  +---------------------------------------------------------------+
 *  |                   command length (uint32)                      | 24
 *  +---------------------------------------------------------------+
 *  |     crc32c (uint32) of bytes 0..27 and the command bytes       | 28
 *  +---------------------------------------------------------------+
 *  |       command: SBE message header (8 bytes) and body          ...  32
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * A <b>discard record</b> is written only by {@link TornTailPolicy#TRUNCATE}: it says that the record just before
 * it, a torn tail, is not part of the journal, and that its sequence is given to the next entry. Chronicle cannot
 * cut a document out of a queue file, so the cut is recorded instead, in the same ordered and checksummed stream.
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |            magic (uint32) = 0x444A4C57, "WLJD" on disk         |  0
 *  +-------------------------------+-------------------------------+
 *  |   format version (uint16)     |        reserved, zero          |  4
 *  +-------------------------------+-------------------------------+
 *  |     discarded sequence (uint64): the sequence it should have   |  8
 *  |                                                                |
 *  +---------------------------------------------------------------+
 *  |       discarded index (int64): Chronicle index of the record   | 16
 *  |                                                                |
 *  +---------------------------------------------------------------+
 *  |                        reserved, zero                          | 24
 *  +---------------------------------------------------------------+
 *  |                 crc32c (uint32) of bytes 0..27                 | 28
 *  +---------------------------------------------------------------+
 * </pre>
 */
public final class JournalEntryDescriptor
{
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;

    /** "WLJE" as it reads in a hex dump of the file. */
    public static final int ENTRY_MAGIC = 0x454A4C57;
    /** "WLJD" as it reads in a hex dump of the file. */
    public static final int DISCARD_MAGIC = 0x444A4C57;
    /** Readers refuse any other version: a new layout needs new reading code, not a guess. */
    public static final short FORMAT_VERSION = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int TEMPLATE_ID_OFFSET = 6;
    public static final int SEQUENCE_OFFSET = 8;
    public static final int TIMESTAMP_OFFSET = 16;
    public static final int COMMAND_LENGTH_OFFSET = 24;
    public static final int CRC_OFFSET = 28;
    public static final int HEADER_LENGTH = 32;
    public static final int COMMAND_OFFSET = HEADER_LENGTH;

    public static final int DISCARD_RESERVED_OFFSET = 6;
    public static final int DISCARDED_SEQUENCE_OFFSET = 8;
    public static final int DISCARDED_INDEX_OFFSET = 16;
    public static final int DISCARD_RESERVED2_OFFSET = 24;
    public static final int DISCARD_RECORD_LENGTH = HEADER_LENGTH;

    /** Every command starts with an SBE message header; its template id is copied into the entry header. */
    public static final int COMMAND_LENGTH_MIN = MessageHeaderDecoder.ENCODED_LENGTH;

    /**
     * The longest command an entry holds: 8 MiB. Above the largest request the protocol allows,
     * {@link ProtocolLimits#messageLengthMax(int)} at the 65,535-event limit (about 6.8 MB), and below the largest
     * Chronicle document with the journal's 64 MiB mapping blocks (a quarter of a block, 16 MiB).
     */
    public static final int COMMAND_LENGTH_MAX = 8 * 1024 * 1024;

    /** The longest record, and so the longest Chronicle document, a journal holds. */
    public static final int RECORD_LENGTH_MAX = HEADER_LENGTH + COMMAND_LENGTH_MAX;

    private JournalEntryDescriptor()
    {
    }
}
