package io.walletledger.server.node;

import io.walletledger.engine.LedgerConfig;
import io.walletledger.engine.LedgerEngine;
import io.walletledger.protocol.Currency;
import io.walletledger.protocol.ProtocolLimits;
import io.walletledger.protocol.Submission;
import io.walletledger.protocol.sbe.CommandResultsResponseDecoder;
import io.walletledger.protocol.sbe.ErrorResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.protocol.sbe.ResultCode;
import io.walletledger.protocol.sbe.SetLedgerSettingsEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starting under other capacities or currencies than the ledger has: the node journals {@code SetLedgerSettings}
 * with the configured ones before it serves anything, and the engine applies it like every command, so a replay
 * changes the settings at the same place and nothing is ever decided under other settings than it was live. A
 * change the ledger cannot take (a capacity below what it holds, a smaller idempotency window, a currency in use
 * dropped or changed, another batch size) stops the start with the reason; nothing changed.
 */
final class LedgerSettingsChange
{
    private static final Logger LOG = LoggerFactory.getLogger(LedgerSettingsChange.class);
    private static final long REPLY_TIMEOUT_SECONDS = 60;

    private LedgerSettingsChange()
    {
    }

    /**
     * @param engine     the node's engine, which has applied nothing since recovery.
     * @param configured the settings the node is configured with.
     * @throws IllegalStateException if the ledger cannot take them.
     */
    static void apply(final LedgerNode node, final LedgerEngine engine, final LedgerConfig configured)
    {
        final LedgerConfig current = engine.config();
        if (current.sameSettings(configured))
        {
            return;
        }
        final List<Currency> currencies = new ArrayList<>(configured.currencies().currencies());
        if (currencies.size() > ProtocolLimits.CURRENCIES_MAX)
        {
            throw new IllegalStateException(currencies.size() + " currencies are configured; a ledger has at most " +
                ProtocolLimits.CURRENCIES_MAX);
        }
        currencies.sort(Comparator.comparingInt(Currency::numericCode));
        final UnsafeBuffer request = new UnsafeBuffer(new byte[ProtocolLimits.settingsLengthMax()]);
        final SetLedgerSettingsEncoder encoder = new SetLedgerSettingsEncoder()
            .wrapAndApplyHeader(request, 0, new MessageHeaderEncoder())
            .correlationId(1)
            .accountsMax(configured.accountsMax())
            .idempotencyWindow(configured.idempotencyWindow())
            .pendingTransfersMax(configured.pendingTransfersMax())
            .batchEventsMax(configured.batchEventsMax())
            .limitedAccountsMax(configured.limitedAccountsMax())
            .velocityDebitsMax(configured.velocityDebitsMax());
        final SetLedgerSettingsEncoder.CurrenciesEncoder group = encoder.currenciesCount(currencies.size());
        for (final Currency currency : currencies)
        {
            group.next().numericCode(currency.numericCode()).exponent((short)currency.exponent())
                .alphaCode(currency.alphaCode());
        }
        final UnsafeBuffer reply = call(node, request, MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
        final MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(reply, 0);
        if (header.templateId() == ErrorResponseDecoder.TEMPLATE_ID)
        {
            final ErrorResponseDecoder error = new ErrorResponseDecoder().wrapAndApplyHeader(reply, 0, header);
            throw new IllegalStateException("the ledger refused its new settings: " + error.code() + " " +
                error.message());
        }
        final CommandResultsResponseDecoder.ResultsDecoder results =
            new CommandResultsResponseDecoder().wrapAndApplyHeader(reply, 0, header).results();
        if (results.hasNext())
        {
            throw new IllegalStateException(refusal(results.next().result(), current, configured, engine));
        }
        LOG.info("the ledger's settings changed at journal sequence {}, as configured: {} (were {})",
            node.appliedSequence(), configured, current);
    }

    private static String refusal(
        final ResultCode result, final LedgerConfig current, final LedgerConfig configured, final LedgerEngine engine)
    {
        final String why = switch (result)
        {
            case CAPACITY_BELOW_USE -> "a capacity is below what the ledger holds (" + engine.accountCount() +
                " accounts, " + engine.pendingTransferCount() + " open holds), or the idempotency window is smaller " +
                "than its " + current.idempotencyWindow() + " (a window may only grow)";
            case CURRENCY_IN_USE -> "a currency an account, a fee or a review threshold uses is dropped or changed";
            case SETTING_NOT_CHANGEABLE -> "batch-events-max (" + current.batchEventsMax() + ") and " +
                "velocity-debits-max (" + current.velocityDebitsMax() + ") are kept for life";
            default -> result.name();
        };
        return "the ledger cannot take the configured settings (" + result + "): " + why + ". It has " + current +
            ", the configuration asks for " + configured + "; nothing was changed";
    }

    private static UnsafeBuffer call(final LedgerNode node, final UnsafeBuffer request, final int length)
    {
        final CompletableFuture<byte[]> answer = new CompletableFuture<>();
        while (true)
        {
            final Submission submission = node.submit(request, 0, length, (buffer, offset, replyLength) ->
            {
                final byte[] bytes = new byte[replyLength];
                buffer.getBytes(offset, bytes);
                answer.complete(bytes);
            });
            if (submission == Submission.ACCEPTED)
            {
                break;
            }
            if (submission != Submission.BUSY)
            {
                throw new IllegalStateException("the node did not take its new settings: " + submission);
            }
            Thread.onSpinWait();
        }
        try
        {
            return new UnsafeBuffer(answer.get(REPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the ledger changed its settings", ex);
        }
        catch (final ExecutionException | TimeoutException ex)
        {
            throw new IllegalStateException("the ledger did not answer its new settings in " + REPLY_TIMEOUT_SECONDS +
                " s", ex);
        }
    }
}
