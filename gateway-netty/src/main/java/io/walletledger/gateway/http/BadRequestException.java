package io.walletledger.gateway.http;

/**
 * A request the HTTP API refuses before it reaches the ledger, with the message the client gets in a 400.
 */
final class BadRequestException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    BadRequestException(final String message)
    {
        super(message, null, false, false);
    }
}
