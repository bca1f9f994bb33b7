package io.walletledger.client;

/**
 * The server refused the client's API key: a wrong key id or secret (the server does not say which), a key over its
 * connection limit, or a server that does not authenticate while the client was given credentials. Reconnecting
 * with the same credentials will not help.
 */
public final class WalletAuthenticationException extends WalletConnectionException
{
    private static final long serialVersionUID = 1L;

    /**
     * @param message what happened.
     * @param cause   an underlying failure, or null.
     */
    public WalletAuthenticationException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
