package io.walletledger.config;

/**
 * {@code wallet.journal.durability}: what an acknowledged request survives. The server maps it onto the journal's
 * own durability mode.
 */
public enum JournalDurabilitySetting
{
    /**
     * {@code none}: the request is in the journal's memory mapping when its reply is sent; it survives the death of
     * the process, not power loss. The default.
     */
    NONE,

    /**
     * {@code batch}: each batch of requests is on stable storage before any of its replies is sent (group commit);
     * it survives power loss too.
     */
    BATCH
}
