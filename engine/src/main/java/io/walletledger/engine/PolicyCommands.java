package io.walletledger.engine;

import io.walletledger.protocol.CurrencyRegistry;
import io.walletledger.protocol.sbe.AccountCommandsDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.ResultCode;
import io.walletledger.protocol.sbe.SetAccountLimitsDecoder;
import io.walletledger.protocol.sbe.SetCodeLimitsDecoder;
import io.walletledger.protocol.sbe.SetFeesDecoder;
import io.walletledger.protocol.sbe.SetPolicySettingsDecoder;
import io.walletledger.protocol.sbe.SetReviewThresholdsDecoder;
import org.agrona.DirectBuffer;

import static io.walletledger.engine.AccountDescriptor.POLICY_FREEZE_CREDITS;

/**
 * The operator commands on accounts and ledger-wide policies: freeze, unfreeze and close accounts, set account
 * and code limits, fees, review thresholds and settings. Each command of a request applies or fails on its own
 * (they are never part of a linked chain), in order; a failure changes nothing. Review decisions are transfers and
 * live in {@link Ledger}.
 */
final class PolicyCommands
{
    // Values of the schema enums AccountAction, FreezeScope and PolicySetting.
    static final int ACTION_FREEZE = 1;
    static final int ACTION_UNFREEZE = 2;
    static final int ACTION_CLOSE = 3;
    static final int FREEZE_DEBITS = 1;
    static final int FREEZE_ALL = 2;
    static final int SETTING_DAY_START_SECONDS = 1;
    static final int SETTING_CONFIG_DIGEST = 2;
    static final int SETTING_HOLDS_PER_ACCOUNT_MAX = 3;
    static final int SETTING_HOLD_TIMEOUT_MAX_SECONDS = 4;

    private final Ledger ledger;
    private final Accounts accounts;
    private final AccountLimits limits;
    private final Policies policies;
    private final CurrencyRegistry currencies;

    private final AccountCommandsDecoder accountCommandsDecoder = new AccountCommandsDecoder();
    private final SetAccountLimitsDecoder setAccountLimitsDecoder = new SetAccountLimitsDecoder();
    private final SetCodeLimitsDecoder setCodeLimitsDecoder = new SetCodeLimitsDecoder();
    private final SetFeesDecoder setFeesDecoder = new SetFeesDecoder();
    private final SetReviewThresholdsDecoder setReviewThresholdsDecoder = new SetReviewThresholdsDecoder();
    private final SetPolicySettingsDecoder setPolicySettingsDecoder = new SetPolicySettingsDecoder();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();

    PolicyCommands(final Ledger ledger)
    {
        this.ledger = ledger;
        this.accounts = ledger.accounts();
        this.limits = ledger.limits();
        this.policies = ledger.policies();
        this.currencies = ledger.currencies();
    }

    /**
     * The commands of one validated request, each applied or failed on its own, in order.
     */
    @FunctionalInterface
    interface Batch
    {
        /**
         * @param request holding the message.
         * @param offset  of its header.
         * @param results where each command's result goes, in order.
         * @return the number of commands.
         */
        int apply(DirectBuffer request, int offset, ResultCode[] results);
    }

    int accountCommands(final DirectBuffer request, final int offset, final ResultCode[] results)
    {
        int count = 0;
        for (final AccountCommandsDecoder.CommandsDecoder command :
            accountCommandsDecoder.wrapAndApplyHeader(request, offset, header).commands())
        {
            results[count++] = accountCommand(
                command.accountId(), command.actionRaw() & 0xFF, command.freezeScopeRaw() & 0xFF);
        }
        return count;
    }

    int setAccountLimits(final DirectBuffer request, final int offset, final ResultCode[] results)
    {
        int count = 0;
        for (final SetAccountLimitsDecoder.LimitsDecoder limits :
            setAccountLimitsDecoder.wrapAndApplyHeader(request, offset, header).limits())
        {
            results[count++] = setAccountLimits(limits.accountId(), limits.transferAmountLimit(),
                limits.dailyDebitLimit(), limits.velocityDebitLimit(), limits.velocityWindowSeconds());
        }
        return count;
    }

    int setCodeLimits(final DirectBuffer request, final int offset, final ResultCode[] results)
    {
        int count = 0;
        for (final SetCodeLimitsDecoder.LimitsDecoder limits :
            setCodeLimitsDecoder.wrapAndApplyHeader(request, offset, header).limits())
        {
            results[count++] = setCodeLimits(limits.code(), limits.transferAmountLimit(),
                limits.dailyDebitLimit(), limits.velocityDebitLimit(), limits.velocityWindowSeconds());
        }
        return count;
    }

