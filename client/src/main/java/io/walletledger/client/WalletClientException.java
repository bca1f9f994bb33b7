package io.walletledger.client;

/**
 * Why a request of a {@link WalletClient} did not complete with a result: the base of the client's exceptions,
 * which complete the request's futures (never thrown from the event loop).
 */
public class WalletClientException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened.
     * @param cause   the underlying failure, or null.
     */
    public WalletClientException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
