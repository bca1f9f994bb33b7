package io.walletledger.record;

/**
 * The record cannot be opened, read or written: the message says which and why.
 */
public class RecordException extends RuntimeException
{
    public RecordException(final String message)
    {
        super(message);
    }

    public RecordException(final String message, final Throwable cause)
    {
        super(message, cause);
    }
}
