package io.walletledger.protocol;

import io.walletledger.protocol.sbe.CreateAccountsDecoder;
import io.walletledger.protocol.sbe.CreateTransfersDecoder;
import io.walletledger.protocol.sbe.LookupAccountsDecoder;
import io.walletledger.protocol.sbe.LookupTransfersDecoder;

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
        return templateId == CreateAccountsDecoder.TEMPLATE_ID || templateId == CreateTransfersDecoder.TEMPLATE_ID;
    }

    /**
     * @param templateId of a request message.
     * @return true if the request only reads state.
     */
    public static boolean isQuery(final int templateId)
    {
        return templateId == LookupAccountsDecoder.TEMPLATE_ID || templateId == LookupTransfersDecoder.TEMPLATE_ID;
    }
}
