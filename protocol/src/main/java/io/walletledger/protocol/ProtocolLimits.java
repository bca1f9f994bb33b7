package io.walletledger.protocol;

import io.walletledger.protocol.sbe.LookupPoliciesResponseDecoder;
import io.walletledger.protocol.sbe.LookupAccountHistoryResponseDecoder;

import io.walletledger.protocol.sbe.CommandResultsResponseDecoder;
import io.walletledger.protocol.sbe.CreateAccountsResponseDecoder;
import io.walletledger.protocol.sbe.CreateTransfersDecoder;
import io.walletledger.protocol.sbe.CreateTransfersResponseDecoder;
import io.walletledger.protocol.sbe.GroupSizeEncodingDecoder;
import io.walletledger.protocol.sbe.LookupAccountsResponseDecoder;
import io.walletledger.protocol.sbe.LookupTransfersResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.SetLedgerSettingsDecoder;

/**
 * Size limits shared by everything that reads or writes frames, and the buffer sizes they imply.
 */
public final class ProtocolLimits
{
    /**
     * Default maximum number of events in one request: a full batch (8,190 transfers of 94 bytes, or a
     * lookup response of 8,190 transfers of 103 bytes) fits in a frame of under 1 MiB.
     */
    public static final int BATCH_EVENTS_MAX_DEFAULT = 8190;

    /** The group size field is a uint16, so no configuration may exceed this. */
    public static final int BATCH_EVENTS_MAX_LIMIT = GroupSizeEncodingDecoder.numInGroupMaxValue();

    /**
     * The most entries each policy table holds (fee schedules, review thresholds, code limits), so that a
     * {@code LookupPoliciesResponse} with all of them stays small (under 100 KiB).
     */
    public static final int POLICY_ENTRIES_MAX = 1024;

    /** The most currencies a ledger has ({@code SetLedgerSettings} lists them all in one request). */
    public static final int CURRENCIES_MAX = 1024;

    /** The most entries one page of an account's history holds, over either protocol. */
    public static final int HISTORY_PAGE_MAX = 1000;

    private static final int GROUP_HEADER_LENGTH = GroupSizeEncodingDecoder.ENCODED_LENGTH;
    /** An error response's body: the correlation id, the code, and at most 1 KiB of text. */
    private static final int ERROR_LENGTH_MAX = 8 + 2 + 4 + 1024;

    private ProtocolLimits()
    {
    }

    /**
     * The largest request, and the largest response to a batch, (header and body, without the frame length
     * field) for a given batch limit. Responses are read into buffers of {@link #responseLengthMax(int)}, which
     * also fits the answer to {@code LookupPolicies}.
     *
     * @param batchEventsMax maximum events per request.
     * @return the length in bytes.
     */
    public static int messageLengthMax(final int batchEventsMax)
    {
        if (batchEventsMax < 1 || batchEventsMax > BATCH_EVENTS_MAX_LIMIT)
        {
            throw new IllegalArgumentException(
                "batchEventsMax must be in 1.." + BATCH_EVENTS_MAX_LIMIT + ", was " + batchEventsMax);
        }
        final int widestEvent = Math.max(
            CreateTransfersDecoder.TransfersDecoder.sbeBlockLength(),
            Math.max(
                LookupTransfersResponseDecoder.TransfersDecoder.sbeBlockLength(),
                LookupAccountsResponseDecoder.AccountsDecoder.sbeBlockLength()));
        return MessageHeaderDecoder.ENCODED_LENGTH +
            Math.max(ERROR_LENGTH_MAX, 8 + GROUP_HEADER_LENGTH + batchEventsMax * widestEvent);
    }

    /**
     * The largest response (header and body, without the frame length field) for a given batch limit: a batch
     * response, a {@code LookupPoliciesResponse} with every policy table full, or a full page of history. Buffers sized with this never
     * overflow.
     *
     * @param batchEventsMax maximum events per request.
     * @return the length in bytes.
     */
    public static int responseLengthMax(final int batchEventsMax)
    {
        return Math.max(messageLengthMax(batchEventsMax), MessageHeaderDecoder.ENCODED_LENGTH +
            Math.max(policiesLengthMax(), historyLengthMax()));
    }

    /**
     * The longest answer (header and body, without the frame length field) to one request of this type with this
     * many events: what a connection sets aside for it while it is in flight.
     *
     * @param type   the request's type.
     * @param events its events (the count of its group).
     * @return the length in bytes.
     */
    public static int replyLengthMax(final RequestType type, final int events)
    {
        final int responseTemplateId = type.responseTemplateId();
        final long body;
        if (responseTemplateId == LookupPoliciesResponseDecoder.TEMPLATE_ID)
        {
            body = policiesLengthMax();
        }
        else if (responseTemplateId == LookupAccountHistoryResponseDecoder.TEMPLATE_ID)
        {
            body = historyLengthMax();
        }
        else
        {
            final int element = switch (responseTemplateId)
            {
                case LookupAccountsResponseDecoder.TEMPLATE_ID -> LookupAccountsResponseDecoder.AccountsDecoder
                    .sbeBlockLength();
                case LookupTransfersResponseDecoder.TEMPLATE_ID -> LookupTransfersResponseDecoder.TransfersDecoder
                    .sbeBlockLength();
                case CreateAccountsResponseDecoder.TEMPLATE_ID -> CreateAccountsResponseDecoder.ResultsDecoder
                    .sbeBlockLength();
                case CreateTransfersResponseDecoder.TEMPLATE_ID -> CreateTransfersResponseDecoder.ResultsDecoder
                    .sbeBlockLength();
                default -> CommandResultsResponseDecoder.ResultsDecoder.sbeBlockLength();
            };
            body = 8 + GROUP_HEADER_LENGTH + (long)Math.max(0, events) * element;
        }
        return (int)Math.min(Integer.MAX_VALUE, MessageHeaderDecoder.ENCODED_LENGTH + Math.max(ERROR_LENGTH_MAX, body));
    }

    /**
     * @return the longest {@code SetLedgerSettings} (header and body): every currency a ledger may have. Only the
     * node sends it, so it may be longer than {@link #messageLengthMax(int)} for a small batch limit.
     */
    public static int settingsLengthMax()
    {
        return MessageHeaderDecoder.ENCODED_LENGTH + SetLedgerSettingsDecoder.BLOCK_LENGTH + GROUP_HEADER_LENGTH +
            CURRENCIES_MAX * SetLedgerSettingsDecoder.CurrenciesDecoder.sbeBlockLength();
    }

    /**
     * @return the longest {@code LookupAccountHistoryResponse} body: a full page.
     */
    static int historyLengthMax()
    {
        return LookupAccountHistoryResponseDecoder.BLOCK_LENGTH + GROUP_HEADER_LENGTH +
            HISTORY_PAGE_MAX * LookupAccountHistoryResponseDecoder.EntriesDecoder.sbeBlockLength();
    }

    /**
     * @return the longest {@code LookupPoliciesResponse} body: every policy table full.
     */
    static int policiesLengthMax()
    {
        return LookupPoliciesResponseDecoder.BLOCK_LENGTH + 3 * GROUP_HEADER_LENGTH + POLICY_ENTRIES_MAX * (
            LookupPoliciesResponseDecoder.FeesDecoder.sbeBlockLength() +
            LookupPoliciesResponseDecoder.ThresholdsDecoder.sbeBlockLength() +
            LookupPoliciesResponseDecoder.CodeLimitsDecoder.sbeBlockLength());
    }
}
