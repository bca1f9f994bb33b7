package io.walletledger.gateway;

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
 * The message names of request templates, for the audit log.
 */
final class RequestNames
{
    private RequestNames()
    {
    }

    static String of(final int templateId)
    {
        return switch (templateId)
        {
            case CreateAccountsDecoder.TEMPLATE_ID -> "CreateAccounts";
            case CreateTransfersDecoder.TEMPLATE_ID -> "CreateTransfers";
            case LookupAccountsDecoder.TEMPLATE_ID -> "LookupAccounts";
            case LookupTransfersDecoder.TEMPLATE_ID -> "LookupTransfers";
            case AccountCommandsDecoder.TEMPLATE_ID -> "AccountCommands";
            case SetAccountLimitsDecoder.TEMPLATE_ID -> "SetAccountLimits";
            case SetCodeLimitsDecoder.TEMPLATE_ID -> "SetCodeLimits";
            case SetFeesDecoder.TEMPLATE_ID -> "SetFees";
            case SetReviewThresholdsDecoder.TEMPLATE_ID -> "SetReviewThresholds";
            case ReviewTransfersDecoder.TEMPLATE_ID -> "ReviewTransfers";
            case SetPolicySettingsDecoder.TEMPLATE_ID -> "SetPolicySettings";
            case LookupPoliciesDecoder.TEMPLATE_ID -> "LookupPolicies";
            default -> "template " + templateId;
        };
    }
}
