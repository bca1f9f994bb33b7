package io.walletledger.engine;

/**
 * Receives every transfer the engine decided, in the order it decided them, with the balances of its accounts right
 * after it: the feed of the read side (the permanent record, the change stream). Set on an engine that replays the
 * journal beside the primary one ({@link LedgerEngine#appliedTransferListener}); the primary engine runs without
 * one, and then pays nothing for it.
 * <p>
 * Called on the engine's thread, during {@link LedgerEngine#execute}; the listener must not call back into the
 * engine, and must copy what it keeps: the {@link AppliedTransfer} is reused for the next one.
 */
@FunctionalInterface
public interface AppliedTransferListener
{
    /**
     * @param transfer valid only during the call.
     */
    void onTransfer(AppliedTransfer transfer);
}
