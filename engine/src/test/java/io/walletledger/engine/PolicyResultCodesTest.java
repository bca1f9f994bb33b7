package io.walletledger.engine;

import io.walletledger.protocol.sbe.FreezeScope;
import io.walletledger.protocol.sbe.LookupPoliciesResponseDecoder;
import io.walletledger.protocol.sbe.ResultCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static io.walletledger.engine.TestLedger.EUR;
import static io.walletledger.engine.TestLedger.USD;
import static io.walletledger.engine.TestLedger.account;
import static io.walletledger.engine.TestLedger.transfer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wallet policies of schema version 2: account lifecycle, spending limits and velocity, large-transfer
 * review, fees and the policy settings. One test at least per result code they add (checked by
 * {@link #everyPolicyResultCodeIsCovered()}), and the edges of days and windows.
 */
class PolicyResultCodesTest
{
    /** The result codes added with the policies (version 2 of the schema). */
    static final Set<ResultCode> POLICY_CODES = policyCodes();

    private static final Set<ResultCode> SEEN = EnumSet.noneOf(ResultCode.class);

    private static final long SETTLEMENT = 1;
    private static final long ALICE = 10;
    private static final long BOB = 11;
    private static final long EURO_WALLET = 20;
    private static final long FEES = 30;
    private static final long EMPTY = 40;
    private static final int PAYMENT = 5;
    private static final long SECOND = 1_000_000_000L;

    private TestLedger ledger;

    private static Set<ResultCode> policyCodes()
    {
        final Set<ResultCode> codes = EnumSet.noneOf(ResultCode.class);
        for (final ResultCode code : ResultCode.values())
        {
            if (code != ResultCode.NULL_VAL && code.value() >= ResultCode.HELD_FOR_REVIEW.value() &&
                code.value() <= ResultCode.THRESHOLD_MUST_NOT_BE_NEGATIVE.value())
            {
                codes.add(code);
            }
        }
        return codes;
    }

    @BeforeEach
    void setUp()
    {
        ledger = new TestLedger();
        expect(ResultCode.OK, ledger.createAccounts(
            account(SETTLEMENT),
            account(ALICE).noOverdraft(),
            account(BOB).noOverdraft(),
            account(EURO_WALLET).currency(EUR),
            account(FEES),
            account(EMPTY)));
        expect(ResultCode.OK, ledger.createTransfer(transfer(1000, SETTLEMENT, ALICE, 10_000)));
    }

    @AfterAll
    static void everyPolicyResultCodeIsCovered()
    {
        final Set<ResultCode> missing = EnumSet.copyOf(POLICY_CODES);
        missing.removeAll(SEEN);
        assertTrue(missing.isEmpty(), "policy result codes without a test: " + missing);
    }

    private static void expect(final ResultCode expected, final ResultCode... actual)
    {
        for (final ResultCode result : actual)
        {
            assertEquals(expected, result);
        }
        SEEN.add(expected);
    }

    /**
     * A rejected transfer moves nothing, opens no hold and is remembered with its failure.
     */
    private void expectRejected(final ResultCode expected, final TestLedger.Transfer transfer)
    {
        final List<TestLedger.AccountView> before = ledger.lookupAccounts(SETTLEMENT, ALICE, BOB, FEES, EMPTY);
        final int holds = ledger.engine.pendingTransferCount();
        expect(expected, ledger.createTransfer(transfer));
        assertEquals(before, ledger.lookupAccounts(SETTLEMENT, ALICE, BOB, FEES, EMPTY));
        assertEquals(holds, ledger.engine.pendingTransferCount());
        expect(expected, ledger.createTransfer(transfer.copy()));
    }

    private long balance(final long id)
    {
        return ledger.lookupAccount(id).balance();
    }

    // ------------------------------------------------------------------------------------------ lifecycle

    @Test
    void aFrozenAccountReceivesButDoesNotSend()
    {
        expect(ResultCode.OK, ledger.freeze(ALICE, FreezeScope.DEBITS));
        assertEquals(FreezeScope.DEBITS.value(), ledger.policyOf(ALICE).freezeScope());
        assertEquals(1, ledger.lookupAccount(ALICE).status());
        expectRejected(ResultCode.DEBIT_ACCOUNT_FROZEN, transfer(2000, ALICE, BOB, 10));
        expect(ResultCode.OK, ledger.createTransfer(transfer(2001, SETTLEMENT, ALICE, 10)));
        expect(ResultCode.OK, ledger.freeze(ALICE, FreezeScope.DEBITS));

        expect(ResultCode.OK, ledger.unfreeze(ALICE));
        assertEquals(FreezeScope.NONE.value(), ledger.policyOf(ALICE).freezeScope());
        expect(ResultCode.OK, ledger.createTransfer(transfer(2002, ALICE, BOB, 10)));
        expect(ResultCode.OK, ledger.unfreeze(ALICE));
    }

    @Test
    void anAccountFrozenForAllNeitherReceivesNorSends()
    {
        expect(ResultCode.OK, ledger.freeze(ALICE, FreezeScope.ALL));
        assertEquals(FreezeScope.ALL.value(), ledger.policyOf(ALICE).freezeScope());
        expectRejected(ResultCode.CREDIT_ACCOUNT_FROZEN, transfer(2000, SETTLEMENT, ALICE, 10));
        expectRejected(ResultCode.DEBIT_ACCOUNT_FROZEN, transfer(2001, ALICE, BOB, 10));

        expect(ResultCode.OK, ledger.freeze(ALICE, FreezeScope.DEBITS));
        expect(ResultCode.OK, ledger.createTransfer(transfer(2002, SETTLEMENT, ALICE, 10)));
    }

    @Test
    void closingNeedsAZeroBalanceAndNoHolds()
    {
        expect(ResultCode.ACCOUNT_BALANCE_NOT_ZERO, ledger.close(ALICE));
        expect(ResultCode.OK, ledger.createTransfer(transfer(2000, SETTLEMENT, BOB, 5).pending()));
        expect(ResultCode.ACCOUNT_HAS_PENDING_TRANSFERS, ledger.close(BOB));
        expect(ResultCode.OK, ledger.createTransfer(transfer(2001, SETTLEMENT, BOB, 0).voidHold(2000)));
        expect(ResultCode.OK, ledger.close(BOB));
        assertEquals(2, ledger.lookupAccount(BOB).status());

        // Closed is final: nothing moves, nothing reopens it; closing again changes nothing.
        expectRejected(ResultCode.CREDIT_ACCOUNT_CLOSED, transfer(2002, SETTLEMENT, BOB, 10));
        expect(ResultCode.ACCOUNT_CLOSED, ledger.freeze(BOB, FreezeScope.DEBITS), ledger.unfreeze(BOB));
        expect(ResultCode.OK, ledger.close(BOB));
    }

    @Test
    void refusesCommandsForMissingAccountsAndUnknownValues()
    {
        final long hash = ledger.stateHash();
        expect(ResultCode.ACCOUNT_NOT_FOUND, ledger.close(999), ledger.setLimits(999, 1, 0, 0, 0));
        expect(ResultCode.ID_MUST_NOT_BE_ZERO, ledger.close(0));
        expect(ResultCode.ACTION_UNKNOWN, ledger.accountCommandRaw(ALICE, 0, 0), ledger.accountCommandRaw(ALICE, 9, 0));
        expect(ResultCode.FREEZE_SCOPE_INVALID, ledger.freeze(ALICE, FreezeScope.NONE),
            ledger.accountCommandRaw(ALICE, 1, 3), ledger.accountCommandRaw(ALICE, 2, 1));
        assertEquals(hash, ledger.stateHash());
    }

    // --------------------------------------------------------------------------------------------- limits

    @Test
    void refusesATransferAboveTheAccountsPerTransferLimit()
    {
        expect(ResultCode.OK, ledger.setLimits(ALICE, 100, 0, 0, 0));
        assertEquals(100, ledger.policyOf(ALICE).transferAmountLimit());
        expectRejected(ResultCode.EXCEEDS_TRANSFER_AMOUNT_LIMIT, transfer(2000, ALICE, BOB, 101));
        expectRejected(ResultCode.EXCEEDS_TRANSFER_AMOUNT_LIMIT, transfer(2001, ALICE, BOB, 101).pending());
        expect(ResultCode.OK, ledger.createTransfer(transfer(2002, ALICE, BOB, 100)));
        // Limits are on debits: the account still receives any amount.
        expect(ResultCode.OK, ledger.createTransfer(transfer(2003, SETTLEMENT, ALICE, 1_000)));
    }

    @Test
    void theDailyLimitResetsExactlyAtTheDayBoundary()
    {
        // The test clock starts 1,000 s after the epoch: day 0 ends 85,400 s later.
        expect(ResultCode.OK, ledger.setLimits(ALICE, 0, 250, 0, 0));
        expect(ResultCode.OK, ledger.createTransfers(transfer(2000, ALICE, BOB, 100), transfer(2001, ALICE, BOB, 100)));
        expectRejected(ResultCode.EXCEEDS_DAILY_DEBIT_LIMIT, transfer(2002, ALICE, BOB, 51));
        expect(ResultCode.OK, ledger.createTransfer(transfer(2003, ALICE, BOB, 50)));
        assertEquals(250, ledger.policyOf(ALICE).dailyDebitsUsed());

        ledger.now = 86_400 * SECOND - 1;
        expectRejected(ResultCode.EXCEEDS_DAILY_DEBIT_LIMIT, transfer(2004, ALICE, BOB, 1));
        ledger.now = 86_400 * SECOND;
        assertEquals(0, ledger.policyOf(ALICE).dailyDebitsUsed());
        expect(ResultCode.OK, ledger.createTransfer(transfer(2005, ALICE, BOB, 250)));
        assertEquals(250, ledger.policyOf(ALICE).dailyDebitsUsed());
    }

    @Test
    void theDayStartsAtTheConfiguredSecondAfterMidnightUtc()
    {
        expect(ResultCode.OK, ledger.setSettingRaw(PolicyCommands.SETTING_DAY_START_SECONDS, 3_600));
        expect(ResultCode.OK, ledger.setLimits(ALICE, 0, 100, 0, 0));
        expect(ResultCode.OK, ledger.createTransfer(transfer(2000, ALICE, BOB, 100)));
        ledger.now = 3_600 * SECOND - 1;
        expectRejected(ResultCode.EXCEEDS_DAILY_DEBIT_LIMIT, transfer(2001, ALICE, BOB, 1));
        ledger.now = 3_600 * SECOND;
        expect(ResultCode.OK, ledger.createTransfer(transfer(2002, ALICE, BOB, 100)));
    }

    @Test
    void theVelocityLimitCountsDebitsInARollingWindow()
    {
        expect(ResultCode.OK, ledger.setLimits(ALICE, 0, 0, 3, 60));
        expect(ResultCode.OK, ledger.createTransfer(transfer(2000, ALICE, BOB, 1)));
        // Event timestamps are the command's or one past the previous event's: take the one the engine gave.
        final long start = ledger.transferById(2000).timestamp();
        ledger.now = start + 10 * SECOND;
        expect(ResultCode.OK, ledger.createTransfers(transfer(2001, ALICE, BOB, 1), transfer(2002, ALICE, BOB, 1)));
        expectRejected(ResultCode.EXCEEDS_VELOCITY_LIMIT, transfer(2003, ALICE, BOB, 1));

        // The first debit leaves the window 60 s after it: not a nanosecond before.
        ledger.now = start + 60 * SECOND - 1;
        expectRejected(ResultCode.EXCEEDS_VELOCITY_LIMIT, transfer(2004, ALICE, BOB, 1));
        ledger.now = start + 60 * SECOND;
        expect(ResultCode.OK, ledger.createTransfer(transfer(2005, ALICE, BOB, 1)));
        expectRejected(ResultCode.EXCEEDS_VELOCITY_LIMIT, transfer(2006, ALICE, BOB, 1));
        assertEquals(3, ledger.policyOf(ALICE).velocityDebitLimit());
        assertEquals(60, ledger.policyOf(ALICE).velocityWindowSeconds());
    }

    @Test
    void aRolledBackChainGivesItsSpendingBack()
    {
        expect(ResultCode.OK, ledger.setLimits(ALICE, 0, 150, 2, 3600));
        final ResultCode[] results = ledger.createTransfers(
            transfer(2000, ALICE, BOB, 100).linked(), transfer(2001, ALICE, 999, 1));
        assertEquals(ResultCode.LINKED_EVENT_FAILED, results[0]);
        assertEquals(0, ledger.policyOf(ALICE).dailyDebitsUsed());
        expect(ResultCode.OK, ledger.createTransfers(transfer(2002, ALICE, BOB, 100), transfer(2003, ALICE, BOB, 50)));
        expectRejected(ResultCode.EXCEEDS_DAILY_DEBIT_LIMIT, transfer(2004, ALICE, BOB, 1));
    }

    @Test
    void theDailySumSaturatesInsteadOfWrappingIntoAnAllowance()
    {
        expect(ResultCode.OK, ledger.setLimits(SETTLEMENT, 0, 0, 0, 0));
        expect(ResultCode.OK, ledger.createTransfers(
            transfer(2000, SETTLEMENT, BOB, Long.MAX_VALUE / 2 + 1).pending(),
            transfer(2001, SETTLEMENT, BOB, 0).voidHold(2000),
            transfer(2002, SETTLEMENT, BOB, Long.MAX_VALUE / 2 + 1).pending(),
            transfer(2003, SETTLEMENT, BOB, 0).voidHold(2002)));
        assertEquals(Long.MAX_VALUE, ledger.policyOf(SETTLEMENT).dailyDebitsUsed());
        expect(ResultCode.OK, ledger.setLimits(SETTLEMENT, 0, 100, 0, 0));
        expectRejected(ResultCode.EXCEEDS_DAILY_DEBIT_LIMIT, transfer(2004, SETTLEMENT, BOB, 50));
    }

    @Test
    void refusesInvalidLimits()
    {
        final long hash = ledger.stateHash();
        expect(ResultCode.LIMIT_MUST_NOT_BE_NEGATIVE, ledger.setLimits(ALICE, -1, 0, 0, 0),
            ledger.setLimits(ALICE, 0, -1, 0, 0), ledger.setCodeLimits(3, -5, 0, 0, 0));
        expect(ResultCode.VELOCITY_LIMIT_TOO_LARGE,
            ledger.setLimits(ALICE, 0, 0, LedgerConfig.VELOCITY_DEBITS_MAX_DEFAULT + 1, 60));
        expect(ResultCode.VELOCITY_WINDOW_MUST_NOT_BE_ZERO, ledger.setLimits(ALICE, 0, 0, 2, 0));
        assertEquals(hash, ledger.stateHash());
    }

    @Test
    void newAccountsTakeTheDefaultLimitsOfTheirCode()
    {
        expect(ResultCode.OK, ledger.setCodeLimits(7, 50, 0, 0, 0));
        expect(ResultCode.OK, ledger.createAccount(account(70).code(7)));
        expect(ResultCode.OK, ledger.createAccount(account(71).code(8)));
        assertEquals(50, ledger.policyOf(70).transferAmountLimit());
        assertEquals(0, ledger.policyOf(71).transferAmountLimit());
        expect(ResultCode.OK, ledger.createTransfers(transfer(2000, SETTLEMENT, 70, 100), transfer(2001, SETTLEMENT, 71, 100)));
        expectRejected(ResultCode.EXCEEDS_TRANSFER_AMOUNT_LIMIT, transfer(2002, 70, BOB, 60));
        expect(ResultCode.OK, ledger.createTransfer(transfer(2003, 71, BOB, 60)));

        // Removing the defaults leaves accounts created under them as they are.
        expect(ResultCode.OK, ledger.setCodeLimits(7, 0, 0, 0, 0));
        expect(ResultCode.OK, ledger.createAccount(account(72).code(7)));
        assertEquals(0, ledger.policyOf(72).transferAmountLimit());
        assertEquals(50, ledger.policyOf(70).transferAmountLimit());
    }

    @Test
    void refusesLimitsOnceTheLimitsTableIsFull()
    {
        ledger = new TestLedger(LedgerConfig.builder().accountsMax(16).idempotencyWindow(64).pendingTransfersMax(16)
            .batchEventsMax(16).limitedAccountsMax(1).build());
        expect(ResultCode.OK, ledger.createAccounts(account(1), account(2), account(3).code(9)));
        expect(ResultCode.OK, ledger.setLimits(1, 10, 0, 0, 0));
        expect(ResultCode.OK, ledger.setLimits(1, 20, 0, 0, 0));
        expect(ResultCode.LIMITED_ACCOUNTS_FULL, ledger.setLimits(2, 10, 0, 0, 0));
        expect(ResultCode.OK, ledger.setCodeLimits(9, 10, 0, 0, 0));
        expect(ResultCode.LIMITED_ACCOUNTS_FULL, ledger.createAccount(account(4).code(9)));
        assertEquals(null, ledger.lookupAccount(4));
    }

    // --------------------------------------------------------------------------------------------- review

    @Test
    void aLargeTransferIsHeldForAnOperatorWhoApprovesIt()
    {
        expect(ResultCode.OK, ledger.setReviewThreshold(USD, 1_000));
        expect(ResultCode.OK, ledger.createTransfer(transfer(2000, ALICE, BOB, 1_000)));
        expect(ResultCode.HELD_FOR_REVIEW, ledger.createTransfer(transfer(2001, ALICE, BOB, 1_001)));
        expect(ResultCode.HELD_FOR_REVIEW, ledger.createTransfer(transfer(2001, ALICE, BOB, 1_001)));
        final TestLedger.TransferView held = ledger.transferById(2001);
        assertEquals(Flags.TRANSFER_PENDING | Flags.TRANSFER_REVIEW, held.flags());
        assertEquals(1_001, ledger.lookupAccount(ALICE).debitsPending());

        // Only the operator resolves it.
        expect(ResultCode.PENDING_TRANSFER_UNDER_REVIEW,
            ledger.createTransfer(transfer(2002, 0, 0, 0).post(2001)),
            ledger.createTransfer(transfer(2003, 0, 0, 0).voidHold(2001)));
        expect(ResultCode.OK, ledger.review(2004, 2001, Ledger.DECISION_APPROVE));
        expect(ResultCode.EXISTS, ledger.review(2004, 2001, Ledger.DECISION_APPROVE));
        expect(ResultCode.EXISTS_WITH_DIFFERENT_FLAGS, ledger.review(2004, 2001, Ledger.DECISION_REJECT));
        assertEquals(10_000 - 2_001, balance(ALICE));
        assertEquals(2_001, balance(BOB));
        expect(ResultCode.PENDING_TRANSFER_ALREADY_POSTED, ledger.review(2005, 2001, Ledger.DECISION_REJECT));
    }

    @Test
    void anOperatorRejectsAHeldTransfer()
    {
        expect(ResultCode.OK, ledger.setReviewThreshold(USD, 1_000));
        expect(ResultCode.HELD_FOR_REVIEW, ledger.createTransfer(transfer(2000, ALICE, BOB, 5_000)));
        expect(ResultCode.OK, ledger.review(2001, 2000, Ledger.DECISION_REJECT));
        assertEquals(10_000, balance(ALICE));
        assertEquals(0, ledger.lookupAccount(ALICE).debitsPending());
        assertEquals(Flags.PENDING_STATUS_VOIDED, ledger.transferById(2000).pendingStatus());
    }

    @Test
    void anApprovalThePayerCannotPayTheFeeOfLeavesTheHoldOpen()
    {
        expect(ResultCode.OK, ledger.setReviewThreshold(USD, 1_000), ledger.setFee(PAYMENT, USD, 20, 0, 0, 0, FEES));
        expect(ResultCode.HELD_FOR_REVIEW, ledger.createTransfer(transfer(2000, ALICE, BOB, 10_000).code(PAYMENT)));
        expect(ResultCode.EXCEEDS_CREDITS, ledger.review(2001, 2000, Ledger.DECISION_APPROVE));
        assertEquals(Flags.PENDING_STATUS_PENDING, ledger.transferById(2000).pendingStatus());
        assertEquals(10_000, ledger.lookupAccount(ALICE).debitsPending());
        expect(ResultCode.OK, ledger.review(2002, 2000, Ledger.DECISION_REJECT));
        assertEquals(10_000, balance(ALICE));
        assertEquals(0, balance(FEES));
    }

    @Test
    void reviewDecisionsOnlyResolveHeldTransfers()
    {
        expect(ResultCode.OK, ledger.createTransfer(transfer(2000, ALICE, BOB, 10).pending()));
        expect(ResultCode.PENDING_TRANSFER_NOT_UNDER_REVIEW, ledger.review(2001, 2000, Ledger.DECISION_APPROVE));
        expect(ResultCode.DECISION_UNKNOWN, ledger.review(2002, 2000, 7));
        expect(ResultCode.PENDING_TRANSFER_NOT_FOUND, ledger.review(2003, 4242, Ledger.DECISION_APPROVE));
        expect(ResultCode.ID_MUST_NOT_BE_ZERO, ledger.review(0, 2000, Ledger.DECISION_APPROVE));
        // A failed decision is remembered under its id like any transfer.
        expect(ResultCode.PENDING_TRANSFER_NOT_UNDER_REVIEW, ledger.review(2001, 2000, Ledger.DECISION_APPROVE));
        assertEquals(Flags.PENDING_STATUS_PENDING, ledger.transferById(2000).pendingStatus());
    }

    @Test
    void aLargeTransferCannotBePartOfALinkedChain()
    {
        expect(ResultCode.OK, ledger.setReviewThreshold(USD, 1_000));
        final ResultCode[] results = ledger.createTransfers(
            transfer(2000, ALICE, BOB, 10).linked(), transfer(2001, ALICE, BOB, 2_000));
        assertEquals(ResultCode.LINKED_EVENT_FAILED, results[0]);
        expect(ResultCode.REVIEW_REQUIRED_OUTSIDE_LINKED_CHAIN, results[1]);
        assertEquals(10_000, balance(ALICE));
        expect(ResultCode.THRESHOLD_MUST_NOT_BE_NEGATIVE, ledger.setReviewThreshold(USD, -1));
        expect(ResultCode.OK, ledger.setReviewThreshold(USD, 0));
        expect(ResultCode.OK, ledger.createTransfer(transfer(2002, ALICE, BOB, 2_000)));
    }

    // ----------------------------------------------------------------------------------------------- fees

    @Test
    void aFeeMovesWithItsTransferAndShowsInLookups()
    {
        // 10 + 1 % of the amount.
        expect(ResultCode.OK, ledger.setFee(PAYMENT, USD, 10, 100, 0, 0, FEES));
        expect(ResultCode.OK, ledger.createTransfer(transfer(2000, ALICE, BOB, 1_000).code(PAYMENT)));
        assertEquals(10_000 - 1_020, balance(ALICE));
        assertEquals(1_000, balance(BOB));
        assertEquals(20, balance(FEES));
        assertArrayEquals(new long[] {20, FEES}, ledger.feeOf(2000));
        // Another code pays nothing.
        expect(ResultCode.OK, ledger.createTransfer(transfer(2001, ALICE, BOB, 1_000).code(PAYMENT + 1)));
        assertArrayEquals(new long[] {0, 0}, ledger.feeOf(2001));
    }

    @Test
    void feesRoundHalfUpAndStayWithinTheirMinimumAndMaximum()
    {
        expect(ResultCode.OK, ledger.setFee(PAYMENT, USD, 0, 100, 3, 40, FEES));
        expect(ResultCode.OK, ledger.createTransfers(
            transfer(2000, ALICE, BOB, 150).code(PAYMENT),     // 1.5 -> 2, raised to the minimum 3
            transfer(2001, ALICE, BOB, 350).code(PAYMENT),     // 3.5 -> 4
            transfer(2002, ALICE, BOB, 349).code(PAYMENT),     // 3.49 -> 3
            transfer(2003, ALICE, BOB, 5_000).code(PAYMENT))); // 50 -> cut to 40
        assertEquals(3, ledger.feeOf(2000)[0]);
        assertEquals(4, ledger.feeOf(2001)[0]);
        assertEquals(3, ledger.feeOf(2002)[0]);
        assertEquals(40, ledger.feeOf(2003)[0]);
        assertEquals(50, balance(FEES));
    }

    @Test
    void theFeeCountsAgainstTheNoOverdraftLimit()
    {
        expect(ResultCode.OK, ledger.setFee(PAYMENT, USD, 20, 0, 0, 0, FEES));
        expectRejected(ResultCode.EXCEEDS_CREDITS, transfer(2000, ALICE, BOB, 9_990).code(PAYMENT));
        expect(ResultCode.OK, ledger.createTransfer(transfer(2001, ALICE, BOB, 9_980).code(PAYMENT)));
        assertEquals(0, balance(ALICE));
    }

    @Test
    void aCapturedHoldPaysTheFeeOnTheAmountCaptured()
    {
        expect(ResultCode.OK, ledger.setFee(PAYMENT, USD, 0, 1_000, 0, 0, FEES));
        expect(ResultCode.OK, ledger.createTransfer(transfer(2000, ALICE, BOB, 1_000).code(PAYMENT).pending()));
        assertArrayEquals(new long[] {0, 0}, ledger.feeOf(2000));
        expect(ResultCode.OK, ledger.createTransfer(transfer(2001, 0, 0, 600).post(2000)));
        assertArrayEquals(new long[] {60, FEES}, ledger.feeOf(2001));
        assertEquals(10_000 - 660, balance(ALICE));
        assertEquals(0, ledger.lookupAccount(ALICE).debitsPending());
    }

    @Test
    void refusesATransferWhoseFeeAccountCannotTakeTheFee()
    {
        expect(ResultCode.OK, ledger.setFee(PAYMENT, USD, 1, 0, 0, 0, 999));
        expectRejected(ResultCode.FEE_ACCOUNT_NOT_FOUND, transfer(2000, ALICE, BOB, 10).code(PAYMENT));
        expect(ResultCode.OK, ledger.setFee(PAYMENT, USD, 1, 0, 0, 0, EURO_WALLET));
        expectRejected(ResultCode.FEE_ACCOUNT_HAS_DIFFERENT_CURRENCY, transfer(2001, ALICE, BOB, 10).code(PAYMENT));
        expect(ResultCode.OK, ledger.setFee(PAYMENT, USD, 1, 0, 0, 0, EMPTY));
        expect(ResultCode.OK, ledger.close(EMPTY));
        expectRejected(ResultCode.FEE_ACCOUNT_CLOSED, transfer(2002, ALICE, BOB, 10).code(PAYMENT));
        expect(ResultCode.OK, ledger.setFee(PAYMENT, USD, 1, 0, 0, 0, FEES), ledger.freeze(FEES, FreezeScope.ALL));
        expectRejected(ResultCode.FEE_ACCOUNT_FROZEN, transfer(2003, ALICE, BOB, 10).code(PAYMENT));
        expect(ResultCode.OK, ledger.freeze(FEES, FreezeScope.DEBITS));
        expect(ResultCode.OK, ledger.createTransfer(transfer(2004, ALICE, BOB, 10).code(PAYMENT)));
        // Removing the entry removes the fee.
        expect(ResultCode.OK, ledger.setFee(PAYMENT, USD, 0, 0, 0, 0, 0));
        expect(ResultCode.OK, ledger.createTransfer(transfer(2005, ALICE, BOB, 10).code(PAYMENT)));
        assertArrayEquals(new long[] {0, 0}, ledger.feeOf(2005));
    }

    @Test
    void refusesInvalidFeeSchedules()
    {
        final long hash = ledger.stateHash();
        expect(ResultCode.FEE_MUST_NOT_BE_NEGATIVE, ledger.setFee(PAYMENT, USD, -1, 0, 0, 0, FEES),
            ledger.setFee(PAYMENT, USD, 0, 0, -1, 0, FEES), ledger.setFee(PAYMENT, USD, 0, 0, 0, -1, FEES));
        expect(ResultCode.FEE_BASIS_POINTS_TOO_LARGE, ledger.setFee(PAYMENT, USD, 0, 10_001, 0, 0, FEES));
        expect(ResultCode.FEE_MINIMUM_EXCEEDS_MAXIMUM, ledger.setFee(PAYMENT, USD, 0, 0, 5, 4, FEES));
        expect(ResultCode.CURRENCY_UNKNOWN, ledger.setFee(PAYMENT, 999, 0, 0, 0, 0, FEES));
        assertEquals(hash, ledger.stateHash());
    }

    @Test
    void refusesAPolicyEntryBeyondTheTableSize()
    {
        for (int code = 0; code < Policies.ENTRIES_MAX; code++)
        {
            expect(ResultCode.OK, ledger.setFee(code, USD, 1, 0, 0, 0, FEES));
        }
        expect(ResultCode.POLICY_TABLE_FULL, ledger.setFee(Policies.ENTRIES_MAX, USD, 1, 0, 0, 0, FEES));
        expect(ResultCode.OK, ledger.setFee(0, USD, 2, 0, 0, 0, FEES));
        expect(ResultCode.OK, ledger.setFee(0, USD, 0, 0, 0, 0, 0));
        expect(ResultCode.OK, ledger.setFee(Policies.ENTRIES_MAX, USD, 1, 0, 0, 0, FEES));
        assertEquals(Policies.ENTRIES_MAX, ledger.lookupPolicies().fees().count());
    }

    // ------------------------------------------------------------------------------------------- settings

    @Test
    void refusesUnknownSettingsAndValuesOutOfRange()
    {
        expect(ResultCode.SETTING_UNKNOWN, ledger.setSettingRaw(0, 1), ledger.setSettingRaw(9, 1));
        expect(ResultCode.SETTING_OUT_OF_RANGE, ledger.setSettingRaw(PolicyCommands.SETTING_DAY_START_SECONDS, 86_400),
            ledger.setSettingRaw(PolicyCommands.SETTING_DAY_START_SECONDS, -1));
        expect(ResultCode.OK, ledger.setSettingRaw(PolicyCommands.SETTING_CONFIG_DIGEST, 0x1234));
        assertEquals(0x1234, ledger.lookupPolicies().configDigest());
    }

    @Test
    void lookupPoliciesShowsEveryTableInKeyOrder()
    {
        expect(ResultCode.OK, ledger.setFee(40_000, USD, 1, 0, 0, 0, FEES),
            ledger.setFee(9, EUR, 1, 2, 3, 4, EURO_WALLET), ledger.setFee(2, USD, 5, 6, 0, 0, FEES),
            ledger.setReviewThreshold(EUR, 700), ledger.setCodeLimits(4, 1, 2, 3, 4),
            ledger.setSettingRaw(PolicyCommands.SETTING_DAY_START_SECONDS, 60));
        final LookupPoliciesResponseDecoder policies = ledger.lookupPolicies();
        assertEquals(60, policies.dayStartSeconds());
        final LookupPoliciesResponseDecoder.FeesDecoder fees = policies.fees();
        assertEquals(3, fees.count());
        fees.next();
        assertEquals(2, fees.transferCode());
        assertEquals(FEES, fees.feeAccountId());
        fees.next();
        assertEquals(9, fees.transferCode());
        assertEquals(EUR, fees.currency());
        assertEquals(4, fees.maximum());
        fees.next();
        assertEquals(40_000, fees.transferCode(), "codes of 32,768 and more sort last, as unsigned keys");
        final LookupPoliciesResponseDecoder.ThresholdsDecoder thresholds = policies.thresholds();
        assertEquals(1, thresholds.count());
        assertEquals(700, thresholds.next().threshold());
        final LookupPoliciesResponseDecoder.CodeLimitsDecoder codeLimits = policies.codeLimits();
        assertEquals(1, codeLimits.count());
        assertEquals(4, codeLimits.next().velocityWindowSeconds());
    }

    // -------------------------------------------------------------------------------------------- state

    @Test
    void everyKindOfPolicyStateSurvivesASnapshotAndCountsInTheHash()
    {
        final long before = ledger.stateHash();
        expect(ResultCode.OK, ledger.setLimits(ALICE, 1_000, 1_200, 4, 60), ledger.setFee(PAYMENT, USD, 1, 50, 0, 0, FEES),
            ledger.setReviewThreshold(USD, 600), ledger.setCodeLimits(3, 7, 0, 0, 0),
            ledger.setSettingRaw(PolicyCommands.SETTING_DAY_START_SECONDS, 120), ledger.freeze(BOB, FreezeScope.ALL));
        assertNotEquals(before, ledger.stateHash());
        expect(ResultCode.OK, ledger.createTransfer(transfer(2000, ALICE, SETTLEMENT, 300).code(PAYMENT)));
        expect(ResultCode.HELD_FOR_REVIEW, ledger.createTransfer(transfer(2001, ALICE, SETTLEMENT, 450 + 200)));

        final TestLedger copy = new TestLedger(ledger.engine.config());
        LedgerStateCodecTest.read(copy.engine, LedgerStateCodecTest.write(ledger.engine));
        copy.now = ledger.now;
        assertEquals(ledger.stateHash(), copy.stateHash());
        assertEquals(ledger.policyOf(ALICE), copy.policyOf(ALICE));
        assertEquals(ledger.policyOf(BOB), copy.policyOf(BOB));

        // Both go on identically: the daily limit, velocity, fee, review and freeze all still apply.
        for (final TestLedger side : new TestLedger[] {ledger, copy})
        {
            expect(ResultCode.EXCEEDS_DAILY_DEBIT_LIMIT, side.createTransfer(transfer(2002, ALICE, SETTLEMENT, 400)));
            expect(ResultCode.OK, side.createTransfer(transfer(2003, ALICE, SETTLEMENT, 100).code(PAYMENT)));
            expect(ResultCode.CREDIT_ACCOUNT_FROZEN, side.createTransfer(transfer(2004, SETTLEMENT, BOB, 1)));
            expect(ResultCode.OK, side.review(2005, 2001, Ledger.DECISION_APPROVE));
            expect(ResultCode.OK, side.createAccount(account(50).code(3)));
        }
        assertEquals(ledger.stateHash(), copy.stateHash());
        assertArrayEquals(ledger.feeOf(2003), copy.feeOf(2003));
        assertEquals(7, copy.policyOf(50).transferAmountLimit());
    }
}
