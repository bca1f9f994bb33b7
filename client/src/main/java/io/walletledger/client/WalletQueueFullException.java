package io.walletledger.client;

/**
 * A request refused by the client itself because {@link WalletClientOptions#queuedRequestsMax()} requests already
 * wait for the connection or a free slot. It was not sent: nothing happened, and it may be tried again later.
 */
public class WalletQueueFullException extends WalletClientException
{
    private static final long serialVersionUID = 1L;

    public WalletQueueFullException(final String message)
    {
        super(message, null);
    }
}
