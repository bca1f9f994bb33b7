package io.walletledger.gateway.security;

import io.walletledger.gateway.ArchivedTransfer;
import io.walletledger.protocol.FrameDescriptor;
import io.walletledger.protocol.RequestType;
import io.walletledger.protocol.sbe.LookupTransfersResponseDecoder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

/**
 * What a key restricted to some accounts sees of a transfer lookup: the gateway cannot know whose a transfer is
 * before the ledger answers, so the request goes through and the answer is cut down to the transfers whose debit
 * or credit account the key may use; the others read as not found. Works on the bytes: the response is a header,
 * a root block and one group of fixed-length entries, so the kept entries are copied as they are.
 */
public final class TransferLookupFilter
{
    private static final int GROUP_HEADER_LENGTH = FrameDescriptor.GROUP_HEADER_LENGTH;
    private static final int DEBIT_OFFSET = LookupTransfersResponseDecoder.TransfersDecoder.debitAccountIdEncodingOffset();
    private static final int CREDIT_OFFSET =
        LookupTransfersResponseDecoder.TransfersDecoder.creditAccountIdEncodingOffset();

    private TransferLookupFilter()
    {
    }

    /**
     * @param request a request that passed the {@code RequestValidator}.
     * @return whether the answer to this request must be filtered for this key.
     */
    public static boolean applies(final ApiKey key, final DirectBuffer request, final int offset)
    {
        return key.restricted() && RequestType.of(FrameDescriptor.templateId(request, offset)).accountScope() ==
            RequestType.AccountScope.ANSWER_FILTERED;
    }

    /**
     * @param key a restricted key, or null for one that sees everything.
     * @return whether the key may see this transfer (found in the archive rather than in the engine's answer).
     */
    public static boolean maySee(final ApiKey key, final ArchivedTransfer transfer)
    {
        return key == null || key.mayUse(transfer.debitAccountId()) || key.mayUse(transfer.creditAccountId());
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
        if (FrameDescriptor.templateId(copy, 0) != LookupTransfersResponseDecoder.TEMPLATE_ID)
        {
            return out;
        }
        final int groupHeader = FrameDescriptor.groupHeaderOffset(copy, 0);
        final int elementLength = FrameDescriptor.groupElementLength(copy, groupHeader);
        final int count = FrameDescriptor.groupCount(copy, groupHeader);
        int kept = 0;
        for (int i = 0; i < count; i++)
        {
            final int from = groupHeader + GROUP_HEADER_LENGTH + i * elementLength;
            if (key.mayUse(copy.getLong(from + DEBIT_OFFSET, FrameDescriptor.BYTE_ORDER)) ||
                key.mayUse(copy.getLong(from + CREDIT_OFFSET, FrameDescriptor.BYTE_ORDER)))
            {
                copy.putBytes(groupHeader + GROUP_HEADER_LENGTH + kept * elementLength, copy, from, elementLength);
                kept++;
            }
        }
        FrameDescriptor.groupCount(copy, groupHeader, kept);
        return Arrays.copyOf(out, groupHeader + GROUP_HEADER_LENGTH + kept * elementLength);
    }
}
