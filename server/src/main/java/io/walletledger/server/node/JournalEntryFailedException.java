package io.walletledger.server.node;

import io.walletledger.protocol.RequestType;

/**
 * The engine failed on a journal entry: a bug, or an entry it cannot apply. The live node halts; recovery stops
 * there at every start, since the same entry fails the same way. The message tells the operator the way out,
 * {@code wallet recover --skip}, which passes over the entry once recovery is shown to fail at it.
 */
public final class JournalEntryFailedException extends IllegalStateException
{
    private final long sequence;
    private final int templateId;
    private final long timestamp;

    /**
     * @param sequence   of the entry.
     * @param templateId of the command it holds.
     * @param timestamp  its engine timestamp.
     * @param cause      what the engine threw.
     */
    public JournalEntryFailedException(
        final long sequence, final int templateId, final long timestamp, final Throwable cause)
    {
        super("journal entry " + sequence + " (" + name(templateId) + ", engine time " + timestamp + ") makes the " +
            "engine fail: " + cause + ". The ledger cannot go past it. If it holds a command the ledger must never " +
            "apply, stop the node and run: wallet recover --skip " + sequence + " --data-dir <data directory> " +
            "(docs/operations.md, \"A journal entry the ledger cannot apply\")", cause);
        this.sequence = sequence;
        this.templateId = templateId;
        this.timestamp = timestamp;
    }

    private static String name(final int templateId)
    {
        final RequestType type = RequestType.of(templateId);
        return type == null ? "template " + templateId : type.messageName();
    }

    public long sequence()
    {
        return sequence;
    }

    public int templateId()
    {
        return templateId;
    }

    public long timestamp()
    {
        return timestamp;
    }
}