    int setFees(final DirectBuffer request, final int offset, final ResultCode[] results)
    {
        int count = 0;
        for (final SetFeesDecoder.FeesDecoder fee : setFeesDecoder.wrapAndApplyHeader(request, offset, header).fees())
        {
            results[count++] = setFee(fee.transferCode(), fee.currency(), fee.fixedAmount(),
                fee.basisPoints(), fee.minimum(), fee.maximum(), fee.feeAccountId());
        }
        return count;
    }

    int setReviewThresholds(final DirectBuffer request, final int offset, final ResultCode[] results)
    {
        int count = 0;
        for (final SetReviewThresholdsDecoder.ThresholdsDecoder threshold :
            setReviewThresholdsDecoder.wrapAndApplyHeader(request, offset, header).thresholds())
        {
            results[count++] = setReviewThreshold(threshold.currency(), threshold.threshold());
        }
        return count;
    }

    int setPolicySettings(final DirectBuffer request, final int offset, final ResultCode[] results)
    {
        int count = 0;
        for (final SetPolicySettingsDecoder.SettingsDecoder setting :
            setPolicySettingsDecoder.wrapAndApplyHeader(request, offset, header).settings())
        {
            results[count++] = setPolicySetting(setting.settingRaw(), setting.value());
        }
        return count;
    }

    /**
     * Freezes, unfreezes or closes an account. Repeating a command that already holds (freezing a frozen account
     * with the same scope, unfreezing an active one, closing a closed one) changes nothing and answers OK.
     */
    ResultCode accountCommand(final long accountId, final int action, final int freezeScope)
    {
        final int slot = accountId == 0 ? -1 : accounts.slotOf(accountId);
        final ResultCode refused = checkAccountCommand(accountId, slot, action, freezeScope);
        if (refused != null)
        {
            return refused;
        }
        applyAccountCommand(slot, action, freezeScope);
        return ResultCode.OK;
    }

    /**
     * @return null if the command applies, otherwise its result: a refusal, or OK for closing a closed account.
     */
    private ResultCode checkAccountCommand(final long accountId, final int slot, final int action, final int freezeScope)
    {
        if (accountId == 0)
        {
            return ResultCode.ID_MUST_NOT_BE_ZERO;
        }
        if (slot < 0)
        {
            return ResultCode.ACCOUNT_NOT_FOUND;
        }
        if (action != ACTION_FREEZE && action != ACTION_UNFREEZE && action != ACTION_CLOSE)
        {
            return ResultCode.ACTION_UNKNOWN;
        }
        if (action == ACTION_FREEZE ? freezeScope != FREEZE_DEBITS && freezeScope != FREEZE_ALL : freezeScope != 0)
        {
            return ResultCode.FREEZE_SCOPE_INVALID;
        }
        if (accounts.status(slot) == AccountStatusValue.CLOSED)
        {
            return action == ACTION_CLOSE ? ResultCode.OK : ResultCode.ACCOUNT_CLOSED;
        }
        if (action == ACTION_CLOSE)
        {
            if (accounts.debitsPending(slot) != 0 || accounts.creditsPending(slot) != 0)
            {
                return ResultCode.ACCOUNT_HAS_PENDING_TRANSFERS;
            }
            if (accounts.debitsPosted(slot) != accounts.creditsPosted(slot))
            {
                return ResultCode.ACCOUNT_BALANCE_NOT_ZERO;
            }
        }
        return null;
    }

    private void applyAccountCommand(final int slot, final int action, final int freezeScope)
    {
        final int policy = accounts.policy(slot);
        switch (action)
        {
            case ACTION_FREEZE:
                accounts.status(slot, AccountStatusValue.FROZEN);
                accounts.policy(slot, freezeScope == FREEZE_ALL ?
                    policy | POLICY_FREEZE_CREDITS : policy & ~POLICY_FREEZE_CREDITS);
                break;
            case ACTION_UNFREEZE:
                accounts.status(slot, AccountStatusValue.ACTIVE);
                accounts.policy(slot, policy & ~POLICY_FREEZE_CREDITS);
                break;
            default:
                accounts.status(slot, AccountStatusValue.CLOSED);
                accounts.policy(slot, policy & ~POLICY_FREEZE_CREDITS);
                break;
        }
    }

    /**
     * Replaces the limits of an account (0 = no limit), giving it a limits record if it has none. What it has
     * already spent today and its recent debits still count.
     */
    ResultCode setAccountLimits(
        final long accountId,
        final long transferAmountLimit,
        final long dailyDebitLimit,
        final long velocityDebitLimit,
        final long velocityWindowSeconds)
    {
        if (accountId == 0)
        {
            return ResultCode.ID_MUST_NOT_BE_ZERO;
        }
        final int slot = accounts.slotOf(accountId);
        if (slot < 0)
        {
            return ResultCode.ACCOUNT_NOT_FOUND;
        }
        final ResultCode invalid = checkLimitValues(
            transferAmountLimit, dailyDebitLimit, velocityDebitLimit, velocityWindowSeconds);
        if (invalid != null)
        {
            return invalid;
        }
        int record = limits.recordOf(slot);
        if (record < 0)
        {
            if (limits.isFull())
            {
                return ResultCode.LIMITED_ACCOUNTS_FULL;
            }
            record = ledger.createLimits(slot);
        }
        limits.setLimits(record, transferAmountLimit, dailyDebitLimit, (int)velocityDebitLimit, (int)velocityWindowSeconds);
        return ResultCode.OK;
    }

