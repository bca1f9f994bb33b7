package io.walletledger.engine;

import java.nio.ByteBuffer;

/**
 * Gives the bytes of a serialized ledger state to {@link LedgerEngine#readState(LedgerStateSource)}.
 */
@FunctionalInterface
public interface LedgerStateSource
{
    /**
     * Fills the buffer from its position to its limit with the next bytes of the state. Filling less means the
     * state ended; failures are the source's own unchecked exceptions.
     *
     * @param into where the bytes go.
     */
    void readFully(ByteBuffer into);
}
