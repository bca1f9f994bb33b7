package io.walletledger.protocol;

import io.walletledger.protocol.sbe.AccountCommandsDecoder;
import io.walletledger.protocol.sbe.CommandResultsResponseDecoder;
import io.walletledger.protocol.sbe.CreateAccountsDecoder;
import io.walletledger.protocol.sbe.CreateAccountsResponseDecoder;
import io.walletledger.protocol.sbe.CreateTransfersDecoder;
import io.walletledger.protocol.sbe.CreateTransfersResponseDecoder;
import io.walletledger.protocol.sbe.LookupAccountHistoryDecoder;
import io.walletledger.protocol.sbe.LookupAccountHistoryResponseDecoder;
import io.walletledger.protocol.sbe.LookupAccountsDecoder;
import io.walletledger.protocol.sbe.LookupAccountsResponseDecoder;
import io.walletledger.protocol.sbe.LookupPoliciesDecoder;
import io.walletledger.protocol.sbe.LookupPoliciesResponseDecoder;
import io.walletledger.protocol.sbe.LookupTransfersDecoder;
import io.walletledger.protocol.sbe.LookupTransfersResponseDecoder;
import io.walletledger.protocol.sbe.ReviewTransfersDecoder;
import io.walletledger.protocol.sbe.SetAccountLimitsDecoder;
import io.walletledger.protocol.sbe.SetCodeLimitsDecoder;
import io.walletledger.protocol.sbe.SetFeesDecoder;
import io.walletledger.protocol.sbe.SetLedgerSettingsDecoder;
import io.walletledger.protocol.sbe.SetPolicySettingsDecoder;
import io.walletledger.protocol.sbe.SetReviewThresholdsDecoder;
import io.walletledger.protocol.sbe.SkipJournalEntriesDecoder;

/**
 * What the ledger knows about each request message, in one place: every module asks this table rather than
 * switching on template ids itself. A request type is one entry here plus the engine's handler (an exhaustive
 * {@code switch} over this enum, so a type without one does not compile) and the gateway's encoder and decoder.
 * <p>
 * Columns:
 * <ul>
 *   <li>{@code templateId}: the schema's message id;</li>
 *   <li>{@code journaled}: whether it changes the ledger, so it is journaled before it is applied and replayed at
 *       recovery; the others only read;</li>
 *   <li>{@code role}: the least role a key needs to send it;</li>
 *   <li>{@code elementLengthMin}: the length of one group element in the schema version that introduced the type.
 *       A later version may only append fields, so an older client never sends less, and {@link RequestValidator}
 *       refuses less;</li>
 *   <li>{@code responseTemplateId}: what the engine answers with (besides {@code ErrorResponse});</li>
 *   <li>{@code accountScope} and {@code accountFieldOffset}: how a key restricted to some accounts is checked
 *       ({@link AccountScope});</li>
 *   <li>{@code rateLimited}: whether its events count against the key's transfers per second;</li>
 *   <li>{@code transferIdOffset}: where in each event the transfer id lies that the ledger remembers for ever
 *       (idempotency), or -1 if its events have none;</li>
 *   <li>{@code fromRecord}: answered by the gateway from the permanent record instead of by the engine (it never
 *       enters the ring).</li>
 * </ul>
 * Every request has the same shape: a root block that starts with the correlation id, then one group of events
 * ({@link FrameDescriptor}).
 */
