package io.walletledger.engine;

import org.agrona.ExpandableArrayBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Random request streams for the tests of other modules (snapshots, the node, crash tests): the engine tests'
 * {@link CommandGenerator} (accounts in several currencies, single-phase and two-phase transfers, linked chains,
 * retries, and requests that fail for every reason), as SBE request messages ready to submit or journal.
 * Requests are aimed with a reference ledger that applies them at the generator's timestamps; wherever they
 * are really executed at other times, they are still valid requests, just aimed less well.
 */
public final class TestWorkload
{
    private final CommandGenerator generator;
    private final ReferenceLedger model;
    private final LedgerView view;
    private final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(1 << 16);
    private long correlationId;

    /**
     * @param seed decides everything, so the same seed gives the same requests.
     */
    public TestWorkload(final long seed)
    {
        this.generator = new CommandGenerator(new Random(seed), false);
        this.model = new ReferenceLedger(generator.config());
        this.view = LedgerView.of(model);
    }

    /**
     * @return the engine configuration the requests are meant for (a window that is never reached).
     */
    public LedgerConfig config()
    {
        return generator.config();
    }

    /**
     * @return the next requests, each one whole SBE message (header and body).
     */
    public List<byte[]> next(final int count)
    {
        final List<byte[]> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            final LedgerRequest request = generator.next(view);
            request.applyTo(model);
            final int length = request.accounts() != null ?
                TestLedger.encode(buffer, ++correlationId, request.accounts()) :
                TestLedger.encode(buffer, ++correlationId, request.transfers());
            requests.add(Arrays.copyOf(buffer.byteArray(), length));
        }
        return requests;
    }

    /**
     * @return the same configuration with another index hash seed.
     */
    public static LedgerConfig withHashSeed(final LedgerConfig config, final long hashSeed)
    {
        return LedgerConfig.builder()
            .accountsMax(config.accountsMax())
            .idempotencyWindow(config.idempotencyWindow())
            .pendingTransfersMax(config.pendingTransfersMax())
            .batchEventsMax(config.batchEventsMax())
            .limitedAccountsMax(config.limitedAccountsMax())
            .velocityDebitsMax(config.velocityDebitsMax())
            .currencies(config.currencies())
            .hashSeed(hashSeed)
            .build();
    }
}
