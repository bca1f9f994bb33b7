package io.walletledger.engine;

import java.nio.ByteBuffer;

/**
 * Receives the serialized ledger state from {@link LedgerEngine#writeState(LedgerStateSink)}, chunk by chunk.
 */
@FunctionalInterface
public interface LedgerStateSink
{
    /**
     * @param chunk the next bytes of the state, from its position to its limit; valid only during this call.
     *              Consume all of them.
     * Failures are the sink's own unchecked exceptions: the engine does no I/O.
     */
    void write(ByteBuffer chunk);
}
