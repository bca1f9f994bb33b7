package io.walletledger.gateway.security;

import io.walletledger.protocol.sbe.GroupSizeEncodingDecoder;
import io.walletledger.protocol.sbe.LookupTransfersDecoder;
import io.walletledger.protocol.sbe.LookupTransfersResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * What a key restricted to some accounts sees of a transfer lookup: the gateway cannot know whose a transfer is
 * before the ledger answers, so the request goes through and the answer is cut down to the transfers whose debit
 * or credit account the key may use; the others read as not found. Works on the bytes: the response is a header,
 * a root block and one group of fixed-length entries, so the kept entries are copied as they are.
 */
public final class TransferLookupFilter
{
    private static final int GROUP_HEADER_LENGTH = GroupSizeEncodingDecoder.ENCODED_LENGTH;
    private static final int DEBIT_OFFSET = LookupTransfersResponseDecoder.TransfersDecoder.debitAccountIdEncodingOffset();
    private static final int CREDIT_OFFSET =
        LookupTransfersResponseDecoder.TransfersDecoder.creditAccountIdEncodingOffset();

    private TransferLookupFilter()
    {
    }

    /**
     * @return whether the answer to this request must be filtered for this key.
     */
    public static boolean applies(final ApiKey key, final DirectBuffer request, final int offset)
    {
        return key.restricted() &&
            (request.getShort(offset + MessageHeaderDecoder.templateIdEncodingOffset(), ByteOrder.LITTLE_ENDIAN) &
            0xFFFF) == LookupTransfersDecoder.TEMPLATE_ID;
    }

    /**
     * @param key      the restricted key.
     * @param response a reply to a transfer lookup (any other reply is copied unchanged).
     * @return the reply with only the transfers the key may see, as a new array.
     */
    public static byte[] filter(final ApiKey key, final DirectBuffer response, final int offset, final int length)
    {
        final byte[] out = new byte[length];
        response.getBytes(offset, out);
        final MutableDirectBuffer copy = new UnsafeBuffer(out);
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(copy, 0);
        if (header.templateId() != LookupTransfersResponseDecoder.TEMPLATE_ID)
        {
            return out;
        }
        final int groupHeader = MessageHeaderDecoder.ENCODED_LENGTH + header.blockLength();
        final int elementLength = copy.getShort(groupHeader, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        final int count = copy.getShort(groupHeader + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        int kept = 0;
        for (int i = 0; i < count; i++)
        {
            final int from = groupHeader + GROUP_HEADER_LENGTH + i * elementLength;
            if (key.mayUse(copy.getLong(from + DEBIT_OFFSET, ByteOrder.LITTLE_ENDIAN)) ||
                key.mayUse(copy.getLong(from + CREDIT_OFFSET, ByteOrder.LITTLE_ENDIAN)))
            {
                copy.putBytes(groupHeader + GROUP_HEADER_LENGTH + kept * elementLength, copy, from, elementLength);
                kept++;
            }
        }
        copy.putShort(groupHeader + 2, (short)kept, ByteOrder.LITTLE_ENDIAN);
        return java.util.Arrays.copyOf(out, groupHeader + GROUP_HEADER_LENGTH + kept * elementLength);
    }
}
