package io.walletledger.journal;

import java.nio.file.Path;
import java.util.List;

/**
 * What a writer dropped when it opened a journal whose tail, written with {@link JournalDurability#BATCH} after the
 * last completed {@code fdatasync}, failed verification: none of it had been acknowledged. The journal records the
 * drop in a cut record ({@link JournalEntryDescriptor}); this is the same, and more, for the log and for tests.
 *
 * @param firstSequence     the sequence the dropped tail would have started with; the next entry gets it.
 * @param firstIndex        the Chronicle index where the dropped tail began.
 * @param lastReadIndex     the Chronicle index of the last document Chronicle could read, in the dropped tail if
 *                          {@code droppedDocuments} is not zero.
 * @param cutIndex          the Chronicle index of the cut record.
 * @param droppedDocuments  documents Chronicle could still read in the dropped tail, valid or not.
 * @param corruptDocuments  of those, the ones failing verification.
 * @param problem           why the tail begins where it does: the first failure.
 * @param claims            documents Chronicle's header or later files claimed but could not be read, or null.
 * @param rebuiltFile       the queue file that held the start of the tail, rewritten without it.
 * @param originalKeptAs    where the file as it was found is kept.
 * @param setAside          later queue files, wholly in the dropped tail, renamed so Chronicle no longer sees them.
 */
public record JournalTailDrop(
    long firstSequence,
    long firstIndex,
    long lastReadIndex,
    long cutIndex,
    long droppedDocuments,
    long corruptDocuments,
    String problem,
    String claims,
    Path rebuiltFile,
    Path originalKeptAs,
    List<Path> setAside)
{
    /**
     * @return the sentence the writer logs.
     */
    public String describe()
    {
        return "dropped the journal's torn tail from sequence " + firstSequence + " (Chronicle index 0x" +
            Long.toHexString(firstIndex) + " in " + rebuiltFile.getFileName() + ") to the end: " + droppedDocuments +
            " document(s) Chronicle could still read" + (droppedDocuments == 0 ? "" : " (the last at index 0x" +
            Long.toHexString(lastReadIndex) + ")") + ", " + corruptDocuments + " of them failing verification. The " +
            "first failure: " + problem + (claims == null ? "" : ". Chronicle also claimed: " + claims) + ". It " +
            "was written with journal durability batch after the last completed fdatasync, so none of it was " +
            "acknowledged. Sequence " + firstSequence + " goes to the next entry; the cut is recorded at index 0x" +
            Long.toHexString(cutIndex) + "; " + rebuiltFile.getFileName() + " was rewritten without the tail and " +
            "the file as found is kept as " + originalKeptAs.getFileName() +
            (setAside.isEmpty() ? "" : "; later files set aside: " + setAside);
    }
}
