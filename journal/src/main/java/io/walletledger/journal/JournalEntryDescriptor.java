package io.walletledger.journal;

import io.walletledger.protocol.ProtocolLimits;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;

import java.nio.ByteOrder;

/**
 * Layout of the records the journal stores, one per Chronicle Queue document. All fields are little-endian.
 * <p>
 * An <b>entry</b> holds one command exactly as the engine consumes it: an SBE message, header and body. Format
 * version 2 adds the durable index; version 1 entries (32-byte header, no durable index), written by earlier builds,
 * are still read. Version 3 is version 2 with a <b>note</b> after the command, up to the end of the record and
 * covered by the checksum: what the engine needs beside the command to decide it the same way on every replay (the
 * server's recall note: what the permanent record said about ids the idempotency window forgot). The command
 * length field counts the command only.
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
 *  |  crc32c (uint32) of bytes 0..27 and everything from byte 32 on | 28
 *  +---------------------------------------------------------------+
 *  |  durable index (int64, version 2): the Chronicle index of the  | 32
 *  |  last record on stable storage when this entry was written     |
 *  +---------------------------------------------------------------+
 *  |       command: SBE message header (8 bytes) and body          ...  40 (32 in version 1)
 *  +---------------------------------------------------------------+
 *  |       note (version 3): the rest of the record                ...
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * The <b>durable index</b> is what makes a torn tail tell apart from damage. With durability
 * {@link JournalDurability#BATCH} it is the last record covered by the last completed {@code fdatasync} (or by the
 * forcing of a finished hourly file); with {@link JournalDurability#NONE} it stays at the session's open record,
 * which was forced when the writer opened the journal. Writing it costs nothing: it is a field of a header written
 * anyway. A record that fails verification while a later record names it (or a record after it) as durable was
 * damaged after it reached the disk, and is refused; see {@link JournalTail}.
 * <p>
 * Three more kinds of record say something about the journal rather than hold a command. None has a sequence of
 * its own; each is checksummed like an entry.
 * <p>
 * An <b>open record</b> is written by every writer that opens the journal, after checking its tail and before its
 * first entry, and forced together with everything before it: it says with which durability the entries up to the
 * next open record were written, so a tail written in {@link JournalDurability#NONE} (acknowledged before it was on
 * disk) is never taken for one that was not acknowledged.
 *
 * <pre>
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |            magic (uint32) = 0x4F4A4C57, "WLJO" on disk         |  0
 *  +-------------------------------+-------------------------------+
 *  |   format version (uint16)     |  durability (uint16): 0 none,  |  4
 *  |                               |  1 batch                       |
 *  +-------------------------------+-------------------------------+
 *  |     next sequence (uint64): the sequence the next entry gets   |  8
 *  |                                                                |
 *  +---------------------------------------------------------------+
 *  |                        reserved, zero                          | 16
 *  |                                                                |
 *  +---------------------------------------------------------------+
 *  |                        reserved, zero                          | 24
 *  +---------------------------------------------------------------+
 *  |                 crc32c (uint32) of bytes 0..27                 | 28
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * A <b>cut record</b> is written when a writer opens a journal whose tail, written with
 * {@link JournalDurability#BATCH} after the last completed {@code fdatasync}, fails verification: it says that the
 * records from the first dropped index on were dropped (none of them was acknowledged) and that their first
 * sequence is given to the next entry. The dropped documents are no longer in the queue file; the file that held
 * them is kept beside it ({@link JournalTailCut}).
 *
 * <pre>
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |            magic (uint32) = 0x434A4C57, "WLJC" on disk         |  0
 *  +-------------------------------+-------------------------------+
 *  |   format version (uint16)     |        reserved, zero          |  4
 *  +-------------------------------+-------------------------------+
 *  |   next sequence (uint64): the first sequence that was dropped  |  8
 *  |                                                                |
 *  +---------------------------------------------------------------+
 *  |   first dropped index (int64): where the dropped tail began    | 16
 *  |                                                                |
 *  +---------------------------------------------------------------+
 *  |   dropped documents (uint32): those Chronicle could still read | 24
 *  +---------------------------------------------------------------+
 *  |                 crc32c (uint32) of bytes 0..27                 | 28
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * A <b>discard record</b> is written only by {@link TornTailPolicy#TRUNCATE} for a tail written with
 * {@link JournalDurability#NONE}: it says that the record just before it, a torn tail, is not part of the journal,
 * and that its sequence is given to the next entry. Chronicle cannot cut a document out of a queue file, so the cut
 * is recorded instead, in the same ordered and checksummed stream.
 *
 * <pre>
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
    /** "WLJO" as it reads in a hex dump of the file. */
    public static final int OPEN_MAGIC = 0x4F4A4C57;
    /** "WLJC" as it reads in a hex dump of the file. */
    public static final int CUT_MAGIC = 0x434A4C57;

    /** The version this build writes. Readers refuse any version but these two: a new layout needs new code. */
    public static final short FORMAT_VERSION = 2;
    /** An entry with a note after its command; written only for commands that have one. */
    public static final short FORMAT_VERSION_NOTE = 3;
    /** Entries without a durable index, written by earlier builds; still read. */
    public static final short FORMAT_VERSION_1 = 1;

    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 4;
    public static final int TEMPLATE_ID_OFFSET = 6;
    public static final int SEQUENCE_OFFSET = 8;
    public static final int TIMESTAMP_OFFSET = 16;
    public static final int COMMAND_LENGTH_OFFSET = 24;
    public static final int CRC_OFFSET = 28;
    /** Everything from here to the end of the record is checksummed too. */
    public static final int CRC_RESUME_OFFSET = 32;
    public static final int DURABLE_INDEX_OFFSET = 32;
    public static final int HEADER_LENGTH = 40;
    public static final int COMMAND_OFFSET = HEADER_LENGTH;
    public static final int HEADER_LENGTH_V1 = 32;

    /** The durable index of an entry that has none (version 1). */
    public static final long NO_DURABLE_INDEX = -1;

    /** Open, cut and discard records are all this long, and checksummed over bytes 0..27. */
    public static final int MARKER_RECORD_LENGTH = 32;

    public static final int OPEN_DURABILITY_OFFSET = 6;
    public static final int OPEN_NEXT_SEQUENCE_OFFSET = 8;
    public static final int OPEN_RESERVED_OFFSET = 16;
    public static final int OPEN_RESERVED2_OFFSET = 24;

    public static final int CUT_RESERVED_OFFSET = 6;
    public static final int CUT_NEXT_SEQUENCE_OFFSET = 8;
    public static final int CUT_FIRST_DROPPED_INDEX_OFFSET = 16;
    public static final int CUT_DROPPED_DOCUMENTS_OFFSET = 24;

    public static final int DISCARD_RESERVED_OFFSET = 6;
    public static final int DISCARDED_SEQUENCE_OFFSET = 8;
    public static final int DISCARDED_INDEX_OFFSET = 16;
    public static final int DISCARD_RESERVED2_OFFSET = 24;
    public static final int DISCARD_RECORD_LENGTH = MARKER_RECORD_LENGTH;

    /** Every command starts with an SBE message header; its template id is copied into the entry header. */
    public static final int COMMAND_LENGTH_MIN = MessageHeaderDecoder.ENCODED_LENGTH;

    /**
     * The longest command (with its note) an entry holds: 8 MiB. Above the largest request the protocol allows,
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
