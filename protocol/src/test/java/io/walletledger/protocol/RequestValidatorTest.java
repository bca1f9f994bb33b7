package io.walletledger.protocol;

import io.walletledger.protocol.sbe.CreateAccountsDecoder;
import io.walletledger.protocol.sbe.CreateAccountsResponseDecoder;
import io.walletledger.protocol.sbe.CreateAccountsResponseEncoder;
import io.walletledger.protocol.sbe.CreateTransfersDecoder;
import io.walletledger.protocol.sbe.CreateTransfersResponseDecoder;
import io.walletledger.protocol.sbe.ErrorCode;
import io.walletledger.protocol.sbe.ErrorResponseDecoder;
import io.walletledger.protocol.sbe.ErrorResponseEncoder;
import io.walletledger.protocol.sbe.LookupAccountHistoryDecoder;
import io.walletledger.protocol.sbe.LookupAccountsDecoder;
import io.walletledger.protocol.sbe.LookupAccountsResponseDecoder;
import io.walletledger.protocol.sbe.LookupTransfersDecoder;
import io.walletledger.protocol.sbe.LookupTransfersResponseDecoder;
import io.walletledger.protocol.sbe.AccountCommandsDecoder;
import io.walletledger.protocol.sbe.LookupPoliciesDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.ReviewTransfersDecoder;
import io.walletledger.protocol.sbe.SetAccountLimitsDecoder;
import io.walletledger.protocol.sbe.SetCodeLimitsDecoder;
import io.walletledger.protocol.sbe.SetFeesDecoder;
import io.walletledger.protocol.sbe.SetLedgerSettingsDecoder;
import io.walletledger.protocol.sbe.SetPolicySettingsDecoder;
import io.walletledger.protocol.sbe.SetReviewThresholdsDecoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.protocol.sbe.ResultCode;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;

