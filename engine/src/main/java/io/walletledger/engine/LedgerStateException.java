package io.walletledger.engine;

/**
 * A serialized ledger state that cannot be loaded: not a state at all, a format this version does not read,
 * a state taken under limits other than the engine's, or content that contradicts itself. The engine it was
 * being loaded into must then be thrown away.
 */
public final class LedgerStateException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    public LedgerStateException(final String message)
    {
        super(message);
    }
}
