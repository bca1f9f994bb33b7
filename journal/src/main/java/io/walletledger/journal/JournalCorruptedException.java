package io.walletledger.journal;

import java.nio.file.Path;

/**
 * The journal holds something that is not what was appended: a record that fails its checksum or layout checks,
 * a gap in the sequence, or a queue file whose tail Chronicle cannot read back. Recovery must stop here; nothing is
 * skipped. The message names the queue file, the Chronicle index (hex) and the sequence the journal expected there.
 */
public final class JournalCorruptedException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final Path file;
    private final long chronicleIndex;
    private final long expectedSequence;
    private final String problem;

    /**
     * @param file             the queue file holding the record, or null if it cannot be named.
     * @param chronicleIndex   Chronicle's index of the record (cycle and position in the cycle).
     * @param expectedSequence the sequence the journal expected at that record.
     * @param problem          what is wrong, in words an operator can act on.
     * @param cause            what Chronicle threw, if it did; may be null.
     */
    public JournalCorruptedException(
        final Path file,
        final long chronicleIndex,
        final long expectedSequence,
        final String problem,
        final Throwable cause)
    {
        super(file + ": Chronicle index 0x" + Long.toHexString(chronicleIndex) + ", expected sequence " +
            expectedSequence + ": " + problem, cause);
        this.file = file;
        this.chronicleIndex = chronicleIndex;
        this.expectedSequence = expectedSequence;
        this.problem = problem;
    }

    public JournalCorruptedException(
        final Path file, final long chronicleIndex, final long expectedSequence, final String problem)
    {
        this(file, chronicleIndex, expectedSequence, problem, null);
    }

    /**
     * @return the queue file holding the record, or null if it could not be named.
     */
    public Path file()
    {
        return file;
    }

    /**
     * @return Chronicle's index of the record.
     */
    public long chronicleIndex()
    {
        return chronicleIndex;
    }

    /**
     * @return the sequence the journal expected at the record.
     */
    public long expectedSequence()
    {
        return expectedSequence;
    }

    /**
     * @return what is wrong, without the location.
     */
    public String problem()
    {
        return problem;
    }
}
