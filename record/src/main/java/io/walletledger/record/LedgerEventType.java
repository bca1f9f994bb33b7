package io.walletledger.record;

/**
 * The kinds of event the record keeps besides transfers, with the code each is stored under (never reused) and the
 * name the change stream gives it.
 */
public enum LedgerEventType
{
    /** An account was created; the event holds the account as created. */
    ACCOUNT_CREATED(1, "account_created"),
    /** An account was frozen (debits, or all); the event holds the account after. */
    ACCOUNT_FROZEN(2, "account_frozen"),
    ACCOUNT_UNFROZEN(3, "account_unfrozen"),
    ACCOUNT_CLOSED(4, "account_closed"),
    /** An account's limits were replaced; the event holds the account after. */
    ACCOUNT_LIMITS_SET(5, "account_limits_set"),
    /** The default limits of an account code: subject the code; values the four limits (0 = none). */
    CODE_LIMITS_SET(6, "code_limits_set"),
    /** A fee: subject the transfer code; values currency, fixed amount, basis points, minimum, maximum, fee account
     * (0 removes the fee). */
    FEE_SET(7, "fee_set"),
    /** A review threshold: subject the currency; values the threshold (0 removes it). */
    REVIEW_THRESHOLD_SET(8, "review_threshold_set"),
    /** A ledger-wide policy setting: subject the setting's code (the schema's {@code PolicySetting}); values its
     * value. */
    POLICY_SETTING_SET(9, "policy_setting_set");

    private static final LedgerEventType[] BY_CODE = byCode();

    private final int code;
    private final String streamName;

    LedgerEventType(final int code, final String streamName)
    {
        this.code = code;
        this.streamName = streamName;
    }

    public int code()
    {
        return code;
    }

    /**
     * @return the event's {@code type} in the change stream.
     */
    public String streamName()
    {
        return streamName;
    }

    /**
     * @return whether the event is about one account, whose state after it the event holds.
     */
    public boolean isAccountEvent()
    {
        return code <= ACCOUNT_LIMITS_SET.code;
    }

    /**
     * @throws IllegalArgumentException for a code no build ever stored.
     */
    public static LedgerEventType of(final int code)
    {
        if (code <= 0 || code >= BY_CODE.length || BY_CODE[code] == null)
        {
            throw new IllegalArgumentException("no ledger event has code " + code);
        }
        return BY_CODE[code];
    }

    private static LedgerEventType[] byCode()
    {
        int max = 0;
        for (final LedgerEventType type : values())
        {
            max = Math.max(max, type.code);
        }
        final LedgerEventType[] byCode = new LedgerEventType[max + 1];
        for (final LedgerEventType type : values())
        {
            byCode[type.code] = type;
        }
        return byCode;
    }
}
