package io.walletledger.journal;

/**
 * A read of the journal from a sequence its files no longer hold: the files before were moved out by
 * {@link JournalArchive} (they cover nothing a snapshot and the record do not). Recovery must start from a snapshot
 * at or after the journal's first sequence less one; a full replay (a rebuild of the record, {@code wallet verify}'s
 * replay of the journal alone) needs the archived files put back into the journal directory first.
 */
public final class JournalArchivedException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    private final long firstSequence;

    /**
     * @param firstSequence the journal's first sequence now.
     * @param fromSequence  the sequence the read wanted to start at.
     */
    public JournalArchivedException(final long firstSequence, final long fromSequence)
    {
        super("the journal starts at sequence " + firstSequence + ": the entries from " + fromSequence + " to " +
            (firstSequence - 1) + " were archived (wallet journal archive); put the archived files back into the " +
            "journal directory to read from sequence " + fromSequence);
        this.firstSequence = firstSequence;
    }

    /**
     * @return the journal's first sequence now.
     */
    public long firstSequence()
    {
        return firstSequence;
    }
}