public enum RequestType
{
    CREATE_ACCOUNTS(CreateAccountsDecoder.TEMPLATE_ID, "CreateAccounts", true, Role.ADMIN, 22,
        CreateAccountsResponseDecoder.TEMPLATE_ID, AccountScope.ACCOUNT,
        CreateAccountsDecoder.AccountsDecoder.idEncodingOffset(), false, -1, false),
    CREATE_TRANSFERS(CreateTransfersDecoder.TEMPLATE_ID, "CreateTransfers", true, Role.TRANSFER, 94,
        CreateTransfersResponseDecoder.TEMPLATE_ID, AccountScope.DEBIT_ACCOUNT,
        CreateTransfersDecoder.TransfersDecoder.debitAccountIdEncodingOffset(), true,
        CreateTransfersDecoder.TransfersDecoder.idEncodingOffset(), false),
    LOOKUP_ACCOUNTS(LookupAccountsDecoder.TEMPLATE_ID, "LookupAccounts", false, Role.READ, 8,
        LookupAccountsResponseDecoder.TEMPLATE_ID, AccountScope.ACCOUNT,
        LookupAccountsDecoder.IdsDecoder.idEncodingOffset(), false, -1, false),
    /** Whose a transfer is shows only in the answer, so a restricted key's answer is filtered. */
    LOOKUP_TRANSFERS(LookupTransfersDecoder.TEMPLATE_ID, "LookupTransfers", false, Role.READ, 16,
        LookupTransfersResponseDecoder.TEMPLATE_ID, AccountScope.ANSWER_FILTERED, -1, false, -1, false),
    ACCOUNT_COMMANDS(AccountCommandsDecoder.TEMPLATE_ID, "AccountCommands", true, Role.ADMIN, 10,
        CommandResultsResponseDecoder.TEMPLATE_ID, AccountScope.ACCOUNT_CONTROL,
        AccountCommandsDecoder.CommandsDecoder.accountIdEncodingOffset(), false, -1, false),
    SET_ACCOUNT_LIMITS(SetAccountLimitsDecoder.TEMPLATE_ID, "SetAccountLimits", true, Role.ADMIN, 32,
        CommandResultsResponseDecoder.TEMPLATE_ID, AccountScope.ACCOUNT_CONTROL,
        SetAccountLimitsDecoder.LimitsDecoder.accountIdEncodingOffset(), false, -1, false),
    SET_CODE_LIMITS(SetCodeLimitsDecoder.TEMPLATE_ID, "SetCodeLimits", true, Role.ADMIN, 26,
        CommandResultsResponseDecoder.TEMPLATE_ID, AccountScope.LEDGER_WIDE, -1, false, -1, false),
    SET_FEES(SetFeesDecoder.TEMPLATE_ID, "SetFees", true, Role.ADMIN, 40,
        CommandResultsResponseDecoder.TEMPLATE_ID, AccountScope.LEDGER_WIDE, -1, false, -1, false),
    SET_REVIEW_THRESHOLDS(SetReviewThresholdsDecoder.TEMPLATE_ID, "SetReviewThresholds", true, Role.ADMIN, 10,
        CommandResultsResponseDecoder.TEMPLATE_ID, AccountScope.LEDGER_WIDE, -1, false, -1, false),
    REVIEW_TRANSFERS(ReviewTransfersDecoder.TEMPLATE_ID, "ReviewTransfers", true, Role.ADMIN, 33,
        CommandResultsResponseDecoder.TEMPLATE_ID, AccountScope.LEDGER_WIDE, -1, false,
        ReviewTransfersDecoder.DecisionsDecoder.idEncodingOffset(), false),
    SET_POLICY_SETTINGS(SetPolicySettingsDecoder.TEMPLATE_ID, "SetPolicySettings", true, Role.ADMIN, 10,
        CommandResultsResponseDecoder.TEMPLATE_ID, AccountScope.LEDGER_WIDE, -1, false, -1, false),
    /** Policies name no account: any key with the read role may read them. */
    LOOKUP_POLICIES(LookupPoliciesDecoder.TEMPLATE_ID, "LookupPolicies", false, Role.READ, 1,
        LookupPoliciesResponseDecoder.TEMPLATE_ID, AccountScope.NONE, -1, false, -1, false),
    /**
     * Answered by the gateway from the permanent record, never by the engine: the group holds one query, whose
     * account a restricted key must be allowed.
     */
    LOOKUP_ACCOUNT_HISTORY(LookupAccountHistoryDecoder.TEMPLATE_ID, "LookupAccountHistory", false, Role.READ, 36,
        LookupAccountHistoryResponseDecoder.TEMPLATE_ID, AccountScope.ACCOUNT,
        LookupAccountHistoryDecoder.QueriesDecoder.accountIdEncodingOffset(), false, -1, true),
    /**
     * Journaled by the node itself when it starts under other capacities or currencies than the ledger's; no key may
     * send it. Its group lists every currency of the ledger from then on.
     */
    SET_LEDGER_SETTINGS(SetLedgerSettingsDecoder.TEMPLATE_ID, "SetLedgerSettings", true, Role.NODE, 13,
        CommandResultsResponseDecoder.TEMPLATE_ID, AccountScope.LEDGER_WIDE, -1, false, -1, false),
    /**
     * Journaled by {@code wallet recover --skip} only: the record that journal entries were passed over. The engine
     * changes nothing for it.
     */
    SKIP_JOURNAL_ENTRIES(SkipJournalEntriesDecoder.TEMPLATE_ID, "SkipJournalEntries", true, Role.NODE, 10,
        CommandResultsResponseDecoder.TEMPLATE_ID, AccountScope.LEDGER_WIDE, -1, false, -1, false);

    /**
     * How a key restricted to some accounts may use a request type.
     */
    public enum AccountScope
    {
        /** Every event names one account, at {@link #accountFieldOffset()}: each must be one of the key's. */
        ACCOUNT,
        /**
         * As {@link #ACCOUNT}, for the controls on accounts: a restricted key may add them to its accounts (freeze,
         * close) but never lift them (unfreeze, set limits, which could raise or remove them): that takes a key that
         * is not restricted, so a key cannot free its own accounts from what an operator imposed.
         */
        ACCOUNT_CONTROL,
        /**
         * Every event names its debit account at {@link #accountFieldOffset()}: each must be one of the key's (so a
         * post or void, which may leave it zero, must name it).
         */
        DEBIT_ACCOUNT,
        /** The request goes through; the answer is cut down to what the key's accounts may see. */
        ANSWER_FILTERED,
        /** A change to the whole ledger: refused for a restricted key. */
        LEDGER_WIDE,
        /** Names no account: allowed. */
        NONE
    }

