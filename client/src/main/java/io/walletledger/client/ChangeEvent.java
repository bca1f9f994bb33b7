package io.walletledger.client;

/**
 * One event of the ledger's change stream (docs/events.md): something the ledger applied, at its position.
 *
 * @param position where it stands in the stream: strictly increasing, the same after restarts. Resume after it.
 * @param type     what happened: {@code transfer_created}, {@code hold_posted}, {@code account_frozen}, ...
 * @param json     the whole event as the server sent it (version 1 of its JSON shape), for the JSON library of your
 *                 choice.
 */
public record ChangeEvent(long position, String type, String json)
{
}