    ResultCode setCodeLimits(
        final int code,
        final long transferAmountLimit,
        final long dailyDebitLimit,
        final long velocityDebitLimit,
        final long velocityWindowSeconds)
    {
        final ResultCode invalid = checkLimitValues(
            transferAmountLimit, dailyDebitLimit, velocityDebitLimit, velocityWindowSeconds);
        if (invalid != null)
        {
            return invalid;
        }
        return policies.putCodeLimits(code, transferAmountLimit, dailyDebitLimit, (int)velocityDebitLimit,
            (int)velocityWindowSeconds) ? ResultCode.OK : ResultCode.POLICY_TABLE_FULL;
    }

    private ResultCode checkLimitValues(
        final long transferAmountLimit,
        final long dailyDebitLimit,
        final long velocityDebitLimit,
        final long velocityWindowSeconds)
    {
        if (transferAmountLimit < 0 || dailyDebitLimit < 0)
        {
            return ResultCode.LIMIT_MUST_NOT_BE_NEGATIVE;
        }
        if (velocityDebitLimit > limits.velocityDebitsMax())
        {
            return ResultCode.VELOCITY_LIMIT_TOO_LARGE;
        }
        if (velocityDebitLimit != 0 && velocityWindowSeconds == 0)
        {
            return ResultCode.VELOCITY_WINDOW_MUST_NOT_BE_ZERO;
        }
        return null;
    }

    ResultCode setFee(
        final int transferCode,
        final int currency,
        final long fixed,
        final long basisPoints,
        final long minimum,
        final long maximum,
        final long feeAccountId)
    {
        if (currency == 0)
        {
            return ResultCode.CURRENCY_MUST_NOT_BE_ZERO;
        }
        if (!currencies.isKnown(currency))
        {
            return ResultCode.CURRENCY_UNKNOWN;
        }
        if (fixed < 0 || minimum < 0 || maximum < 0)
        {
            return ResultCode.FEE_MUST_NOT_BE_NEGATIVE;
        }
        if (basisPoints > Policies.BASIS_POINTS_MAX)
        {
            return ResultCode.FEE_BASIS_POINTS_TOO_LARGE;
        }
        if (maximum != 0 && minimum > maximum)
        {
            return ResultCode.FEE_MINIMUM_EXCEEDS_MAXIMUM;
        }
        return policies.putFee(Policies.feeKey(transferCode, currency), fixed, (int)basisPoints, minimum, maximum,
            feeAccountId) ?
            ResultCode.OK : ResultCode.POLICY_TABLE_FULL;
    }

    ResultCode setReviewThreshold(final int currency, final long threshold)
    {
        if (currency == 0)
        {
            return ResultCode.CURRENCY_MUST_NOT_BE_ZERO;
        }
        if (!currencies.isKnown(currency))
        {
            return ResultCode.CURRENCY_UNKNOWN;
        }
        if (threshold < 0)
        {
            return ResultCode.THRESHOLD_MUST_NOT_BE_NEGATIVE;
        }
        return policies.putThreshold(currency, threshold) ? ResultCode.OK : ResultCode.POLICY_TABLE_FULL;
    }

    ResultCode setPolicySetting(final int setting, final long value)
    {
        switch (setting)
        {
            case SETTING_DAY_START_SECONDS:
                if (value < 0 || value >= AccountLimits.SECONDS_PER_DAY)
                {
                    return ResultCode.SETTING_OUT_OF_RANGE;
                }
                policies.dayStartSeconds = (int)value;
                return ResultCode.OK;
            case SETTING_CONFIG_DIGEST:
                policies.configDigest = value;
                return ResultCode.OK;
            case SETTING_HOLDS_PER_ACCOUNT_MAX:
                if (value < 0 || value > Integer.MAX_VALUE)
                {
                    return ResultCode.SETTING_OUT_OF_RANGE;
                }
                policies.holdsPerAccountMax = (int)value;
                return ResultCode.OK;
            case SETTING_HOLD_TIMEOUT_MAX_SECONDS:
                if (value < 0 || value > 0xFFFF_FFFFL)
                {
                    return ResultCode.SETTING_OUT_OF_RANGE;
                }
                policies.holdTimeoutMaxSeconds = (int)value;
                return ResultCode.OK;
            default:
                return ResultCode.SETTING_UNKNOWN;
        }
    }
}
