package io.walletledger.gateway;

import io.walletledger.engine.LedgerConfig;
import io.walletledger.engine.LedgerEngine;
import io.walletledger.protocol.ReplyHandler;
import io.walletledger.protocol.RequestSubmitter;
import io.walletledger.protocol.RequestValidator;
import io.walletledger.protocol.Submission;
import io.walletledger.protocol.sbe.ErrorResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Map;
import java.util.TreeMap;

/**
 * A real {@link LedgerEngine} behind the gateway's {@link RequestSubmitter}, applying each request at once on the
 * caller's thread, and watching the boundary the fuzz tests guard: the gateway hands the ledger only requests that
 * pass {@link RequestValidator}; a request the engine answers with an {@code Error} changes nothing; the books
 * balance after every request. A broken rule is kept in {@link #failure()}: thrown here, the gateway's own error
 * handling would swallow it.
 */
final class EngineLedger implements RequestSubmitter
{
    static final int BATCH_EVENTS_MAX = 16;
    private static final int DEBITS_MUST_NOT_EXCEED_CREDITS = 1 << 1;
    private static final int CREDITS_MUST_NOT_EXCEED_DEBITS = 1 << 2;

    private final LedgerEngine engine = new LedgerEngine(LedgerConfig.builder()
        .accountsMax(64)
        .idempotencyWindow(256)
        .pendingTransfersMax(64)
        .batchEventsMax(BATCH_EVENTS_MAX)
        .hashSeed(7)
        .build());
    private final RequestValidator validator = new RequestValidator(BATCH_EVENTS_MAX);
    private final UnsafeBuffer response = new UnsafeBuffer(new byte[engine.responseLengthMax()]);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private long timestamp = 1_795_969_633_000_000_000L;
    private int submitted;
    private AssertionError failure;

    @Override
    public Submission submit(
        final DirectBuffer request, final int offset, final int length, final ReplyHandler handler)
    {
        submitted++;
        if (validator.validate(request, offset, length) != null)
        {
            fail("the gateway passed on a request that does not validate: " + validator.validate(request, offset,
                length));
        }
        final long before = engine.stateHash();
        timestamp += 1_000_000;
        final int responseLength = engine.execute(timestamp, request, offset, length, response, 0);
        header.wrap(response, 0);
        if (header.templateId() == ErrorResponseDecoder.TEMPLATE_ID && engine.stateHash() != before)
        {
            fail("a request answered with an Error changed the ledger");
        }
        checkBooks();
        handler.onReply(response, 0, responseLength);
        return Submission.ACCEPTED;
    }

    /**
     * Applies a request directly, as set-up before the gateway sees anything.
     */
    void apply(final UnsafeBuffer request, final int length)
    {
        timestamp += 1_000_000;
        engine.execute(timestamp, request, 0, length, response, 0);
    }

    long stateHash()
    {
        return engine.stateHash();
    }

    int submitted()
    {
        return submitted;
    }

    /**
     * @return the first broken rule, or null.
     */
    AssertionError failure()
    {
        return failure;
    }

    /**
     * Double entry: per currency, posted debits equal posted credits and pending debits equal pending credits; and
     * no account breaks its own balance constraint.
     */
    private void checkBooks()
    {
        final Map<Integer, long[]> totals = new TreeMap<>();
        engine.forEachAccount((id, currency, flags, status, debitsPending, debitsPosted, creditsPending,
            creditsPosted) ->
        {
            final long[] sums = totals.computeIfAbsent(currency, (c) -> new long[4]);
            sums[0] = Math.addExact(sums[0], debitsPending);
            sums[1] = Math.addExact(sums[1], debitsPosted);
            sums[2] = Math.addExact(sums[2], creditsPending);
            sums[3] = Math.addExact(sums[3], creditsPosted);
            if ((flags & DEBITS_MUST_NOT_EXCEED_CREDITS) != 0 &&
                Math.addExact(debitsPending, debitsPosted) > creditsPosted)
            {
                fail("account " + id + " is overdrawn");
            }
            if ((flags & CREDITS_MUST_NOT_EXCEED_DEBITS) != 0 &&
                Math.addExact(creditsPending, creditsPosted) > debitsPosted)
            {
                fail("account " + id + " has more credits than debits");
            }
        });
        for (final Map.Entry<Integer, long[]> total : totals.entrySet())
        {
            final long[] sums = total.getValue();
            if (sums[0] != sums[2] || sums[1] != sums[3])
            {
                fail("the books of currency " + total.getKey() + " do not balance: debits pending/posted " +
                    sums[0] + "/" + sums[1] + ", credits " + sums[2] + "/" + sums[3]);
            }
        }
    }

    private void fail(final String message)
    {
        if (failure == null)
        {
            failure = new AssertionError(message);
        }
    }
}