import static io.walletledger.protocol.TestRequests.GROUP_COUNT_OFFSET;
import static io.walletledger.protocol.TestRequests.GROUP_HEADER_LENGTH;
import static io.walletledger.protocol.TestRequests.GROUP_HEADER_OFFSET;
import static io.walletledger.protocol.TestRequests.ROOT_BLOCK_LENGTH;
import static io.walletledger.protocol.TestRequests.SCHEMA_ID_OFFSET;
import static io.walletledger.protocol.TestRequests.TEMPLATE_ID_OFFSET;
import static io.walletledger.protocol.TestRequests.VERSION_OFFSET;
import static io.walletledger.protocol.TestRequests.elementLengthV1;
import static io.walletledger.protocol.TestRequests.encode;
import static io.walletledger.protocol.TestRequests.putUint16;
import static io.walletledger.protocol.TestRequests.raw;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every answer {@link RequestValidator#validate} can give, each reached by a message that breaks exactly
 * one rule and is otherwise well formed.
 */
final class RequestValidatorTest
{
    private static final int SCHEMA_ID = MessageHeaderDecoder.SCHEMA_ID;
    private static final int BATCH_EVENTS_MAX = 16;

    private final Random random = new Random(7070);
    private final RequestValidator validator = new RequestValidator(BATCH_EVENTS_MAX);

    static IntStream requestTemplateIds()
    {
        return Arrays.stream(TestRequests.REQUEST_TEMPLATE_IDS);
    }

    @ParameterizedTest
    @MethodSource("requestTemplateIds")
    void acceptsAWellFormedRequestOfEveryType(final int templateId)
    {
        for (int count = 1; count <= BATCH_EVENTS_MAX; count++)
        {
            assertNull(validate(encode(templateId, count, random)), "count " + count);
        }
    }

    @ParameterizedTest
    @MethodSource("requestTemplateIds")
    void acceptsARequestThatStartsPartWayIntoTheBuffer(final int templateId)
    {
        final byte[] message = encode(templateId, 3, random);
        final int offset = 13;
        final byte[] padded = new byte[offset + message.length + 5];
        Arrays.fill(padded, (byte)0xFF);
        System.arraycopy(message, 0, padded, offset, message.length);

        assertNull(validator.validate(new UnsafeBuffer(padded), offset, message.length));
    }

    @Test
    void rejectsAMessageShorterThanItsHeaderAsMalformed()
    {
        final byte[] message = encode(CreateAccountsDecoder.TEMPLATE_ID, 1, random);
        final UnsafeBuffer buffer = new UnsafeBuffer(message);

        for (int length = -1; length < MessageHeaderDecoder.ENCODED_LENGTH; length++)
        {
            assertEquals(ErrorCode.MALFORMED, validator.validate(buffer, 0, length), "length " + length);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 7069, 7071, 0xFFFF })
    void rejectsAnotherSchemaIdAsUnsupportedSchema(final int schemaId)
    {
        final byte[] message = encode(CreateTransfersDecoder.TEMPLATE_ID, 2, random);
        putUint16(new UnsafeBuffer(message), SCHEMA_ID_OFFSET, schemaId);

        assertEquals(ErrorCode.UNSUPPORTED_SCHEMA, validate(message));
    }

    @ParameterizedTest
    @MethodSource("requestTemplateIds")
    void rejectsSchemaVersionZeroAsUnsupportedSchema(final int templateId)
    {
        final byte[] message = encode(templateId, 2, random);
        putUint16(new UnsafeBuffer(message), VERSION_OFFSET, 0);

        assertEquals(ErrorCode.UNSUPPORTED_SCHEMA, validate(message));
    }

    @Test
    void rejectsAWrongSchemaBeforeLookingAtTheTemplate()
    {
        final byte[] message = raw(0xFFFF, 1234, 1, ROOT_BLOCK_LENGTH, 22, 1, random);

        assertEquals(ErrorCode.UNSUPPORTED_SCHEMA, validate(message));
    }

    @ParameterizedTest
    @MethodSource("requestTemplateIds")
    void acceptsANewerSchemaVersionWhoseBlocksAreLonger(final int templateId)
    {
        final int rootBlockLength = ROOT_BLOCK_LENGTH + 8;
        final int elementLength = elementLengthV1(templateId) + 6;
        final byte[] message = raw(templateId, SCHEMA_ID, 2, rootBlockLength, elementLength, 3, random);

        assertNull(validate(message));
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 10, 19, 20, 0x7FFF, 0xFFFF })
    void rejectsATemplateIdTheSchemaDoesNotHaveAsUnknownMessageType(final int templateId)
    {
        final byte[] message = encode(LookupAccountsDecoder.TEMPLATE_ID, 1, random);
        putUint16(new UnsafeBuffer(message), TEMPLATE_ID_OFFSET, templateId);

        assertEquals(ErrorCode.UNKNOWN_MESSAGE_TYPE, validate(message));
    }

    @ParameterizedTest
    @ValueSource(ints = {
        CreateAccountsResponseDecoder.TEMPLATE_ID,
        CreateTransfersResponseDecoder.TEMPLATE_ID,
        LookupAccountsResponseDecoder.TEMPLATE_ID,
        LookupTransfersResponseDecoder.TEMPLATE_ID,
        ErrorResponseDecoder.TEMPLATE_ID })
    void rejectsAResponseTemplateIdSentAsARequestAsUnknownMessageType(final int templateId)
    {
        final byte[] message = encode(LookupAccountsDecoder.TEMPLATE_ID, 1, random);
        putUint16(new UnsafeBuffer(message), TEMPLATE_ID_OFFSET, templateId);

        assertEquals(ErrorCode.UNKNOWN_MESSAGE_TYPE, validate(message));
    }

    @Test
    void rejectsARealCreateAccountsResponseSentAsARequestAsUnknownMessageType()
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
        final CreateAccountsResponseEncoder encoder = new CreateAccountsResponseEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .correlationId(42);
        encoder.resultsCount(1).next().index(0).result(ResultCode.EXISTS);
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();

        assertEquals(ErrorCode.UNKNOWN_MESSAGE_TYPE, validator.validate(buffer, 0, length));
    }

    @Test
    void rejectsARealErrorResponseSentAsARequestAsUnknownMessageType()
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(64);
        final ErrorResponseEncoder encoder = new ErrorResponseEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .correlationId(42)
            .code(ErrorCode.BUSY)
            .message("busy");
        final int length = MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();

        assertEquals(ErrorCode.UNKNOWN_MESSAGE_TYPE, validator.validate(buffer, 0, length));
    }

    @ParameterizedTest
    @MethodSource("requestTemplateIds")
    void rejectsARootBlockTooShortForTheCorrelationIdAsMalformed(final int templateId)
    {
        for (int rootBlockLength = 0; rootBlockLength < RequestValidator.ROOT_BLOCK_LENGTH_MIN; rootBlockLength++)
        {
            final byte[] message = raw(
                templateId, SCHEMA_ID, 1, rootBlockLength, elementLengthV1(templateId), 2, random);

            assertEquals(ErrorCode.MALFORMED, validate(message), "root block length " + rootBlockLength);
        }
    }

    @ParameterizedTest
    @MethodSource("requestTemplateIds")
    void rejectsAMessageThatEndsBeforeItsGroupHeaderAsMalformed(final int templateId)
    {
        final byte[] message = encode(templateId, 1, random);

        for (int length = MessageHeaderDecoder.ENCODED_LENGTH; length < GROUP_HEADER_OFFSET + GROUP_HEADER_LENGTH; length++)
        {
            assertEquals(ErrorCode.MALFORMED, validate(Arrays.copyOf(message, length)), "length " + length);
        }
    }

    @Test
    void rejectsARootBlockLongerThanTheMessageAsMalformed()
    {
        final byte[] message = encode(CreateAccountsDecoder.TEMPLATE_ID, 1, random);
        putUint16(new UnsafeBuffer(message), TestRequests.BLOCK_LENGTH_OFFSET, 0xFFFF);

        assertEquals(ErrorCode.MALFORMED, validate(message));
    }

    @ParameterizedTest
    @MethodSource("requestTemplateIds")
    void rejectsAGroupElementShorterThanVersionOneAsMalformed(final int templateId)
    {
        final int elementLength = elementLengthV1(templateId) - 1;
        final byte[] message = raw(templateId, SCHEMA_ID, 1, ROOT_BLOCK_LENGTH, elementLength, 2, random);

        assertEquals(ErrorCode.MALFORMED, validate(message));
    }

    @ParameterizedTest
    @MethodSource("requestTemplateIds")
    void rejectsAGroupElementLengthOfZeroAsMalformed(final int templateId)
    {
        final byte[] message = raw(templateId, SCHEMA_ID, 1, ROOT_BLOCK_LENGTH, 0, 3, random);

        assertEquals(ErrorCode.MALFORMED, validate(message));
    }

    @ParameterizedTest
    @MethodSource("requestTemplateIds")
    void rejectsTrailingBytesAfterTheLastElementAsMalformed(final int templateId)
    {
        final byte[] message = encode(templateId, 2, random);

        for (int extra = 1; extra <= elementLengthV1(templateId) + 1; extra++)
        {
            assertEquals(
                ErrorCode.MALFORMED, validate(Arrays.copyOf(message, message.length + extra)), "extra " + extra);
        }
    }

    @ParameterizedTest
    @MethodSource("requestTemplateIds")
    void rejectsABatchCutShortAsMalformed(final int templateId)
    {
        final byte[] message = encode(templateId, 3, random);

        for (int length = GROUP_HEADER_OFFSET + GROUP_HEADER_LENGTH; length < message.length; length++)
        {
            assertEquals(ErrorCode.MALFORMED, validate(Arrays.copyOf(message, length)), "length " + length);
        }
    }

    @ParameterizedTest
    @MethodSource("requestTemplateIds")
    void rejectsACountLargerThanTheElementsSentAsMalformed(final int templateId)
    {
        final byte[] message = encode(templateId, 3, random);
        putUint16(new UnsafeBuffer(message), GROUP_COUNT_OFFSET, 4);

        assertEquals(ErrorCode.MALFORMED, validate(message));
    }

    @ParameterizedTest
    @MethodSource("requestTemplateIds")
    void rejectsAnEmptyBatchAsBatchEmpty(final int templateId)
    {
        assertEquals(ErrorCode.BATCH_EMPTY, validate(encode(templateId, 0, random)));
    }

    @ParameterizedTest
    @MethodSource("requestTemplateIds")
    void acceptsExactlyTheBatchLimitAndRejectsOneMoreAsBatchTooLarge(final int templateId)
    {
        assertNull(validate(encode(templateId, BATCH_EVENTS_MAX, random)));
        assertEquals(ErrorCode.BATCH_TOO_LARGE, validate(encode(templateId, BATCH_EVENTS_MAX + 1, random)));
    }

    @Test
    void acceptsExactlyTheDefaultBatchLimitAndRejectsOneMoreAsBatchTooLarge()
    {
        final RequestValidator defaultValidator = new RequestValidator(ProtocolLimits.BATCH_EVENTS_MAX_DEFAULT);
        final int templateId = CreateTransfersDecoder.TEMPLATE_ID;

        final byte[] atLimit = encode(templateId, ProtocolLimits.BATCH_EVENTS_MAX_DEFAULT, random);
        assertNull(defaultValidator.validate(new UnsafeBuffer(atLimit), 0, atLimit.length));

        final byte[] overLimit = encode(templateId, ProtocolLimits.BATCH_EVENTS_MAX_DEFAULT + 1, random);
        assertEquals(ErrorCode.BATCH_TOO_LARGE, defaultValidator.validate(new UnsafeBuffer(overLimit), 0, overLimit.length));
    }

    @Test
    void acceptsTheLargestBatchTheGroupSizeAllowsAndRejectsTheNullCountAsBatchTooLarge()
    {
        final RequestValidator widest = new RequestValidator(ProtocolLimits.BATCH_EVENTS_MAX_LIMIT);
        final int templateId = LookupAccountsDecoder.TEMPLATE_ID;
        final int elementLength = elementLengthV1(templateId);

        final byte[] atLimit = raw(
            templateId, SCHEMA_ID, 1, ROOT_BLOCK_LENGTH, elementLength, ProtocolLimits.BATCH_EVENTS_MAX_LIMIT, random);
        assertNull(widest.validate(new UnsafeBuffer(atLimit), 0, atLimit.length));

        final byte[] nullCount = raw(templateId, SCHEMA_ID, 1, ROOT_BLOCK_LENGTH, elementLength, 0xFFFF, random);
        assertEquals(ErrorCode.BATCH_TOO_LARGE, widest.validate(new UnsafeBuffer(nullCount), 0, nullCount.length));
    }

    @Test
    void reportsATooLargeBatchEvenWhenTheElementsAreMissing()
    {
        final byte[] message = encode(LookupTransfersDecoder.TEMPLATE_ID, 1, random);
        putUint16(new UnsafeBuffer(message), GROUP_COUNT_OFFSET, BATCH_EVENTS_MAX + 1);

        assertEquals(ErrorCode.BATCH_TOO_LARGE, validate(message));
    }

    @ParameterizedTest
    @ValueSource(ints = { Integer.MIN_VALUE, -1, 0, 65535, 65536, Integer.MAX_VALUE })
    void refusesABatchLimitTheGroupSizeCannotCarry(final int batchEventsMax)
    {
        final IllegalArgumentException ex =
            assertThrows(IllegalArgumentException.class, () -> new RequestValidator(batchEventsMax));

        assertTrue(ex.getMessage().contains(Integer.toString(batchEventsMax)), ex.getMessage());
    }

    @Test
    void batchLimitIsTheLargestCountTheGroupSizeCanCarryWithoutItsNullValue()
    {
        assertEquals(65534, ProtocolLimits.BATCH_EVENTS_MAX_LIMIT);
        assertEquals(1, new RequestValidator(1).batchEventsMax());
        assertEquals(65534, new RequestValidator(65534).batchEventsMax());
    }

    /**
     * The table's element lengths are those of the version that introduced each request and must never move; while
     * the schema is at version 5 (versions 3 to 5 changed no request of versions 1 and 2) they are also what the generated
     * codecs say. When a later version adds fields to a group, keep the table's value and compare it here with the end
     * of the last field of the older version.
     */
    @Test
    void elementLengthsAreTheGeneratedGroupBlockLengths()
    {
        assertEquals(5, MessageHeaderDecoder.SCHEMA_VERSION, "schema version changed: see this test's comment");
        assertEquals(LookupAccountHistoryDecoder.QueriesDecoder.sbeBlockLength(),
            RequestType.LOOKUP_ACCOUNT_HISTORY.elementLengthMin());
        assertEquals(SetLedgerSettingsDecoder.CurrenciesDecoder.sbeBlockLength(),
            RequestType.SET_LEDGER_SETTINGS.elementLengthMin());
        assertEquals(AccountCommandsDecoder.CommandsDecoder.sbeBlockLength(),
            RequestType.ACCOUNT_COMMANDS.elementLengthMin());
        assertEquals(SetAccountLimitsDecoder.LimitsDecoder.sbeBlockLength(),
            RequestType.SET_ACCOUNT_LIMITS.elementLengthMin());
        assertEquals(SetCodeLimitsDecoder.LimitsDecoder.sbeBlockLength(), RequestType.SET_CODE_LIMITS.elementLengthMin());
        assertEquals(SetFeesDecoder.FeesDecoder.sbeBlockLength(), RequestType.SET_FEES.elementLengthMin());
        assertEquals(SetReviewThresholdsDecoder.ThresholdsDecoder.sbeBlockLength(),
            RequestType.SET_REVIEW_THRESHOLDS.elementLengthMin());
        assertEquals(ReviewTransfersDecoder.DecisionsDecoder.sbeBlockLength(),
            RequestType.REVIEW_TRANSFERS.elementLengthMin());
        assertEquals(SetPolicySettingsDecoder.SettingsDecoder.sbeBlockLength(),
            RequestType.SET_POLICY_SETTINGS.elementLengthMin());
        assertEquals(LookupPoliciesDecoder.SectionsDecoder.sbeBlockLength(), RequestType.LOOKUP_POLICIES.elementLengthMin());
        assertEquals(CreateAccountsDecoder.AccountsDecoder.sbeBlockLength(), RequestType.CREATE_ACCOUNTS.elementLengthMin());
        assertEquals(
            CreateTransfersDecoder.TransfersDecoder.sbeBlockLength(), RequestType.CREATE_TRANSFERS.elementLengthMin());
        assertEquals(LookupAccountsDecoder.IdsDecoder.sbeBlockLength(), RequestType.LOOKUP_ACCOUNTS.elementLengthMin());
        assertEquals(LookupTransfersDecoder.IdsDecoder.sbeBlockLength(), RequestType.LOOKUP_TRANSFERS.elementLengthMin());
        assertEquals(CreateAccountsDecoder.BLOCK_LENGTH, RequestValidator.ROOT_BLOCK_LENGTH_MIN);
    }

    private ErrorCode validate(final byte[] message)
    {
        return validator.validate(new UnsafeBuffer(message), 0, message.length);
    }
}
