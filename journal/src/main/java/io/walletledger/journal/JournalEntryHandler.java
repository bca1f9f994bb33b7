package io.walletledger.journal;

import org.agrona.DirectBuffer;

/**
 * Receives the entries of a {@link JournalReader#replay(long, JournalEntryHandler)} or a
 * {@link JournalFollower#poll(JournalEntryHandler, int)}, in sequence order, each already verified; and, if it
 * wants them, the records that say something about the journal itself, in their place between the entries.
 */
@FunctionalInterface
public interface JournalEntryHandler
{
    /**
     * @param sequence   of the entry: 1 for the first ever, then one more each.
     * @param timestamp  the engine timestamp the journaler gave the command.
     * @param templateId of the command's SBE message header.
     * @param command    holding the command bytes, exactly as appended. Valid only during this call.
     * @param offset     of the command's SBE message header in {@code command}.
     * @param length     of the command: SBE message header and body.
     * @param noteLength of the note appended with the command ({@link CommandJournal#append(long, DirectBuffer, int,
     *                   int, DirectBuffer, int, int)}), right after it in {@code command}; 0 for none.
     */
    void onEntry(
        long sequence, long timestamp, int templateId, DirectBuffer command, int offset, int length, int noteLength);

    /**
     * An entry the journal's readers pass over ({@link JournalSkips}: an operator had the ledger skip it with
     * {@code wallet recover --skip}); it is not delivered to {@link #onEntry}.
     *
     * @param sequence   of the entry.
     * @param timestamp  its engine timestamp.
     * @param templateId of the command it holds.
     */
    default void onSkipped(final long sequence, final long timestamp, final int templateId)
    {
    }

    /**
     * A writer opened the journal here (an open record); entries after it, up to the next open record, were
     * written with {@code durability}.
     *
     * @param index        the open record's Chronicle index.
     * @param durability   of the session it starts.
     * @param nextSequence the sequence of the next entry.
     */
    default void onOpened(final long index, final JournalDurability durability, final long nextSequence)
    {
    }

    /**
     * Records were dropped here when a writer opened the journal: a torn tail written with durability batch after
     * the last completed fdatasync (a cut record), or one torn record discarded under
     * {@link TornTailPolicy#TRUNCATE} (a discard record). None of the sequences they held were delivered; the next
     * entry has {@code nextSequence}.
     *
     * @param index             the Chronicle index of the cut or discard record.
     * @param nextSequence      the sequence of the next entry, the first one the dropped records would have held.
     * @param firstDroppedIndex the Chronicle index of the first record dropped.
     * @param documents         how many documents were dropped (that Chronicle could still read).
     */
    default void onDropped(final long index, final long nextSequence, final long firstDroppedIndex,
        final long documents)
    {
    }
}
