package io.walletledger.protocol;

import io.walletledger.protocol.sbe.CreateAccountsDecoder;
import io.walletledger.protocol.sbe.CreateAccountsEncoder;
import io.walletledger.protocol.sbe.CreateTransfersDecoder;
import io.walletledger.protocol.sbe.CreateTransfersEncoder;
import io.walletledger.protocol.sbe.GroupSizeEncodingDecoder;
import io.walletledger.protocol.sbe.LookupAccountsDecoder;
import io.walletledger.protocol.sbe.LookupAccountsEncoder;
import io.walletledger.protocol.sbe.LookupTransfersDecoder;
import io.walletledger.protocol.sbe.LookupTransfersEncoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;
import java.util.Random;

/**
 * Builds request messages (message header and body, no frame length) for the validator tests: real ones
 * through the generated encoders, and raw ones with any header and group dimensions, so that each test
 * can break exactly one rule.
 *
 * <pre>
 *   0        8              8 + rootBlockLength      + 4
 *   +--------+--------------+------------------------+---------------------------------+
 *   | header | root block   | group header           | count x elementLength           |
 *   |        | correlation  | elementLength | count  |                                 |
 *   +--------+--------------+------------------------+---------------------------------+
 * </pre>
 */
final class TestRequests
{
    static final int[] REQUEST_TEMPLATE_IDS = {
        CreateAccountsDecoder.TEMPLATE_ID,
        CreateTransfersDecoder.TEMPLATE_ID,
        LookupAccountsDecoder.TEMPLATE_ID,
        LookupTransfersDecoder.TEMPLATE_ID,
    };

    static final int BLOCK_LENGTH_OFFSET = MessageHeaderDecoder.blockLengthEncodingOffset();
    static final int TEMPLATE_ID_OFFSET = MessageHeaderDecoder.templateIdEncodingOffset();
    static final int SCHEMA_ID_OFFSET = MessageHeaderDecoder.schemaIdEncodingOffset();
    static final int VERSION_OFFSET = MessageHeaderDecoder.versionEncodingOffset();

    static final int ROOT_BLOCK_LENGTH = 8;
    static final int GROUP_HEADER_LENGTH = GroupSizeEncodingDecoder.ENCODED_LENGTH;
    /** Where the group header starts in a message whose root block has the version 1 length. */
    static final int GROUP_HEADER_OFFSET = MessageHeaderDecoder.ENCODED_LENGTH + ROOT_BLOCK_LENGTH;
    static final int GROUP_ELEMENT_LENGTH_OFFSET = GROUP_HEADER_OFFSET;
    static final int GROUP_COUNT_OFFSET = GROUP_HEADER_OFFSET + 2;

    private TestRequests()
    {
    }

    /**
     * @param templateId a request template.
     * @return the version 1 length of one element of its group.
     */
    static int elementLengthV1(final int templateId)
    {
        switch (templateId)
        {
            case CreateAccountsDecoder.TEMPLATE_ID:
                return CreateAccountsDecoder.AccountsDecoder.sbeBlockLength();
            case CreateTransfersDecoder.TEMPLATE_ID:
                return CreateTransfersDecoder.TransfersDecoder.sbeBlockLength();
            case LookupAccountsDecoder.TEMPLATE_ID:
                return LookupAccountsDecoder.IdsDecoder.sbeBlockLength();
            case LookupTransfersDecoder.TEMPLATE_ID:
                return LookupTransfersDecoder.IdsDecoder.sbeBlockLength();
            default:
                throw new IllegalArgumentException("not a request template: " + templateId);
        }
    }

