package io.walletledger.protocol;

import io.walletledger.protocol.sbe.AccountCommandsDecoder;
import io.walletledger.protocol.sbe.CreateAccountsDecoder;
import io.walletledger.protocol.sbe.CreateTransfersDecoder;
import io.walletledger.protocol.sbe.ErrorCode;
import io.walletledger.protocol.sbe.GroupSizeEncodingDecoder;
import io.walletledger.protocol.sbe.LookupAccountsDecoder;
import io.walletledger.protocol.sbe.LookupTransfersDecoder;
import io.walletledger.protocol.sbe.LookupPoliciesDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.ReviewTransfersDecoder;
import io.walletledger.protocol.sbe.SetAccountLimitsDecoder;
import io.walletledger.protocol.sbe.SetCodeLimitsDecoder;
import io.walletledger.protocol.sbe.SetFeesDecoder;
import io.walletledger.protocol.sbe.SetPolicySettingsDecoder;
import io.walletledger.protocol.sbe.SetReviewThresholdsDecoder;
import org.agrona.DirectBuffer;

/**
 * Checks the shape of one request message (header and body, no frame length) before anything decodes it:
 * known schema and template, block lengths no shorter than version 1 of the schema, a batch of
 * 1..{@code batchEventsMax} events, and a length that the header and group dimensions account for
 * exactly. A message that passes can be decoded by the generated codecs without reading out of bounds.
 * <p>
 * Every request has the same shape: a root block starting with the correlation id, then one group. The element
 * lengths checked are those of the version that introduced each request, so older clients keep working.
 */
public final class RequestValidator
{
    /** Length of the correlation id that starts every root block. */
    public static final int ROOT_BLOCK_LENGTH_MIN = 8;

    // Element lengths of version 1 of the schema: an older client never sends less than these.
    static final int CREATE_ACCOUNTS_ELEMENT_LENGTH_V1 = 22;
    static final int CREATE_TRANSFERS_ELEMENT_LENGTH_V1 = 94;
    static final int LOOKUP_ACCOUNTS_ELEMENT_LENGTH_V1 = 8;
    static final int LOOKUP_TRANSFERS_ELEMENT_LENGTH_V1 = 16;
    // Element lengths of the requests added in version 2. Pinned: a later version may only append fields.
    static final int ACCOUNT_COMMANDS_ELEMENT_LENGTH_V2 = 10;
    static final int SET_ACCOUNT_LIMITS_ELEMENT_LENGTH_V2 = 32;
    static final int SET_CODE_LIMITS_ELEMENT_LENGTH_V2 = 26;
    static final int SET_FEES_ELEMENT_LENGTH_V2 = 40;
    static final int SET_REVIEW_THRESHOLDS_ELEMENT_LENGTH_V2 = 10;
    static final int REVIEW_TRANSFERS_ELEMENT_LENGTH_V2 = 33;
    static final int SET_POLICY_SETTINGS_ELEMENT_LENGTH_V2 = 10;
    static final int LOOKUP_POLICIES_ELEMENT_LENGTH_V2 = 1;

    private static final int GROUP_HEADER_LENGTH = GroupSizeEncodingDecoder.ENCODED_LENGTH;

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

        final int elementLengthMin;
        switch (header.templateId())
        {
            case CreateAccountsDecoder.TEMPLATE_ID:
                elementLengthMin = CREATE_ACCOUNTS_ELEMENT_LENGTH_V1;
                break;
            case CreateTransfersDecoder.TEMPLATE_ID:
                elementLengthMin = CREATE_TRANSFERS_ELEMENT_LENGTH_V1;
                break;
            case LookupAccountsDecoder.TEMPLATE_ID:
                elementLengthMin = LOOKUP_ACCOUNTS_ELEMENT_LENGTH_V1;
                break;
            case LookupTransfersDecoder.TEMPLATE_ID:
                elementLengthMin = LOOKUP_TRANSFERS_ELEMENT_LENGTH_V1;
                break;
            case AccountCommandsDecoder.TEMPLATE_ID:
                elementLengthMin = ACCOUNT_COMMANDS_ELEMENT_LENGTH_V2;
                break;
            case SetAccountLimitsDecoder.TEMPLATE_ID:
                elementLengthMin = SET_ACCOUNT_LIMITS_ELEMENT_LENGTH_V2;
                break;
            case SetCodeLimitsDecoder.TEMPLATE_ID:
                elementLengthMin = SET_CODE_LIMITS_ELEMENT_LENGTH_V2;
                break;
            case SetFeesDecoder.TEMPLATE_ID:
                elementLengthMin = SET_FEES_ELEMENT_LENGTH_V2;
                break;
            case SetReviewThresholdsDecoder.TEMPLATE_ID:
                elementLengthMin = SET_REVIEW_THRESHOLDS_ELEMENT_LENGTH_V2;
                break;
            case ReviewTransfersDecoder.TEMPLATE_ID:
                elementLengthMin = REVIEW_TRANSFERS_ELEMENT_LENGTH_V2;
                break;
            case SetPolicySettingsDecoder.TEMPLATE_ID:
                elementLengthMin = SET_POLICY_SETTINGS_ELEMENT_LENGTH_V2;
                break;
            case LookupPoliciesDecoder.TEMPLATE_ID:
                elementLengthMin = LOOKUP_POLICIES_ELEMENT_LENGTH_V2;
                break;
            default:
                return ErrorCode.UNKNOWN_MESSAGE_TYPE;
        }

        final int blockLength = header.blockLength();
        final int groupHeaderOffset = MessageHeaderDecoder.ENCODED_LENGTH + blockLength;
        if (blockLength < ROOT_BLOCK_LENGTH_MIN || length < groupHeaderOffset + GROUP_HEADER_LENGTH)
        {
            return ErrorCode.MALFORMED;
        }

        final int elementLength = buffer.getShort(offset + groupHeaderOffset, FrameDescriptor.BYTE_ORDER) & 0xFFFF;
        final int count = buffer.getShort(offset + groupHeaderOffset + 2, FrameDescriptor.BYTE_ORDER) & 0xFFFF;
        if (elementLength < elementLengthMin)
        {
            return ErrorCode.MALFORMED;
        }
        if (count == 0)
        {
            return ErrorCode.BATCH_EMPTY;
        }
        if (count > batchEventsMax)
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
