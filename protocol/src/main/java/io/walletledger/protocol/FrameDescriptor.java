package io.walletledger.protocol;

import io.walletledger.protocol.sbe.MessageHeaderDecoder;

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
 * {@code length} counts the message header and body, not the length field itself.
 */
public final class FrameDescriptor
{
    public static final ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;
    public static final int LENGTH_FIELD_OFFSET = 0;
    public static final int LENGTH_FIELD_LENGTH = 4;
    public static final int MESSAGE_OFFSET = LENGTH_FIELD_LENGTH;
    public static final int MESSAGE_HEADER_LENGTH = MessageHeaderDecoder.ENCODED_LENGTH;

    private FrameDescriptor()
    {
    }
}
