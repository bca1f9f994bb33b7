package io.walletledger.protocol;

import io.walletledger.protocol.sbe.GroupSizeEncodingDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Layout of one frame on the wire: a length prefix, then one SBE message (header and body).
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |               length (int32, little-endian)                   |
 *  +-------------------------------+-------------------------------+
 *  |      blockLength (uint16)     |      templateId (uint16)      |
 *  +-------------------------------+-------------------------------+
 *  |       schemaId (uint16)       |        version (uint16)       |
 *  +-------------------------------+-------------------------------+
 *  |                 message body (blockLength + groups)          ...
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * {@code length} counts the message header and body, not the length field itself. Every request and response body
 * starts with the correlation id (uint64), and every request then holds one group:
 *
 * <pre>
 *  +----------------------+----------------------------+---------------------------------+-------------------+
 *  | header (8 bytes)     | root block (blockLength,   | group header: elementLength     | count elements of |
 *  |                      |  correlationId first)      | (uint16), count (uint16)        | elementLength     |
 *  +----------------------+----------------------------+---------------------------------+-------------------+
 * </pre>
 *
 * The helpers below read the header fields every module needs (template id, correlation id, the group's
 * dimensions) from a message given by its buffer and the offset of its header, so that no module reads raw offsets.
 * Those that take no length trust the message: use them only on messages that passed {@link RequestValidator} or
 * that this process encoded.
 */
public final class FrameDescriptor
{
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;
    public static final int LENGTH_FIELD_OFFSET = 0;
    public static final int LENGTH_FIELD_LENGTH = 4;
    public static final int MESSAGE_OFFSET = LENGTH_FIELD_LENGTH;
    public static final int MESSAGE_HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;
    /** The correlation id starts every message body. */
    public static final int CORRELATION_ID_OFFSET = MESSAGE_HEADER_LENGTH;
    public static final int GROUP_HEADER_LENGTH = GroupSizeEncodingDecoder.ENCODED_LENGTH;

    private static final int TEMPLATE_ID_OFFSET = MessageHeaderDecoder.templateIdEncodingOffset();
    private static final int BLOCK_LENGTH_OFFSET = MessageHeaderDecoder.blockLengthEncodingOffset();
    private static final int ELEMENT_LENGTH_OFFSET = GroupSizeEncodingDecoder.blockLengthEncodingOffset();
    private static final int COUNT_OFFSET = GroupSizeEncodingDecoder.numInGroupEncodingOffset();

    private FrameDescriptor()
    {
    }

    /**
     * @param message holding a message of at least {@link #MESSAGE_HEADER_LENGTH} bytes.
     * @param offset  of its header.
     * @return its template id.
     */
    public static int templateId(final DirectBuffer message, final int offset)
    {
        return message.getShort(offset + TEMPLATE_ID_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    /**
     * @return the template id of a message read without trusting its shape; 0 (no template) if it is too short to
     * hold a header.
     */
    public static int templateId(final DirectBuffer message, final int offset, final int length)
    {
        return length >= MESSAGE_HEADER_LENGTH ? templateId(message, offset) : 0;
    }

    /**
     * @return the correlation id of a well-formed message.
     */
    public static long correlationId(final DirectBuffer message, final int offset)
    {
        return message.getLong(offset + CORRELATION_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * @return the correlation id of a message read without trusting its shape; 0 if it is too short to hold one.
     */
    public static long correlationId(final DirectBuffer message, final int offset, final int length)
    {
        return length >= CORRELATION_ID_OFFSET + Long.BYTES ? correlationId(message, offset) : 0;
    }

    /**
     * @return where the group header of a well-formed request starts: after the header and the root block.
     */
    public static int groupHeaderOffset(final DirectBuffer message, final int offset)
    {
        return offset + MESSAGE_HEADER_LENGTH + (message.getShort(offset + BLOCK_LENGTH_OFFSET, BYTE_ORDER) & 0xFFFF);
    }

    /**
     * @param groupHeaderOffset from {@link #groupHeaderOffset}.
     * @return the length of each element of the group.
     */
    public static int groupElementLength(final DirectBuffer message, final int groupHeaderOffset)
    {
        return message.getShort(groupHeaderOffset + ELEMENT_LENGTH_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    /**
     * @param groupHeaderOffset from {@link #groupHeaderOffset}.
     * @return the number of elements (events) in the group.
     */
    public static int groupCount(final DirectBuffer message, final int groupHeaderOffset)
    {
        return message.getShort(groupHeaderOffset + COUNT_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    /**
     * Sets the number of elements of a group, for code that cuts a group down in place.
     *
     * @param groupHeaderOffset from {@link #groupHeaderOffset}.
     */
    public static void groupCount(final MutableDirectBuffer message, final int groupHeaderOffset, final int count)
    {
        message.putShort(groupHeaderOffset + COUNT_OFFSET, (short)count, BYTE_ORDER);
    }
}