    /**
     * Encodes a well-formed request through the generated encoder, every field random.
     *
     * @param templateId a request template.
     * @param count      number of events, 0..65534.
     * @param random     source of the field values.
     * @return exactly the bytes of the message.
     */
    static byte[] encode(final int templateId, final int count, final Random random)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(
            GROUP_HEADER_OFFSET + GROUP_HEADER_LENGTH + count * elementLengthV1(templateId));
        final MessageHeaderEncoder header = new MessageHeaderEncoder();
        final int bodyLength;
        switch (templateId)
        {
            case CreateAccountsDecoder.TEMPLATE_ID:
            {
                final CreateAccountsEncoder encoder = new CreateAccountsEncoder()
                    .wrapAndApplyHeader(buffer, 0, header)
                    .correlationId(random.nextLong());
                final CreateAccountsEncoder.AccountsEncoder accounts = encoder.accountsCount(count);
                for (int i = 0; i < count; i++)
                {
                    accounts.next()
                        .id(random.nextLong())
                        .userData(random.nextLong())
                        .currency(random.nextInt(65535))
                        .code(random.nextInt(65535));
                    accounts.flags().clear()
                        .linked(random.nextBoolean())
                        .debitsMustNotExceedCredits(random.nextBoolean())
                        .creditsMustNotExceedDebits(random.nextBoolean());
                }
                bodyLength = encoder.encodedLength();
                break;
            }
            case CreateTransfersDecoder.TEMPLATE_ID:
            {
                final CreateTransfersEncoder encoder = new CreateTransfersEncoder()
                    .wrapAndApplyHeader(buffer, 0, header)
                    .correlationId(random.nextLong());
                final CreateTransfersEncoder.TransfersEncoder transfers = encoder.transfersCount(count);
                for (int i = 0; i < count; i++)
                {
                    transfers.next();
                    transfers.id().lo(random.nextLong()).hi(random.nextLong());
                    transfers
                        .debitAccountId(random.nextLong())
                        .creditAccountId(random.nextLong())
                        .amount(random.nextLong() & Long.MAX_VALUE);
                    transfers.pendingId().lo(random.nextLong()).hi(random.nextLong());
                    transfers.userData128().lo(random.nextLong()).hi(random.nextLong());
                    transfers
                        .userData64(random.nextLong())
                        .userData32(random.nextInt() & 0xFFFF_FFFEL)
                        .timeout(random.nextInt() & 0xFFFF_FFFEL)
                        .currency(random.nextInt(65535))
                        .code(random.nextInt(65535));
                    transfers.flags().clear()
                        .linked(random.nextBoolean())
                        .pending(random.nextBoolean())
                        .postPending(random.nextBoolean())
                        .voidPending(random.nextBoolean());
                }
                bodyLength = encoder.encodedLength();
                break;
            }
            case LookupAccountsDecoder.TEMPLATE_ID:
            {
                final LookupAccountsEncoder encoder = new LookupAccountsEncoder()
                    .wrapAndApplyHeader(buffer, 0, header)
                    .correlationId(random.nextLong());
                final LookupAccountsEncoder.IdsEncoder ids = encoder.idsCount(count);
                for (int i = 0; i < count; i++)
                {
                    ids.next().id(random.nextLong());
                }
                bodyLength = encoder.encodedLength();
                break;
            }
            case LookupTransfersDecoder.TEMPLATE_ID:
            {
                final LookupTransfersEncoder encoder = new LookupTransfersEncoder()
                    .wrapAndApplyHeader(buffer, 0, header)
                    .correlationId(random.nextLong());
                final LookupTransfersEncoder.IdsEncoder ids = encoder.idsCount(count);
                for (int i = 0; i < count; i++)
                {
                    ids.next().id().lo(random.nextLong()).hi(random.nextLong());
                }
                bodyLength = encoder.encodedLength();
                break;
            }
            default:
                throw new IllegalArgumentException("not a request template: " + templateId);
        }

        return Arrays.copyOf(buffer.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + bodyLength);
    }

    /**
     * Builds a request by hand, with whatever header and dimensions a test needs; the length always
     * matches what the header and the group header declare, and every other byte is random.
     *
     * @return exactly the bytes of the message.
     */
    static byte[] raw(
        final int templateId,
        final int schemaId,
        final int version,
        final int rootBlockLength,
        final int elementLength,
        final int count,
        final Random random)
    {
        final int groupHeaderOffset = MessageHeaderDecoder.ENCODED_LENGTH + rootBlockLength;
        final byte[] message = new byte[groupHeaderOffset + GROUP_HEADER_LENGTH + count * elementLength];
        random.nextBytes(message);

        final UnsafeBuffer buffer = new UnsafeBuffer(message);
        putUint16(buffer, BLOCK_LENGTH_OFFSET, rootBlockLength);
        putUint16(buffer, TEMPLATE_ID_OFFSET, templateId);
        putUint16(buffer, SCHEMA_ID_OFFSET, schemaId);
        putUint16(buffer, VERSION_OFFSET, version);
        putUint16(buffer, groupHeaderOffset, elementLength);
        putUint16(buffer, groupHeaderOffset + 2, count);

        return message;
    }

    static void putUint16(final UnsafeBuffer buffer, final int index, final int value)
    {
        buffer.putShort(index, (short)value, FrameDescriptor.BYTE_ORDER);
    }

    static int getUint16(final DirectBuffer buffer, final int index)
    {
        return buffer.getShort(index, FrameDescriptor.BYTE_ORDER) & 0xFFFF;
    }
}
