package io.walletledger.journal;

/**
 * What an appended entry survives, and so when a reply that depends on it may be sent.
 * <p>
 * The journal is a memory-mapped Chronicle Queue. Appending copies the entry into the mapping and commits its
 * Chronicle header; the kernel writes the page out to the device some time later (about 30 s on a default Linux).
 * The two modes differ only in whether {@link CommandJournal#flush()} waits for that write.
 */
public enum JournalDurability
{
    /**
     * When {@link CommandJournal#append} returns, the entry is committed in the shared memory mapping of the
     * journal file. It survives the death of the process in any way (SIGKILL, a JVM crash, the OOM killer),
     * because the mapping belongs to the kernel's page cache, not to the process. It does not survive power loss,
     * a kernel panic or the loss of the machine: entries appended in the last seconds before one of those, even
     * acknowledged ones, may be lost, and the tail may be left torn, which the next writer refuses rather than drop
     * ({@link TornTailPolicy}). {@link CommandJournal#flush()} does nothing. An opt-in.
     */
    NONE,

    /**
     * As {@link #NONE}, and {@link CommandJournal#flush()} returns only once every entry appended before it is on
     * stable storage ({@code fdatasync} of the journal file, and of the directory when a new file was started). The
     * pipeline calls {@code flush()} once per Disruptor batch, before any reply of that batch is sent: a group
     * commit, so an acknowledged entry survives power loss as long as the device honours cache flushes (a disk or
     * virtual disk that acknowledges writes it has only cached defeats any software). Entries appended after the
     * last flush were not acknowledged and may be lost or left torn; the next writer to open the journal drops such
     * a tail ({@link JournalTail}). The server's default.
     */
    BATCH
}
