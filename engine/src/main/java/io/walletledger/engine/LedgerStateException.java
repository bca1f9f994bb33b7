package io.walletledger.engine;

/**
 * A serialized ledger state that cannot be loaded: not a state at all, a format this version does not read,
 * a state taken under limits other than the engine's, or content that contradicts itself. The engine it was
 * being loaded into must then be thrown away.
 */
public final class LedgerStateException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final boolean limitsMismatch;

    public LedgerStateException(final String message)
    {
        this(message, false);
    }

    /**
     * @param limitsMismatch whether the state is sound but was taken under other limits than the engine's.
     */
    public LedgerStateException(final String message, final boolean limitsMismatch)
    {
        super(message);
        this.limitsMismatch = limitsMismatch;
    }

    /**
     * @return whether the state is sound but was taken under other limits than the engine's: a configuration
     * problem, not damage.
     */
    public boolean isLimitsMismatch()
    {
        return limitsMismatch;
    }
}
