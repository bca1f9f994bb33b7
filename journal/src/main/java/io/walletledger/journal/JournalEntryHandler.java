package io.walletledger.journal;

import org.agrona.DirectBuffer;

/**
 * Receives the entries of a {@link JournalReader#replay(long, JournalEntryHandler)} or a
 * {@link JournalFollower#poll(JournalEntryHandler, int)}, in sequence order, each already verified.
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
     */
    void onEntry(long sequence, long timestamp, int templateId, DirectBuffer command, int offset, int length);
}
