package io.walletledger.config;

/**
 * {@code wallet.journal.durability}: what an acknowledged request survives. The server maps it onto the journal's
 * own durability mode.
 */
public enum JournalDurabilitySetting
{
    /**
     * {@code none}: the reply is sent once the request is in the journal's memory mapping, before it reaches the
     * disk. It survives the death of the process, not power loss or a kernel panic: then acknowledged requests can
     * vanish. An opt-in.
     */
    NONE,

    /**
     * {@code batch}: each batch of requests is on stable storage before any of its replies is sent (group commit);
     * it survives power loss too. The default.
     */
    BATCH
}
