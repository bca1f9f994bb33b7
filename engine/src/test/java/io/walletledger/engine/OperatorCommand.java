package io.walletledger.engine;

/**
 * One operator command as plain values, for the randomized tests: a request holds commands of one kind. Enum fields
 * are raw numbers, so that a test can send values the schema does not define; unsigned 32-bit fields are longs in
 * 0..2^32-1.
 */
sealed interface OperatorCommand
{
    /** Freeze, unfreeze or close an account (AccountCommands). */
    record AccountCommand(long accountId, int action, int freezeScope) implements OperatorCommand
    {
    }

    /** SetAccountLimits. */
    record SetAccountLimits(long accountId, long transferAmountLimit, long dailyDebitLimit, long velocityDebitLimit,
        long velocityWindowSeconds) implements OperatorCommand
    {
    }

    /** SetCodeLimits. */
    record SetCodeLimits(int code, long transferAmountLimit, long dailyDebitLimit, long velocityDebitLimit,
        long velocityWindowSeconds) implements OperatorCommand
    {
    }

    /** SetFees. */
    record SetFee(int transferCode, int currency, long fixedAmount, long basisPoints, long minimum, long maximum,
        long feeAccountId) implements OperatorCommand
    {
    }

    /** SetReviewThresholds. */
    record SetThreshold(int currency, long threshold) implements OperatorCommand
    {
    }

    /** SetPolicySettings. */
    record SetSetting(int setting, long value) implements OperatorCommand
    {
    }

    /** An operator's decision on a hold held for review (ReviewTransfers). */
    record Decision(long idLo, long idHi, long pendingIdLo, long pendingIdHi, int decision) implements OperatorCommand
    {
    }
}
