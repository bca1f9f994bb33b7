package io.walletledger.server.node;

import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.Sequence;
import io.walletledger.engine.LedgerEngine;
import io.walletledger.protocol.FrameDescriptor;
import io.walletledger.protocol.RequestType;
import io.walletledger.protocol.sbe.ErrorCode;
import io.walletledger.protocol.sbe.ErrorResponseEncoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.protocol.sbe.ResultCode;
import org.agrona.MutableDirectBuffer;

import java.nio.charset.StandardCharsets;

/**
 * Stage 2: the single thread that owns the engine.
 */
final class EngineStage implements EventHandler<NodeEvent>
{
    private static final byte[] HALTED_MESSAGE = ("the node halted after an internal failure (see its log); this " +
        "request may or may not be in the journal: look it up after a restart").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DISK_FULL_MESSAGE = ("the data directory's free space is below wallet.disk.min-free: " +
        "nothing was applied; send it again once space is freed").getBytes(StandardCharsets.US_ASCII);

    private final LedgerEngine engine;
    private final PipelineState state;
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ErrorResponseEncoder errorEncoder = new ErrorResponseEncoder();
    private long applied;
    private Sequence progress;

    EngineStage(final LedgerEngine engine, final PipelineState state)
    {
        this.engine = engine;
        this.state = state;
        this.applied = state.appliedSequence;
        publishForgotten();
    }

    @Override
    public void setSequenceCallback(final Sequence sequenceCallback)
    {
        this.progress = sequenceCallback;
    }

    @Override
    public void onEvent(final NodeEvent event, final long ringSequence, final boolean endOfBatch)
    {
        if (ringSequence >= state.haltedFrom)
        {
            event.responseLength = encodeRefusal(event, ErrorCode.INTERNAL_ERROR, HALTED_MESSAGE);
        }
        else if (event.diskFull)
        {
            event.responseLength = encodeRefusal(event, ErrorCode.DISK_FULL, DISK_FULL_MESSAGE);
        }
        else
        {
            try
            {
                if (event.noteLength > 0)
                {
                    engine.recall(event.note, 0, event.noteLength);
                }
                event.responseLength = engine.execute(
                    event.timestamp, event.request, event.offset, event.length, event.response, 0);
                if (event.journaled)
                {
                    applied = event.sequence;
                    countTransfers();
                }
            }
            catch (final Throwable ex)
            {
                // A bug: the state may be half changed, so nothing more is applied. Recovery will meet the same
                // entry: the failure names it and the way past it.
                state.halt(ringSequence, event.journaled ? new JournalEntryFailedException(event.sequence,
                    FrameDescriptor.templateId(event.request, event.offset), event.timestamp, ex) : ex);
                event.responseLength = encodeRefusal(event, ErrorCode.INTERNAL_ERROR, HALTED_MESSAGE);
            }
        }
        if (endOfBatch)
        {
            publishForgotten();
            state.appliedSequence = applied;
            progress.set(ringSequence);
            state.signal();
        }
    }

    private void publishForgotten()
    {
        state.forgottenIdHi = engine.forgottenIdHi();
        state.forgottenIdLo = engine.forgottenIdLo();
        state.openHolds = engine.pendingTransferCount();
    }

    /**
     * Counts the outcomes of a request of transfers from what the engine noted, without decoding anything.
     */
    private void countTransfers()
    {
        if (engine.lastRequestType() != RequestType.CREATE_TRANSFERS)
        {
            return;
        }
        final int events = engine.lastEventCount();
        final int failures = engine.lastFailureCount();
        state.metrics.countTransfers(events - failures);
        for (int i = 0; failures > 0 && i < events; i++)
        {
            final ResultCode result = engine.lastResult(i);
            if (result != ResultCode.OK)
            {
                state.metrics.countTransferResult(result.value());
            }
        }
    }

    /**
     * Answers a request without executing it.
     */
    private int encodeRefusal(final NodeEvent event, final ErrorCode code, final byte[] message)
    {
        final MutableDirectBuffer response = event.response;
        long correlationId = 0;
        try
        {
            correlationId = FrameDescriptor.correlationId(event.request, event.offset, event.length);
        }
        catch (final RuntimeException ex)
        {
            // The request that broke the pipeline may be unreadable: answer without its correlation id.
        }
        errorEncoder.wrapAndApplyHeader(response, 0, headerEncoder)
            .correlationId(correlationId)
            .code(code)
            .putMessage(message, 0, message.length);
        return MessageHeaderEncoder.ENCODED_LENGTH + errorEncoder.encodedLength();
    }
}
