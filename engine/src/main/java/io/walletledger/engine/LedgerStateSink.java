package io.walletledger.engine;

import java.nio.ByteBuffer;

/**
 * Receives the serialized ledger state from {@link LedgerEngine#writeState(LedgerStateSink)}, chunk by chunk.
 */
@FunctionalInterface
public interface LedgerStateSink
{
    /**
     * Takes the next bytes of the state. Failures are the sink's own unchecked exceptions: the engine does no I/O.
     *
     * @param chunk the bytes, from its position to its limit; valid only during this call. Consume all of them.
     */
    void write(ByteBuffer chunk);
}
