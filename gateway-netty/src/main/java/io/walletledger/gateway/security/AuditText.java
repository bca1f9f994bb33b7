package io.walletledger.gateway.security;

import io.walletledger.protocol.sbe.AccountCommandsDecoder;
import io.walletledger.protocol.sbe.CommandResultsResponseDecoder;
import io.walletledger.protocol.sbe.CreateAccountsDecoder;
import io.walletledger.protocol.sbe.CreateAccountsResponseDecoder;
import io.walletledger.protocol.sbe.ErrorResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.ReviewTransfersDecoder;
import io.walletledger.protocol.sbe.SetAccountLimitsDecoder;
import io.walletledger.protocol.sbe.SetCodeLimitsDecoder;
import io.walletledger.protocol.sbe.SetFeesDecoder;
import io.walletledger.protocol.sbe.SetPolicySettingsDecoder;
import io.walletledger.protocol.sbe.SetReviewThresholdsDecoder;
import org.agrona.DirectBuffer;

/**
 * An admin request or its answer as one line of the audit log: the generated codec's rendering of every field, cut
 * to {@link #LENGTH_MAX} characters (a batch of thousands of accounts says how long it was).
 */
final class AuditText
{
    static final int LENGTH_MAX = 1_000;

    private AuditText()
    {
    }

    /**
     * @param buffer holding one message (header and body) at {@code offset}.
     */
    static String of(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < MessageHeaderDecoder.ENCODED_LENGTH)
        {
            return "(" + length + " bytes)";
        }
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(buffer, offset);
        final String text = switch (header.templateId())
        {
            case CreateAccountsDecoder.TEMPLATE_ID ->
                new CreateAccountsDecoder().wrapAndApplyHeader(buffer, offset, header).toString();
            case AccountCommandsDecoder.TEMPLATE_ID ->
                new AccountCommandsDecoder().wrapAndApplyHeader(buffer, offset, header).toString();
            case SetAccountLimitsDecoder.TEMPLATE_ID ->
                new SetAccountLimitsDecoder().wrapAndApplyHeader(buffer, offset, header).toString();
            case SetCodeLimitsDecoder.TEMPLATE_ID ->
                new SetCodeLimitsDecoder().wrapAndApplyHeader(buffer, offset, header).toString();
            case SetFeesDecoder.TEMPLATE_ID -> new SetFeesDecoder().wrapAndApplyHeader(buffer, offset, header).toString();
            case SetReviewThresholdsDecoder.TEMPLATE_ID ->
                new SetReviewThresholdsDecoder().wrapAndApplyHeader(buffer, offset, header).toString();
            case ReviewTransfersDecoder.TEMPLATE_ID ->
                new ReviewTransfersDecoder().wrapAndApplyHeader(buffer, offset, header).toString();
            case SetPolicySettingsDecoder.TEMPLATE_ID ->
                new SetPolicySettingsDecoder().wrapAndApplyHeader(buffer, offset, header).toString();
            case CommandResultsResponseDecoder.TEMPLATE_ID ->
                new CommandResultsResponseDecoder().wrapAndApplyHeader(buffer, offset, header).toString();
            case CreateAccountsResponseDecoder.TEMPLATE_ID ->
                new CreateAccountsResponseDecoder().wrapAndApplyHeader(buffer, offset, header).toString();
            case ErrorResponseDecoder.TEMPLATE_ID ->
                new ErrorResponseDecoder().wrapAndApplyHeader(buffer, offset, header).toString();
            default -> "(template " + header.templateId() + ", " + length + " bytes)";
        };
        return text.length() <= LENGTH_MAX ? text :
            text.substring(0, LENGTH_MAX) + "... (" + text.length() + " characters)";
    }
}
