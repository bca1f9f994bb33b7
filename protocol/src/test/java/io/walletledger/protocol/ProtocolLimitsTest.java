package io.walletledger.protocol;

import io.walletledger.protocol.sbe.CreateTransfersEncoder;
import io.walletledger.protocol.sbe.ErrorCode;
import io.walletledger.protocol.sbe.ErrorResponseEncoder;
import io.walletledger.protocol.sbe.LookupAccountsResponseEncoder;
import io.walletledger.protocol.sbe.LookupPoliciesResponseEncoder;
import io.walletledger.protocol.sbe.LookupTransfersResponseEncoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The buffer size {@link ProtocolLimits#messageLengthMax} promises must hold the widest message of every
 * kind: checked against real encodings rather than against the arithmetic it is made of.
 */
final class ProtocolLimitsTest
{
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer();
    private final MessageHeaderEncoder header = new MessageHeaderEncoder();

    @ParameterizedTest
    @ValueSource(ints = { 1, 2, 100, ProtocolLimits.BATCH_EVENTS_MAX_DEFAULT, 65534 })
    void everyFullBatchFitsInMessageLengthMax(final int batchEventsMax)
    {
        final int lengthMax = ProtocolLimits.messageLengthMax(batchEventsMax);

        final CreateTransfersEncoder createTransfers = new CreateTransfersEncoder().wrapAndApplyHeader(buffer, 0, header);
        fill(createTransfers.transfersCount(batchEventsMax), batchEventsMax);
        assertFits("CreateTransfers", createTransfers.encodedLength(), lengthMax);

        final LookupAccountsResponseEncoder lookupAccounts =
            new LookupAccountsResponseEncoder().wrapAndApplyHeader(buffer, 0, header);
        final LookupAccountsResponseEncoder.AccountsEncoder accounts = lookupAccounts.accountsCount(batchEventsMax);
        for (int i = 0; i < batchEventsMax; i++)
        {
            accounts.next();
        }
        assertFits("LookupAccountsResponse", lookupAccounts.encodedLength(), lengthMax);

        final LookupTransfersResponseEncoder lookupTransfers =
            new LookupTransfersResponseEncoder().wrapAndApplyHeader(buffer, 0, header);
        final LookupTransfersResponseEncoder.TransfersEncoder transfers = lookupTransfers.transfersCount(batchEventsMax);
        for (int i = 0; i < batchEventsMax; i++)
        {
            transfers.next();
        }
        assertFits("LookupTransfersResponse", lookupTransfers.encodedLength(), lengthMax);

        final ErrorResponseEncoder error = new ErrorResponseEncoder()
            .wrapAndApplyHeader(buffer, 0, header)
            .correlationId(1)
            .code(ErrorCode.INTERNAL_ERROR)
            .message("x".repeat(1024));
        assertFits("ErrorResponse with the longest text", error.encodedLength(), lengthMax);
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 2, 100, ProtocolLimits.BATCH_EVENTS_MAX_DEFAULT })
    void everyFullPolicyTableFitsInResponseLengthMax(final int batchEventsMax)
    {
        final int lengthMax = ProtocolLimits.responseLengthMax(batchEventsMax);
        final int entries = ProtocolLimits.POLICY_ENTRIES_MAX;
        final LookupPoliciesResponseEncoder policies = new LookupPoliciesResponseEncoder()
            .wrapAndApplyHeader(buffer, 0, header).correlationId(1).dayStartSeconds(86_399).configDigest(-1);
        final LookupPoliciesResponseEncoder.FeesEncoder fees = policies.feesCount(entries);
        for (int i = 0; i < entries; i++)
        {
            fees.next().feeAccountId(i);
        }
        final LookupPoliciesResponseEncoder.ThresholdsEncoder thresholds = policies.thresholdsCount(entries);
        for (int i = 0; i < entries; i++)
        {
            thresholds.next().threshold(i);
        }
        final LookupPoliciesResponseEncoder.CodeLimitsEncoder codeLimits = policies.codeLimitsCount(entries);
        for (int i = 0; i < entries; i++)
        {
            codeLimits.next().dailyDebitLimit(i);
        }
        assertFits("LookupPoliciesResponse with every table full", policies.encodedLength(), lengthMax);
        assertTrue(ProtocolLimits.messageLengthMax(batchEventsMax) <= lengthMax);
    }

    @Test
    void aFrameOfAFullDefaultBatchFitsInOneMebibyte()
    {
        final int frameLength =
            FrameDescriptor.LENGTH_FIELD_LENGTH + ProtocolLimits.messageLengthMax(ProtocolLimits.BATCH_EVENTS_MAX_DEFAULT);

        assertTrue(frameLength <= 1 << 20, "frame of " + frameLength + " bytes");
    }

    private static void fill(final CreateTransfersEncoder.TransfersEncoder transfers, final int count)
    {
        for (int i = 0; i < count; i++)
        {
            transfers.next().amount(i + 1);
        }
    }

    private static void assertFits(final String what, final int bodyLength, final int lengthMax)
    {
        final int messageLength = MessageHeaderEncoder.ENCODED_LENGTH + bodyLength;
        assertTrue(messageLength <= lengthMax, what + " takes " + messageLength + " bytes, limit " + lengthMax);
    }
}
