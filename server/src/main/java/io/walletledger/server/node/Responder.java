package io.walletledger.server.node;

import com.lmax.disruptor.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stage 3: hands each response to its submitter. A handler that throws is logged; the request was applied.
 */
final class Responder implements EventHandler<NodeEvent>
{
    private static final Logger LOG = LoggerFactory.getLogger(Responder.class);
    /** A slot's response buffer larger than this after a reply is replaced by a small one, so memory stays low. */
    private static final int RESPONSE_CAPACITY_KEPT = 64 * 1024;

    @Override
    public void onEvent(final NodeEvent event, final long ringSequence, final boolean endOfBatch)
    {
        try
        {
            event.handler.onReply(event.response, 0, event.responseLength);
        }
        catch (final Throwable ex)
        {
            LOG.warn("a reply handler failed; its request was processed", ex);
        }
        finally
        {
            event.release(RESPONSE_CAPACITY_KEPT);
        }
    }
}
