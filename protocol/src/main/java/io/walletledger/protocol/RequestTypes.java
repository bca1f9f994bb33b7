package io.walletledger.protocol;

import io.walletledger.protocol.sbe.AccountCommandsDecoder;
import io.walletledger.protocol.sbe.CreateAccountsDecoder;
import io.walletledger.protocol.sbe.CreateTransfersDecoder;
import io.walletledger.protocol.sbe.LookupAccountsDecoder;
import io.walletledger.protocol.sbe.LookupPoliciesDecoder;
import io.walletledger.protocol.sbe.LookupTransfersDecoder;
import io.walletledger.protocol.sbe.ReviewTransfersDecoder;
import io.walletledger.protocol.sbe.SetAccountLimitsDecoder;
import io.walletledger.protocol.sbe.SetCodeLimitsDecoder;
import io.walletledger.protocol.sbe.SetFeesDecoder;
import io.walletledger.protocol.sbe.SetPolicySettingsDecoder;
import io.walletledger.protocol.sbe.SetReviewThresholdsDecoder;

/**
 * Which requests change the ledger (and so are journaled and replayed) and which only read it.
 */
public final class RequestTypes
{
    private RequestTypes()
    {
    }

    /**
     * @param templateId of a request message.
     * @return true if the request changes state and must be journaled before it is acknowledged.
     */
    public static boolean isMutation(final int templateId)
    {
        switch (templateId)
        {
            case CreateAccountsDecoder.TEMPLATE_ID:
            case CreateTransfersDecoder.TEMPLATE_ID:
            case AccountCommandsDecoder.TEMPLATE_ID:
            case SetAccountLimitsDecoder.TEMPLATE_ID:
            case SetCodeLimitsDecoder.TEMPLATE_ID:
            case SetFeesDecoder.TEMPLATE_ID:
            case SetReviewThresholdsDecoder.TEMPLATE_ID:
            case ReviewTransfersDecoder.TEMPLATE_ID:
            case SetPolicySettingsDecoder.TEMPLATE_ID:
                return true;
            default:
                return false;
        }
    }

    /**
     * @param templateId of a request message.
     * @return true if the request only reads state.
     */
    public static boolean isQuery(final int templateId)
    {
        return templateId == LookupAccountsDecoder.TEMPLATE_ID || templateId == LookupTransfersDecoder.TEMPLATE_ID ||
            templateId == LookupPoliciesDecoder.TEMPLATE_ID;
    }
}
