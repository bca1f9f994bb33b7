package io.walletledger.protocol;

import io.walletledger.protocol.sbe.AccountCommandsDecoder;
import io.walletledger.protocol.sbe.CreateAccountsDecoder;
import io.walletledger.protocol.sbe.CreateTransfersDecoder;
import io.walletledger.protocol.sbe.ErrorCode;
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
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static io.walletledger.protocol.TestRequests.BLOCK_LENGTH_OFFSET;
import static io.walletledger.protocol.TestRequests.GROUP_COUNT_OFFSET;
import static io.walletledger.protocol.TestRequests.GROUP_ELEMENT_LENGTH_OFFSET;
import static io.walletledger.protocol.TestRequests.REQUEST_TEMPLATE_IDS;
import static io.walletledger.protocol.TestRequests.SCHEMA_ID_OFFSET;
import static io.walletledger.protocol.TestRequests.TEMPLATE_ID_OFFSET;
import static io.walletledger.protocol.TestRequests.VERSION_OFFSET;
import static io.walletledger.protocol.TestRequests.getUint16;
import static io.walletledger.protocol.TestRequests.putUint16;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random bytes and random damage to valid requests: {@link RequestValidator#validate} never throws, and
 * whatever it accepts the generated decoders can walk to the end, reading every field of every element,
 * without stepping outside the message. Each message sits at the very end of its buffer, so a read past
 * the message is a read past the buffer and Agrona's bounds check turns it into an exception.
 * <p>
 * The seed is fixed so a run is repeatable; pass {@code -Dwallet.test.seed=<n>} to try another one or to
 * reproduce a failure, whose message always names the seed.
 */
final class RequestValidatorRobustnessTest
{
    private static final long DEFAULT_SEED = 0x5EED_7070_0001L;
    private static final int ITERATIONS = 20_000;
    private static final int BATCH_EVENTS_MAX = 8;
    private static final int[] EDGE_UINT16 = { 0, 1, 2, 7, 8, 9, 15, 16, 17, 21, 22, 23, 93, 94, 95, 0x7FFF, 0xFFFE, 0xFFFF };

    private final long seed = Long.decode(System.getProperty("wallet.test.seed", Long.toString(DEFAULT_SEED)));
    private final Random random = new Random(seed);
    private final RequestValidator validator = new RequestValidator(BATCH_EVENTS_MAX);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final CreateAccountsDecoder createAccounts = new CreateAccountsDecoder();
    private final CreateTransfersDecoder createTransfers = new CreateTransfersDecoder();
    private final LookupAccountsDecoder lookupAccounts = new LookupAccountsDecoder();
    private final LookupTransfersDecoder lookupTransfers = new LookupTransfersDecoder();
    private final StringBuilder fieldText = new StringBuilder();

    private int decodedLimit;
    private int accepted;
    private int rejected;

    @Test
    void randomBytesNeverMakeValidateThrowAndWhatPassesDecodes()
    {
        for (int iteration = 0; iteration < ITERATIONS; iteration++)
        {
            final byte[] message = new byte[random.nextInt(160)];
            random.nextBytes(message);
            if (message.length >= MessageHeaderDecoder.ENCODED_LENGTH && random.nextInt(4) != 0)
            {
                // Mostly a believable header, or nearly every message would stop at the schema check.
                final UnsafeBuffer buffer = new UnsafeBuffer(message);
                putUint16(buffer, SCHEMA_ID_OFFSET, MessageHeaderDecoder.SCHEMA_ID);
                putUint16(buffer, VERSION_OFFSET, 1 + random.nextInt(2));
                putUint16(buffer, TEMPLATE_ID_OFFSET, REQUEST_TEMPLATE_IDS[random.nextInt(REQUEST_TEMPLATE_IDS.length)]);
                if (random.nextBoolean())
                {
                    putUint16(buffer, BLOCK_LENGTH_OFFSET, 8 + random.nextInt(4));
                }
            }
            check(message, "random bytes, iteration " + iteration);
        }

        assertTrue(rejected > 0, describe("nothing was rejected"));
    }

    @Test
    void damagedValidRequestsNeverMakeValidateThrowAndWhatPassesDecodes()
    {
        for (int iteration = 0; iteration < ITERATIONS; iteration++)
        {
            final int templateId = REQUEST_TEMPLATE_IDS[random.nextInt(REQUEST_TEMPLATE_IDS.length)];
            byte[] message = TestRequests.encode(templateId, random.nextInt(BATCH_EVENTS_MAX + 2), random);
            final StringBuilder damage = new StringBuilder();
            final int mutations = 1 + random.nextInt(3);
            for (int i = 0; i < mutations; i++)
            {
                message = mutate(message, damage);
            }
            check(message, "template " + templateId + ", iteration " + iteration + ", damage:" + damage);
        }

        assertTrue(accepted > 0, describe("nothing was accepted, so decoding was never exercised"));
        assertTrue(rejected > 0, describe("nothing was rejected"));
    }

    private byte[] mutate(final byte[] message, final StringBuilder damage)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(message);
        switch (random.nextInt(8))
        {
            case 0:
            {
                if (message.length == 0)
                {
                    return message;
                }
                final int index = random.nextInt(message.length);
                message[index] ^= (byte)(1 + random.nextInt(255));
                damage.append(" flip byte ").append(index);
                return message;
            }
            case 1:
            {
                final int length = message.length == 0 ? 0 : random.nextInt(message.length);
                damage.append(" truncate to ").append(length);
                return Arrays.copyOf(message, length);
            }
            case 2:
            {
                final int extra = 1 + random.nextInt(120);
                final byte[] longer = Arrays.copyOf(message, message.length + extra);
                for (int i = message.length; i < longer.length; i++)
                {
                    longer[i] = (byte)random.nextInt();
                }
                damage.append(" append ").append(extra);
                return longer;
            }
            case 3:
                return putEdge(buffer, BLOCK_LENGTH_OFFSET, "root block length", damage);
            case 4:
                return putEdge(buffer, GROUP_ELEMENT_LENGTH_OFFSET, "element length", damage);
            case 5:
                return putEdge(buffer, GROUP_COUNT_OFFSET, "count", damage);
            case 6:
            {
                final int offset = random.nextBoolean() ? TEMPLATE_ID_OFFSET : VERSION_OFFSET;
                return putEdge(buffer, offset, offset == VERSION_OFFSET ? "version" : "template id", damage);
            }
            default:
            {
                // A consistent resize: the group header and the length agree, only the element length moves.
                if (message.length < GROUP_COUNT_OFFSET + 2)
                {
                    return message;
                }
                final int elementLength = random.nextInt(120);
                final int count = getUint16(buffer, GROUP_COUNT_OFFSET);
                final int blockLength = getUint16(buffer, BLOCK_LENGTH_OFFSET);
                final int length = MessageHeaderDecoder.ENCODED_LENGTH + blockLength + 4 + count * elementLength;
                if (blockLength != TestRequests.ROOT_BLOCK_LENGTH || length > 1 << 16)
                {
                    return message;
                }
                final byte[] resized = Arrays.copyOf(message, length);
                putUint16(new UnsafeBuffer(resized), GROUP_ELEMENT_LENGTH_OFFSET, elementLength);
                damage.append(" resize elements to ").append(elementLength);
                return resized;
            }
        }
    }

    private byte[] putEdge(final UnsafeBuffer buffer, final int offset, final String field, final StringBuilder damage)
    {
        if (buffer.capacity() < offset + 2)
        {
            return buffer.byteArray();
        }
        final int value = random.nextBoolean() ?
            EDGE_UINT16[random.nextInt(EDGE_UINT16.length)] :
            getUint16(buffer, offset) + random.nextInt(5) - 2;
        putUint16(buffer, offset, value);
        damage.append(' ').append(field).append(" = ").append(value & 0xFFFF);
        return buffer.byteArray();
    }

    private void check(final byte[] message, final String context)
    {
        // Also at a non-zero offset, still ending at the end of the buffer.
        final int offset = random.nextInt(4) == 0 ? 1 + random.nextInt(7) : 0;
        final byte[] bytes = new byte[offset + message.length];
        System.arraycopy(message, 0, bytes, offset, message.length);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);

        final ErrorCode result;
        try
        {
            result = validator.validate(buffer, offset, message.length);
        }
        catch (final RuntimeException ex)
        {
            throw new AssertionError(describe("validate threw on " + context + hex(message, offset)), ex);
        }

        if (null != result)
        {
            rejected++;
            return;
        }

        accepted++;
        try
        {
            final int count = getUint16(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH +
                getUint16(buffer, offset + BLOCK_LENGTH_OFFSET) + 2);
            final int decoded = decodeEveryField(buffer, offset);
            assertEquals(count, decoded, describe("elements decoded, " + context + hex(message, offset)));
            assertEquals(bytes.length, decodedLimit,
                describe("the decoder must end exactly at the end of the message, " + context + hex(message, offset)));
        }
        catch (final RuntimeException ex)
        {
            throw new AssertionError(describe("decoding an accepted message threw, " + context + hex(message, offset)), ex);
        }
    }

    /**
     * Walks the message with the generated decoder, reading every field of every element.
     *
     * @return the number of elements decoded; {@link #decodedLimit} is where decoding ended.
     */
    private int decodeEveryField(final DirectBuffer buffer, final int offset)
    {
        header.wrap(buffer, offset);
        fieldText.setLength(0);
        int decoded = 0;
        switch (header.templateId())
        {
            case CreateAccountsDecoder.TEMPLATE_ID:
            {
                createAccounts.wrapAndApplyHeader(buffer, offset, header);
                fieldText.append(createAccounts.correlationId());
                for (final CreateAccountsDecoder.AccountsDecoder account : createAccounts.accounts())
                {
                    account.appendTo(fieldText);
                    decoded++;
                }
                decodedLimit = createAccounts.limit();
                break;
            }
            case CreateTransfersDecoder.TEMPLATE_ID:
            {
                createTransfers.wrapAndApplyHeader(buffer, offset, header);
                fieldText.append(createTransfers.correlationId());
                for (final CreateTransfersDecoder.TransfersDecoder transfer : createTransfers.transfers())
                {
                    transfer.appendTo(fieldText);
                    decoded++;
                }
                decodedLimit = createTransfers.limit();
                break;
            }
            case LookupAccountsDecoder.TEMPLATE_ID:
            {
                lookupAccounts.wrapAndApplyHeader(buffer, offset, header);
                fieldText.append(lookupAccounts.correlationId());
                for (final LookupAccountsDecoder.IdsDecoder id : lookupAccounts.ids())
                {
                    id.appendTo(fieldText);
                    decoded++;
                }
                decodedLimit = lookupAccounts.limit();
                break;
            }
            case LookupTransfersDecoder.TEMPLATE_ID:
            {
                lookupTransfers.wrapAndApplyHeader(buffer, offset, header);
                fieldText.append(lookupTransfers.correlationId());
                for (final LookupTransfersDecoder.IdsDecoder id : lookupTransfers.ids())
                {
                    id.appendTo(fieldText);
                    decoded++;
                }
                decodedLimit = lookupTransfers.limit();
                break;
            }
            case AccountCommandsDecoder.TEMPLATE_ID:
            {
                final AccountCommandsDecoder decoder = new AccountCommandsDecoder().wrapAndApplyHeader(buffer, offset, header);
                fieldText.append(decoder.correlationId());
                for (final AccountCommandsDecoder.CommandsDecoder command : decoder.commands())
                {
                    fieldText.append(command.accountId()).append(command.actionRaw()).append(command.freezeScopeRaw());
                    decoded++;
                }
                decodedLimit = decoder.limit();
                break;
            }
            case SetAccountLimitsDecoder.TEMPLATE_ID:
            {
                final SetAccountLimitsDecoder decoder = new SetAccountLimitsDecoder().wrapAndApplyHeader(buffer, offset, header);
                fieldText.append(decoder.correlationId());
                for (final SetAccountLimitsDecoder.LimitsDecoder limits : decoder.limits())
                {
                    limits.appendTo(fieldText);
                    decoded++;
                }
                decodedLimit = decoder.limit();
                break;
            }
            case SetCodeLimitsDecoder.TEMPLATE_ID:
            {
                final SetCodeLimitsDecoder decoder = new SetCodeLimitsDecoder().wrapAndApplyHeader(buffer, offset, header);
                fieldText.append(decoder.correlationId());
                for (final SetCodeLimitsDecoder.LimitsDecoder limits : decoder.limits())
                {
                    limits.appendTo(fieldText);
                    decoded++;
                }
                decodedLimit = decoder.limit();
                break;
            }
            case SetFeesDecoder.TEMPLATE_ID:
            {
                final SetFeesDecoder decoder = new SetFeesDecoder().wrapAndApplyHeader(buffer, offset, header);
                fieldText.append(decoder.correlationId());
                for (final SetFeesDecoder.FeesDecoder fee : decoder.fees())
                {
                    fee.appendTo(fieldText);
                    decoded++;
                }
                decodedLimit = decoder.limit();
                break;
            }
            case SetReviewThresholdsDecoder.TEMPLATE_ID:
            {
                final SetReviewThresholdsDecoder decoder =
                    new SetReviewThresholdsDecoder().wrapAndApplyHeader(buffer, offset, header);
                fieldText.append(decoder.correlationId());
                for (final SetReviewThresholdsDecoder.ThresholdsDecoder threshold : decoder.thresholds())
                {
                    threshold.appendTo(fieldText);
                    decoded++;
                }
                decodedLimit = decoder.limit();
                break;
            }
            case ReviewTransfersDecoder.TEMPLATE_ID:
            {
                final ReviewTransfersDecoder decoder = new ReviewTransfersDecoder().wrapAndApplyHeader(buffer, offset, header);
                fieldText.append(decoder.correlationId());
                for (final ReviewTransfersDecoder.DecisionsDecoder decision : decoder.decisions())
                {
                    fieldText.append(decision.id().lo()).append(decision.id().hi())
                        .append(decision.pendingId().lo()).append(decision.pendingId().hi()).append(decision.decisionRaw());
                    decoded++;
                }
                decodedLimit = decoder.limit();
                break;
            }
            case SetPolicySettingsDecoder.TEMPLATE_ID:
            {
                final SetPolicySettingsDecoder decoder = new SetPolicySettingsDecoder().wrapAndApplyHeader(buffer, offset, header);
                fieldText.append(decoder.correlationId());
                for (final SetPolicySettingsDecoder.SettingsDecoder setting : decoder.settings())
                {
                    fieldText.append(setting.settingRaw()).append(setting.value());
                    decoded++;
                }
                decodedLimit = decoder.limit();
                break;
            }
            case LookupPoliciesDecoder.TEMPLATE_ID:
            {
                final LookupPoliciesDecoder decoder = new LookupPoliciesDecoder().wrapAndApplyHeader(buffer, offset, header);
                fieldText.append(decoder.correlationId());
                for (final LookupPoliciesDecoder.SectionsDecoder section : decoder.sections())
                {
                    fieldText.append(section.reserved());
                    decoded++;
                }
                decodedLimit = decoder.limit();
                break;
            }
            default:
                throw new AssertionError(describe("accepted template " + header.templateId()));
        }

        return decoded;
    }

    private String describe(final String what)
    {
        return what + " [seed " + seed + ", rerun with -Dwallet.test.seed=" + seed + "]";
    }

    private static String hex(final byte[] message, final int offset)
    {
        final StringBuilder text = new StringBuilder(", offset ").append(offset).append(", message ");
        for (final byte b : message)
        {
            text.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return text.toString();
    }
}
