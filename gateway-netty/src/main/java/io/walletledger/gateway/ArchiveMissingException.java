package io.walletledger.gateway;

/**
 * The server keeps no permanent record ({@code wallet.record.enabled = false}), so it has no history to answer with.
 */
public final class ArchiveMissingException extends RuntimeException
{
    public ArchiveMissingException()
    {
        super("this server keeps no permanent record (wallet.record.enabled = false): no history");
    }
}