    private static final RequestType[] BY_TEMPLATE_ID = byTemplateId();

    private final int templateId;
    private final String messageName;
    private final boolean journaled;
    private final Role role;
    private final int elementLengthMin;
    private final int responseTemplateId;
    private final AccountScope accountScope;
    private final int accountFieldOffset;
    private final boolean rateLimited;
    private final int transferIdOffset;
    private final boolean fromRecord;

    RequestType(
        final int templateId,
        final String messageName,
        final boolean journaled,
        final Role role,
        final int elementLengthMin,
        final int responseTemplateId,
        final AccountScope accountScope,
        final int accountFieldOffset,
        final boolean rateLimited,
        final int transferIdOffset,
        final boolean fromRecord)
    {
        this.templateId = templateId;
        this.messageName = messageName;
        this.journaled = journaled;
        this.role = role;
        this.elementLengthMin = elementLengthMin;
        this.responseTemplateId = responseTemplateId;
        this.accountScope = accountScope;
        this.accountFieldOffset = accountFieldOffset;
        this.rateLimited = rateLimited;
        this.transferIdOffset = transferIdOffset;
        this.fromRecord = fromRecord;
    }

    private static RequestType[] byTemplateId()
    {
        int max = 0;
        for (final RequestType type : values())
        {
            max = Math.max(max, type.templateId);
        }
        final RequestType[] table = new RequestType[max + 1];
        for (final RequestType type : values())
        {
            if (table[type.templateId] != null)
            {
                throw new IllegalStateException("template id " + type.templateId + " is listed twice");
            }
            table[type.templateId] = type;
        }
        return table;
    }

    /**
     * @param templateId of a message.
     * @return its request type, or null if it is not a request the ledger executes (a response, an authentication
     * message, or unknown).
     */
    public static RequestType of(final int templateId)
    {
        return templateId >= 0 && templateId < BY_TEMPLATE_ID.length ? BY_TEMPLATE_ID[templateId] : null;
    }

    public int templateId()
    {
        return templateId;
    }

    /**
     * @return the message's name in the schema, for logs and the audit log.
     */
    public String messageName()
    {
        return messageName;
    }

    /**
     * @return true if the request changes state and must be journaled before it is acknowledged.
     */
    public boolean journaled()
    {
        return journaled;
    }

    /**
     * @return the least role a key needs to send this request.
     */
    public Role role()
    {
        return role;
    }

    /**
     * @return the shortest group element a well-formed request of this type has: its length in the schema version
     * that introduced the type.
     */
    public int elementLengthMin()
    {
        return elementLengthMin;
    }

    /**
     * @return the template of the engine's answer to a request of this type (an {@code ErrorResponse} aside).
     */
    public int responseTemplateId()
    {
        return responseTemplateId;
    }

    /**
     * @return true if the answer lists the result of every event that was not {@code OK} (the layout shared by
     * {@code CreateAccountsResponse}, {@code CreateTransfersResponse} and {@code CommandResultsResponse}).
     */
    public boolean answersWithResults()
    {
        return isResultsResponse(responseTemplateId);
    }

    /**
     * @param templateId of a response.
     * @return true if it is one of the responses that list results, which share the layout of
     * {@code CommandResultsResponse} and so may all be read with its decoder.
     */
    public static boolean isResultsResponse(final int templateId)
    {
        return templateId == CreateAccountsResponseDecoder.TEMPLATE_ID ||
            templateId == CreateTransfersResponseDecoder.TEMPLATE_ID ||
            templateId == CommandResultsResponseDecoder.TEMPLATE_ID;
    }

    public AccountScope accountScope()
    {
        return accountScope;
    }

    /**
     * @return for {@link AccountScope#ACCOUNT} and {@link AccountScope#DEBIT_ACCOUNT}: where in each group element
     * the account id (uint64) is; otherwise -1.
     */
    public int accountFieldOffset()
    {
        return accountFieldOffset;
    }

    /**
     * @return where in each event the transfer id lies (16 bytes, lo then hi) that the ledger remembers for ever, or
     * -1 if the events of this type have none.
     */
    public int transferIdOffset()
    {
        return transferIdOffset;
    }

    /**
     * @return true if every event of such a request counts against the key's transfers per second.
     */
    public boolean rateLimited()
    {
        return rateLimited;
    }

    /**
     * @return true if the gateway answers it from the permanent record: it never enters the ring nor the engine.
     */
    public boolean fromRecord()
    {
        return fromRecord;
    }

    /**
     * @param batchEventsMax the ledger's batch limit.
     * @return the most group elements a request of this type may carry: the batch limit, but for
     * {@link #SET_LEDGER_SETTINGS}, whose group lists the ledger's currencies ({@link ProtocolLimits#CURRENCIES_MAX}).
     */
    public int eventsMax(final int batchEventsMax)
    {
        return this == SET_LEDGER_SETTINGS ? ProtocolLimits.CURRENCIES_MAX : batchEventsMax;
    }
}
