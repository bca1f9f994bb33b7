package io.walletledger.journal;

/**
 * What {@link CommandJournal#open(java.nio.file.Path, JournalDurability, TornTailPolicy)} does when the end of the
 * journal fails verification (a torn tail, which power loss or a device that lost a write can leave behind) and
 * the tail was written with {@link JournalDurability#NONE}, or by a build that recorded no durability. Such a tail
 * may hold commands that were acknowledged before they reached the disk, so nothing more than its last record is
 * ever discarded. The operator chooses; the default refuses.
 * <p>
 * A tail written with {@link JournalDurability#BATCH} is not this policy's business: none of it was acknowledged,
 * and the writer drops it whatever the policy ({@link JournalTail}).
 */
public enum TornTailPolicy
{
    /**
     * Refuse to open: throw {@link JournalCorruptedException} naming the file, the Chronicle index and the
     * sequence of the failing record, and the options.
     */
    REFUSE,

    /**
     * Discard the last record if, and only if, it is the last record in the journal, it fails verification, the
     * record before it verifies and Chronicle claims nothing after it. The discard is itself recorded, durably, as a
     * discard record appended after it (see {@link JournalEntryDescriptor}), and the discarded entry's sequence is
     * given to the next append. A corrupt record followed by anything is never discarded: that is refused under
     * both policies.
     */
    TRUNCATE
}
