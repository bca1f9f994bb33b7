package io.walletledger.client;

import io.walletledger.protocol.sbe.ErrorCode;

/**
 * The server refused a whole request with an {@code ErrorResponse}: nothing of that request was applied. The
 * {@link #code()} says why, e.g. {@code BATCH_TOO_LARGE} or {@code MALFORMED}; {@code BUSY} reaches the caller only
 * after the client's own retries ran out.
 */
public class WalletException extends WalletClientException
{
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String serverMessage;

    /**
     * @param code          the request error code from the server.
     * @param serverMessage the server's explanation.
     */
    public WalletException(final ErrorCode code, final String serverMessage)
    {
        super(code + ": " + serverMessage, null);
        this.code = code;
        this.serverMessage = serverMessage;
    }

    /**
     * @return the request error code from the server.
     */
    public ErrorCode code()
    {
        return code;
    }

    /**
     * @return the server's explanation, as sent.
     */
    public String serverMessage()
    {
        return serverMessage;
    }
}
