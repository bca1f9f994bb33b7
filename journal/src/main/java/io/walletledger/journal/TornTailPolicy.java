package io.walletledger.journal;

/**
 * What {@link CommandJournal#open(java.nio.file.Path, JournalDurability, TornTailPolicy)} does when the last
 * record of the journal fails verification: a torn tail, which power loss (or a device that lost a write) can leave
 * behind. The operator chooses; the default refuses.
 */
public enum TornTailPolicy
{
    /**
     * Refuse to open: throw {@link JournalCorruptedException} naming the file, the Chronicle index and the
     * sequence of the failing record.
     */
    REFUSE,

    /**
     * Discard the last record if, and only if, it is the last record in the journal, it fails verification and
     * the record before it verifies. The discard is itself recorded, durably, as a discard record appended after
     * it (see {@link JournalEntryDescriptor}), and the discarded entry's sequence is given to the next append.
     * A corrupt record followed by anything is never discarded: that is corruption, refused under both policies.
     */
    TRUNCATE
}
