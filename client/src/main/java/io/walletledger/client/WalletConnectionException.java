package io.walletledger.client;

/**
 * The connection was lost (or the client closed) while the request was on the wire, or the client could not
 * connect. <b>The outcome is unknown</b> for a request that was sent: resending the same transfer ids is safe and
 * answers {@code EXISTS} (or the original failure) for what was applied. The client reconnects in the background
 * when reconnecting is enabled; requests made meanwhile wait for the connection.
 */
public class WalletConnectionException extends WalletClientException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened.
     * @param cause   the network failure, or null.
     */
    public WalletConnectionException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
