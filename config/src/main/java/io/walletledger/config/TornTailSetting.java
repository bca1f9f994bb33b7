package io.walletledger.config;

/**
 * {@code wallet.journal.torn-tail}: what start-up does when the end of the journal fails verification, as power loss
 * can leave it, and the tail was written with journal durability none (a tail written with batch is dropped either
 * way: none of it was acknowledged). The server maps it onto the journal's torn tail policy.
 */
public enum TornTailSetting
{
    /**
     * {@code refuse}: do not start. The default.
     */
    REFUSE,

    /**
     * {@code truncate}: discard the last record if it alone fails verification, recording the discard durably.
     */
    TRUNCATE
}
