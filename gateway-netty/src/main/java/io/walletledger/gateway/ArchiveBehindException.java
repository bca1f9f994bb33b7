package io.walletledger.gateway;

/**
 * The archive did not reach the ledger's position in time: the answer would not be sure to include every
 * transfer already acknowledged, so none is given. Retry later.
 */
public final class ArchiveBehindException extends RuntimeException
{
    private final int retryAfterSeconds;

    public ArchiveBehindException(final String message, final int retryAfterSeconds)
    {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds()
    {
        return retryAfterSeconds;
    }
}
