package io.walletledger.protocol;

import io.walletledger.protocol.sbe.ErrorCode;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import org.agrona.DirectBuffer;

/**
 * Checks the shape of one request message (header and body, no frame length) before anything decodes it:
 * known schema and template, block lengths no shorter than version 1 of the schema, a batch of
 * 1..{@code batchEventsMax} events, and a length that the header and group dimensions account for
 * exactly. A message that passes can be decoded by the generated codecs without reading out of bounds.
 * <p>
 * Every request has the same shape: a root block starting with the correlation id, then one group. The element
 * lengths checked are those of the version that introduced each request ({@link RequestType#elementLengthMin()}), so
 * older clients keep working.
 */
public final class RequestValidator
{
    /** Length of the correlation id that starts every root block. */
    public static final int ROOT_BLOCK_LENGTH_MIN = 8;

    private static final int GROUP_HEADER_LENGTH = FrameDescriptor.GROUP_HEADER_LENGTH;

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final int batchEventsMax;

    /**
     * @param batchEventsMax the most events one request may carry.
     */
    public RequestValidator(final int batchEventsMax)
    {
        if (batchEventsMax < 1 || batchEventsMax > ProtocolLimits.BATCH_EVENTS_MAX_LIMIT)
        {
            throw new IllegalArgumentException(
                "batchEventsMax must be in 1.." + ProtocolLimits.BATCH_EVENTS_MAX_LIMIT + ", was " + batchEventsMax);
        }
        this.batchEventsMax = batchEventsMax;
    }

    /**
     * @return the most events one request may carry.
     */
    public int batchEventsMax()
    {
        return batchEventsMax;
    }

    /**
     * @param buffer holding the message.
     * @param offset of the message header.
     * @param length of header and body.
     * @return null if the message is well formed, otherwise why it is not.
     */
    public ErrorCode validate(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return ErrorCode.MALFORMED;
        }
        header.wrap(buffer, offset);
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID || header.version() < 1)
        {
            return ErrorCode.UNSUPPORTED_SCHEMA;
        }

        final RequestType type = RequestType.of(header.templateId());
        if (type == null)
        {
            return ErrorCode.UNKNOWN_MESSAGE_TYPE;
        }

        final int blockLength = header.blockLength();
        final int groupHeaderOffset = MessageHeaderDecoder.ENCODED_LENGTH + blockLength;
        if (blockLength < ROOT_BLOCK_LENGTH_MIN || length < groupHeaderOffset + GROUP_HEADER_LENGTH)
        {
            return ErrorCode.MALFORMED;
        }

        final int elementLength = FrameDescriptor.groupElementLength(buffer, offset + groupHeaderOffset);
        final int count = FrameDescriptor.groupCount(buffer, offset + groupHeaderOffset);
        if (elementLength < type.elementLengthMin())
        {
            return ErrorCode.MALFORMED;
        }
        if (count == 0)
        {
            return ErrorCode.BATCH_EMPTY;
        }
        if (count > type.eventsMax(batchEventsMax))
        {
            return ErrorCode.BATCH_TOO_LARGE;
        }
        final long expectedLength = (long)groupHeaderOffset + GROUP_HEADER_LENGTH + (long)count * elementLength;
        if (expectedLength != length)
        {
            return ErrorCode.MALFORMED;
        }
        return null;
    }
}
