package io.walletledger.gateway.http;

import io.walletledger.gateway.LedgerEvent;
import io.walletledger.protocol.CurrencyRegistry;

/**
 * An event of the change stream as JSON, exactly as {@code GET /v1/events} shows it to a key that may see every
 * account: for publishers of the stream elsewhere (Kafka).
 */
public final class EventJson
{
    private EventJson()
    {
    }

    /**
     * @return the event, version {@link EventEndpoints#VERSION}, as UTF-8 JSON.
     */
    public static byte[] bytes(final CurrencyRegistry currencies, final LedgerEvent event)
    {
        return new EventJsonWriter(currencies).event(event);
    }
}
