package io.walletledger.client;

/**
 * Receives the events of a subscription ({@link WalletEventStream#subscribe}), one at a time, in the stream's order,
 * on the subscription's thread.
 */
@FunctionalInterface
public interface ChangeEventListener
{
    /**
     * @param event the next event.
     * @throws Exception to stop the subscription at this event: it is not counted as delivered, so a new subscription
     *                   after {@link EventSubscription#position()} gets it again.
     */
    void onEvent(ChangeEvent event) throws Exception;
}
