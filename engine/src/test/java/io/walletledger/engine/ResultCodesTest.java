package io.walletledger.engine;

import io.walletledger.protocol.CurrencyRegistry;
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
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One test per result code: each sets up the smallest ledger that makes an event end with that code, and
 * checks that a rejected event changed nothing. {@link #everyResultCodeIsCovered()} fails if a code is
 * added to the schema without a test here or, for the codes of wallet policies, in {@link PolicyResultCodesTest}, or
 * for the ids the window forgot, in {@link RecallTest}, for ledger settings in {@link LedgerSettingsTest}.
 */
class ResultCodesTest
{
    private static final Set<ResultCode> SEEN = EnumSet.noneOf(ResultCode.class);

    private static final long SETTLEMENT = 1;
    private static final long ALICE = 10;
    private static final long BOB = 11;
    private static final long EURO_WALLET = 20;

    private TestLedger ledger;

    @BeforeEach
    void setUp()
    {
        ledger = new TestLedger();
        expect(ResultCode.OK, ledger.createAccounts(
            account(SETTLEMENT),
            account(ALICE).noOverdraft(),
            account(BOB).noOverdraft(),
            account(EURO_WALLET).currency(EUR)));
        expect(ResultCode.OK, ledger.createTransfer(transfer(1000, SETTLEMENT, ALICE, 10_000)));
    }

    @AfterAll
    static void everyResultCodeIsCovered()
    {
        final Set<ResultCode> missing = EnumSet.allOf(ResultCode.class);
        missing.remove(ResultCode.NULL_VAL);
        missing.removeAll(PolicyResultCodesTest.POLICY_CODES);
        missing.removeAll(RecallTest.RECALL_CODES);
        missing.removeAll(LedgerSettingsTest.SETTINGS_CODES);
        missing.removeAll(SEEN);
        assertTrue(missing.isEmpty(), "result codes without a test: " + missing);
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
     * A rejected transfer moves nothing and opens no hold; its first attempt is remembered (so a retry
     * gets the same answer) unless its id is zero.
     */
    private void expectRejectedWithoutEffect(final ResultCode expected, final TestLedger.Transfer transfer)
    {
        final int pendingBefore = ledger.engine.pendingTransferCount();
        final int remembered = ledger.engine.rememberedTransferCount();
        final List<TestLedger.AccountView> balances = ledger.lookupAccounts(SETTLEMENT, ALICE, BOB, EURO_WALLET);
        expect(expected, ledger.createTransfer(transfer));
        assertEquals(balances, ledger.lookupAccounts(SETTLEMENT, ALICE, BOB, EURO_WALLET));
        assertEquals(pendingBefore, ledger.engine.pendingTransferCount());
        final boolean remembersAttempt = transfer.idLo != 0 || transfer.idHi != 0;
        assertEquals(remembered + (remembersAttempt ? 1 : 0), ledger.engine.rememberedTransferCount());
        assertEquals(null, ledger.transferById(transfer.idLo));
    }

    // -------------------------------------------------------------------------------------------- accounts

    @Test
    void createsAccountsWithOk()
    {
        expect(ResultCode.OK, ledger.createAccount(account(99)));
        final TestLedger.AccountView view = ledger.lookupAccount(99);
        assertEquals(USD, view.currency());
        assertEquals(0, view.status());
    }

    @Test
    void rejectsAccountWithZeroId()
    {
        expect(ResultCode.ID_MUST_NOT_BE_ZERO, ledger.createAccount(account(0)));
    }

    @Test
    void rejectsAccountWithReservedFlag()
    {
        expect(ResultCode.RESERVED_FLAG, ledger.createAccount(account(99).flags(1 << 9)));
        assertEquals(null, ledger.lookupAccount(99));
    }

    @Test
    void rejectsAccountWithBothBalanceLimits()
    {
        expect(ResultCode.FLAGS_ARE_MUTUALLY_EXCLUSIVE, ledger.createAccount(account(99).flags(
            Flags.ACCOUNT_DEBITS_MUST_NOT_EXCEED_CREDITS | Flags.ACCOUNT_CREDITS_MUST_NOT_EXCEED_DEBITS)));
    }

    @Test
    void rejectsAccountWithoutCurrency()
    {
        expect(ResultCode.CURRENCY_MUST_NOT_BE_ZERO, ledger.createAccount(account(99).currency(0)));
    }

    @Test
    void rejectsAccountInUnknownCurrency()
    {
        expect(ResultCode.CURRENCY_UNKNOWN, ledger.createAccount(account(99).currency(999)));
    }

    @Test
    void acceptsConfiguredExtraCurrency()
    {
        final TestLedger btc = new TestLedger(LedgerConfig.builder().accountsMax(4).idempotencyWindow(4)
            .pendingTransfersMax(4).batchEventsMax(4)
            .currencies(CurrencyRegistry.withIsoDefaults().add("BTC", 1001, 8).build()).build());
        expect(ResultCode.OK, btc.createAccount(account(1).currency(1001)));
    }

    @Test
    void answersExistsForIdenticalAccount()
    {
        expect(ResultCode.EXISTS, ledger.createAccount(account(ALICE).noOverdraft()));
    }

    @Test
    void answersExistsWithDifferentFieldForAccount()
    {
        expect(ResultCode.EXISTS_WITH_DIFFERENT_FLAGS, ledger.createAccount(account(ALICE)));
        expect(ResultCode.EXISTS_WITH_DIFFERENT_CURRENCY, ledger.createAccount(account(ALICE).noOverdraft().currency(EUR)));
        expect(ResultCode.EXISTS_WITH_DIFFERENT_CODE, ledger.createAccount(account(ALICE).noOverdraft().code(7)));
        expect(ResultCode.EXISTS_WITH_DIFFERENT_USER_DATA, ledger.createAccount(account(ALICE).noOverdraft().userData(5)));
    }

    @Test
    void refusesAccountsBeyondCapacity()
    {
        final TestLedger small = new TestLedger(LedgerConfig.builder().accountsMax(2).idempotencyWindow(4)
            .pendingTransfersMax(4).batchEventsMax(4).build());
        final ResultCode[] results = small.createAccounts(account(1), account(2), account(3));
        expect(ResultCode.OK, results[0], results[1]);
        expect(ResultCode.ACCOUNTS_FULL, results[2]);
        assertEquals(2, small.engine.accountCount());
    }

    @Test
    void rollsBackLinkedAccountChain()
    {
        final ResultCode[] results = ledger.createAccounts(account(50).linked(), account(51).linked(), account(0));
        expect(ResultCode.LINKED_EVENT_FAILED, results[0], results[1]);
        expect(ResultCode.ID_MUST_NOT_BE_ZERO, results[2]);
        assertEquals(null, ledger.lookupAccount(50));
        assertEquals(null, ledger.lookupAccount(51));
    }

    // ------------------------------------------------------------------------------ transfers: validation

    @Test
    void rejectsTransferWithZeroId()
    {
        expectRejectedWithoutEffect(ResultCode.ID_MUST_NOT_BE_ZERO, transfer(0, ALICE, BOB, 1));
    }

    @Test
    void rejectsTransferWithReservedFlag()
    {
        expectRejectedWithoutEffect(ResultCode.RESERVED_FLAG, transfer(1, ALICE, BOB, 1).flags(1 << 12));
    }

    @Test
    void rejectsPendingAndPostTogether()
    {
        expectRejectedWithoutEffect(ResultCode.FLAGS_ARE_MUTUALLY_EXCLUSIVE,
            transfer(1, ALICE, BOB, 1).flags(Flags.TRANSFER_PENDING | Flags.TRANSFER_POST_PENDING));
    }

    @Test
    void rejectsTransferWithoutDebitAccount()
    {
        expectRejectedWithoutEffect(ResultCode.DEBIT_ACCOUNT_ID_MUST_NOT_BE_ZERO, transfer(1, 0, BOB, 1));
    }

    @Test
    void rejectsTransferWithoutCreditAccount()
    {
        expectRejectedWithoutEffect(ResultCode.CREDIT_ACCOUNT_ID_MUST_NOT_BE_ZERO, transfer(1, ALICE, 0, 1));
    }

    @Test
    void rejectsTransferToSameAccount()
    {
        expectRejectedWithoutEffect(ResultCode.ACCOUNTS_MUST_BE_DIFFERENT, transfer(1, ALICE, ALICE, 1));
    }

    @Test
    void rejectsSinglePhaseTransferWithPendingId()
    {
        expectRejectedWithoutEffect(ResultCode.PENDING_ID_MUST_BE_ZERO, transfer(1, ALICE, BOB, 1).pendingId(1000));
    }

    @Test
    void rejectsTimeoutOnSinglePhaseTransfer()
    {
        expectRejectedWithoutEffect(ResultCode.TIMEOUT_RESERVED_FOR_PENDING_TRANSFER,
            transfer(1, ALICE, BOB, 1).timeout(5));
    }

    @Test
    void rejectsZeroAmount()
    {
        expectRejectedWithoutEffect(ResultCode.AMOUNT_MUST_NOT_BE_ZERO, transfer(1, ALICE, BOB, 0));
    }

    @Test
    void rejectsNegativeAmount()
    {
        expectRejectedWithoutEffect(ResultCode.AMOUNT_MUST_NOT_BE_NEGATIVE, transfer(1, ALICE, BOB, -5));
    }

    @Test
    void rejectsTransferWithoutCurrency()
    {
        expectRejectedWithoutEffect(ResultCode.CURRENCY_MUST_NOT_BE_ZERO, transfer(1, ALICE, BOB, 1).currency(0));
    }

    @Test
    void rejectsUnknownDebitAccount()
    {
        expectRejectedWithoutEffect(ResultCode.DEBIT_ACCOUNT_NOT_FOUND, transfer(1, 404, BOB, 1));
    }

    @Test
    void rejectsUnknownCreditAccount()
    {
        expectRejectedWithoutEffect(ResultCode.CREDIT_ACCOUNT_NOT_FOUND, transfer(1, ALICE, 404, 1));
    }

    @Test
    void rejectsTransferBetweenCurrencies()
    {
        expectRejectedWithoutEffect(ResultCode.ACCOUNTS_MUST_HAVE_THE_SAME_CURRENCY, transfer(1, ALICE, EURO_WALLET, 1));
    }

    @Test
    void rejectsTransferInOtherCurrencyThanAccounts()
    {
        expectRejectedWithoutEffect(ResultCode.TRANSFER_CURRENCY_MUST_MATCH_ACCOUNTS,
            transfer(1, ALICE, BOB, 1).currency(EUR));
    }

    @Test
    void rejectsDebitFromFrozenAccountButLetsItReceive()
    {
        setStatus(ALICE, AccountStatusValue.FROZEN);
        expectRejectedWithoutEffect(ResultCode.DEBIT_ACCOUNT_FROZEN, transfer(1, ALICE, BOB, 1));
        expect(ResultCode.OK, ledger.createTransfer(transfer(2, SETTLEMENT, ALICE, 1)));
    }

    @Test
    void rejectsDebitFromClosedAccount()
    {
        setStatus(ALICE, AccountStatusValue.CLOSED);
        expectRejectedWithoutEffect(ResultCode.DEBIT_ACCOUNT_CLOSED, transfer(1, ALICE, BOB, 1));
    }

    @Test
    void rejectsCreditToClosedAccount()
    {
        setStatus(BOB, AccountStatusValue.CLOSED);
        expectRejectedWithoutEffect(ResultCode.CREDIT_ACCOUNT_CLOSED, transfer(1, ALICE, BOB, 1));
    }

    /** The commands that change status come with account lifecycle (a later issue); the rule is here already. */
    private void setStatus(final long accountId, final int status)
    {
        final Accounts accounts = ledger.engine.ledger().accounts();
        accounts.status(accounts.slotOf(accountId), status);
    }

    // --------------------------------------------------------------------------------- transfers: balances

    @Test
    void movesMoneyWithOk()
    {
        expect(ResultCode.OK, ledger.createTransfer(transfer(1, ALICE, BOB, 2_500)));
        assertEquals(7_500, ledger.lookupAccount(ALICE).balance());
        assertEquals(2_500, ledger.lookupAccount(BOB).balance());
    }

    @Test
    void rejectsOverdraftOfNoOverdraftAccount()
    {
        expectRejectedWithoutEffect(ResultCode.EXCEEDS_CREDITS, transfer(1, ALICE, BOB, 10_001));
        expect(ResultCode.OK, ledger.createTransfer(transfer(2, ALICE, BOB, 10_000)));
    }

    @Test
    void rejectsCreditBeyondDebitsOfLimitedAccount()
    {
        expect(ResultCode.OK, ledger.createAccount(account(30).flags(Flags.ACCOUNT_CREDITS_MUST_NOT_EXCEED_DEBITS)));
        expectRejectedWithoutEffect(ResultCode.EXCEEDS_DEBITS, transfer(1, SETTLEMENT, 30, 1));
    }

    @Test
    void rejectsPostedBalanceOverflow()
    {
        expect(ResultCode.OK, ledger.createAccounts(account(40), account(41)));
        expect(ResultCode.OK, ledger.createTransfer(transfer(1, 40, 41, Long.MAX_VALUE - 10)));
        expect(ResultCode.OVERFLOWS_DEBITS_POSTED, ledger.createTransfer(transfer(2, 40, SETTLEMENT, 11)));
        expect(ResultCode.OVERFLOWS_CREDITS_POSTED, ledger.createTransfer(transfer(3, SETTLEMENT, 41, 11)));
        expect(ResultCode.OK, ledger.createTransfer(transfer(4, 40, 41, 10)));
        assertEquals(Long.MAX_VALUE, ledger.lookupAccount(41).creditsPosted());
    }

    @Test
    void rejectsPendingBalanceOverflow()
    {
        expect(ResultCode.OK, ledger.createAccount(account(40)));
        expect(ResultCode.OK, ledger.createAccount(account(41)));
        expect(ResultCode.OK, ledger.createTransfer(transfer(1, 40, 41, Long.MAX_VALUE).pending()));
        expect(ResultCode.OVERFLOWS_DEBITS_PENDING, ledger.createTransfer(transfer(2, 40, SETTLEMENT, 1).pending()));
        expect(ResultCode.OVERFLOWS_CREDITS_PENDING, ledger.createTransfer(transfer(3, SETTLEMENT, 41, 1).pending()));
    }

    @Test
    void rejectsOverflowOfPostedPlusPending()
    {
        expect(ResultCode.OK, ledger.createAccount(account(40)));
        expect(ResultCode.OK, ledger.createAccount(account(41)));
        expect(ResultCode.OK, ledger.createTransfer(transfer(1, 40, 41, Long.MAX_VALUE).pending()));
        expect(ResultCode.OVERFLOWS_DEBITS, ledger.createTransfer(transfer(2, 40, SETTLEMENT, 1)));
        expect(ResultCode.OVERFLOWS_CREDITS, ledger.createTransfer(transfer(3, SETTLEMENT, 41, 1)));
    }

    @Test
    void rejectsTimeoutThatOverflowsTheClock()
    {
        ledger.now = Long.MAX_VALUE - 1_000_000_000L;
        expect(ResultCode.OVERFLOWS_TIMEOUT, ledger.createTransfer(transfer(1, ALICE, BOB, 1).pending().timeout(2)));
    }

    // ------------------------------------------------------------------------------------- two-phase

    @Test
    void postsAndVoidsHolds()
    {
        expect(ResultCode.OK, ledger.createTransfer(transfer(1, ALICE, BOB, 3_000).pending()));
        final TestLedger.AccountView held = ledger.lookupAccount(ALICE);
        assertEquals(3_000, held.debitsPending());
        expect(ResultCode.OK, ledger.createTransfer(new TestLedger.Transfer().id(2).post(1).amount(1_000)));
        assertEquals(0, ledger.lookupAccount(ALICE).debitsPending());
        assertEquals(1_000, ledger.lookupAccount(BOB).balance());
        assertEquals(Flags.PENDING_STATUS_POSTED, ledger.transferById(1).pendingStatus());

        expect(ResultCode.OK, ledger.createTransfer(transfer(3, ALICE, BOB, 500).pending()));
        expect(ResultCode.OK, ledger.createTransfer(new TestLedger.Transfer().id(4).voidHold(3)));
        assertEquals(0, ledger.lookupAccount(ALICE).debitsPending());
        assertEquals(9_000, ledger.lookupAccount(ALICE).balance());
        assertEquals(Flags.PENDING_STATUS_VOIDED, ledger.transferById(3).pendingStatus());
    }

    @Test
    void rejectsPostWithoutPendingId()
    {
        expectRejectedWithoutEffect(ResultCode.PENDING_ID_MUST_NOT_BE_ZERO, new TestLedger.Transfer().id(2).post(0));
    }

    @Test
    void rejectsPostReferringToItself()
    {
        expectRejectedWithoutEffect(ResultCode.PENDING_ID_MUST_BE_DIFFERENT, new TestLedger.Transfer().id(2).post(2));
    }

    @Test
    void rejectsTimeoutOnPost()
    {
        expect(ResultCode.OK, ledger.createTransfer(transfer(1, ALICE, BOB, 10).pending()));
        expect(ResultCode.TIMEOUT_RESERVED_FOR_PENDING_TRANSFER,
            ledger.createTransfer(new TestLedger.Transfer().id(2).post(1).timeout(3)));
    }

    @Test
    void rejectsPostOfUnknownHold()
    {
        expectRejectedWithoutEffect(ResultCode.PENDING_TRANSFER_NOT_FOUND, new TestLedger.Transfer().id(2).post(77));
    }

    @Test
    void rejectsPostOfSinglePhaseTransfer()
    {
        expectRejectedWithoutEffect(ResultCode.PENDING_TRANSFER_NOT_PENDING, new TestLedger.Transfer().id(2).post(1000));
    }

    @Test
    void rejectsPostNamingOtherAccountsOrCurrency()
    {
        expect(ResultCode.OK, ledger.createTransfer(transfer(1, ALICE, BOB, 10).pending()));
        expect(ResultCode.PENDING_TRANSFER_HAS_DIFFERENT_DEBIT_ACCOUNT_ID,
            ledger.createTransfer(new TestLedger.Transfer().id(2).post(1).from(SETTLEMENT)));
        expect(ResultCode.PENDING_TRANSFER_HAS_DIFFERENT_CREDIT_ACCOUNT_ID,
            ledger.createTransfer(new TestLedger.Transfer().id(3).post(1).to(SETTLEMENT)));
        expect(ResultCode.PENDING_TRANSFER_HAS_DIFFERENT_CURRENCY,
            ledger.createTransfer(new TestLedger.Transfer().id(4).post(1).currency(EUR)));
        expect(ResultCode.OK, ledger.createTransfer(new TestLedger.Transfer().id(5).post(1).from(ALICE).to(BOB)
            .currency(USD)));
    }

    @Test
    void rejectsSecondResolutionOfAHold()
    {
        expect(ResultCode.OK, ledger.createTransfer(transfer(1, ALICE, BOB, 10).pending()));
        expect(ResultCode.OK, ledger.createTransfer(new TestLedger.Transfer().id(2).post(1)));
        expect(ResultCode.PENDING_TRANSFER_ALREADY_POSTED, ledger.createTransfer(new TestLedger.Transfer().id(3).post(1)));
        expect(ResultCode.PENDING_TRANSFER_ALREADY_POSTED,
            ledger.createTransfer(new TestLedger.Transfer().id(4).voidHold(1)));

        expect(ResultCode.OK, ledger.createTransfer(transfer(5, ALICE, BOB, 10).pending()));
        expect(ResultCode.OK, ledger.createTransfer(new TestLedger.Transfer().id(6).voidHold(5)));
        expect(ResultCode.PENDING_TRANSFER_ALREADY_VOIDED,
            ledger.createTransfer(new TestLedger.Transfer().id(7).post(5)));
    }

    @Test
    void expiresHoldAtItsTimeoutAndReleasesFunds()
    {
        expect(ResultCode.OK, ledger.createTransfer(transfer(1, ALICE, BOB, 4_000).pending().timeout(60)));
        final long deadline = ledger.transferById(1).timestamp() + 60_000_000_000L;
        ledger.now = deadline - 1;
        expect(ResultCode.EXCEEDS_CREDITS, ledger.createTransfer(transfer(2, ALICE, BOB, 7_000)));
        assertEquals(4_000, ledger.lookupAccount(ALICE).debitsPending());
        ledger.now = deadline;
        // The hold expires exactly at its deadline: the post fails, and its funds are released.
        expect(ResultCode.PENDING_TRANSFER_EXPIRED, ledger.createTransfer(new TestLedger.Transfer().id(3).post(1)));
        assertEquals(0, ledger.lookupAccount(ALICE).debitsPending());
        assertEquals(0, ledger.lookupAccount(BOB).creditsPending());
        assertEquals(Flags.PENDING_STATUS_EXPIRED, ledger.transferById(1).pendingStatus());
        expect(ResultCode.OK, ledger.createTransfer(transfer(4, ALICE, BOB, 7_000)));
    }

    @Test
    void rejectsPostBeyondHoldAmount()
    {
        expect(ResultCode.OK, ledger.createTransfer(transfer(1, ALICE, BOB, 10).pending()));
        expect(ResultCode.EXCEEDS_PENDING_TRANSFER_AMOUNT,
            ledger.createTransfer(new TestLedger.Transfer().id(2).post(1).amount(11)));
    }

    @Test
    void rejectsVoidOfDifferentAmount()
    {
        expect(ResultCode.OK, ledger.createTransfer(transfer(1, ALICE, BOB, 10).pending()));
        expect(ResultCode.PENDING_TRANSFER_HAS_DIFFERENT_AMOUNT,
            ledger.createTransfer(new TestLedger.Transfer().id(2).voidHold(1).amount(9)));
        expect(ResultCode.OK, ledger.createTransfer(new TestLedger.Transfer().id(3).voidHold(1).amount(10)));
    }

    @Test
    void refusesHoldsBeyondCapacity()
    {
        final TestLedger small = new TestLedger(LedgerConfig.builder().accountsMax(4).idempotencyWindow(16)
            .pendingTransfersMax(1).batchEventsMax(4).build());
        expect(ResultCode.OK, small.createAccounts(account(1), account(2)));
        expect(ResultCode.OK, small.createTransfer(transfer(1, 1, 2, 5).pending()));
        expect(ResultCode.PENDING_TRANSFERS_FULL, small.createTransfer(transfer(2, 1, 2, 5).pending()));
        expect(ResultCode.OK, small.createTransfer(new TestLedger.Transfer().id(3).post(1)));
        expect(ResultCode.OK, small.createTransfer(transfer(4, 1, 2, 5).pending()));
    }

    @Test
    void limitsTheHoldsOpenPerDebitAccount()
    {
        expect(ResultCode.OK, ledger.setSettingRaw(PolicyCommands.SETTING_HOLDS_PER_ACCOUNT_MAX, 2));
        expect(ResultCode.OK, ledger.createTransfer(transfer(1, ALICE, BOB, 5).pending()),
            ledger.createTransfer(transfer(2, ALICE, BOB, 5).pending().timeout(1)));
        expect(ResultCode.HOLDS_PER_ACCOUNT_FULL, ledger.createTransfer(transfer(3, ALICE, BOB, 5).pending()));
        expect(ResultCode.OK, ledger.createTransfer(transfer(4, SETTLEMENT, BOB, 5).pending()),
            ledger.createTransfer(transfer(5, ALICE, BOB, 5)));

        // A post frees a place; so does an expiry.
        expect(ResultCode.OK, ledger.createTransfer(new TestLedger.Transfer().id(6).post(1)),
            ledger.createTransfer(transfer(7, ALICE, BOB, 5).pending()));
        expect(ResultCode.HOLDS_PER_ACCOUNT_FULL, ledger.createTransfer(transfer(8, ALICE, BOB, 5).pending()));
        ledger.advanceSeconds(2);
        expect(ResultCode.OK, ledger.createTransfer(transfer(9, ALICE, BOB, 5).pending()));

        // A linked chain that fails gives back the place its hold took.
        expect(ResultCode.OK, ledger.createTransfer(new TestLedger.Transfer().id(10).voidHold(9)));
        final ResultCode[] chain = ledger.createTransfers(transfer(11, ALICE, BOB, 5).pending().linked(),
            transfer(12, BOB, ALICE, 1_000_000));
        assertEquals(ResultCode.LINKED_EVENT_FAILED, chain[0]);
        expect(ResultCode.OK, ledger.createTransfer(transfer(13, ALICE, BOB, 5).pending()));
        expect(ResultCode.HOLDS_PER_ACCOUNT_FULL, ledger.createTransfer(transfer(14, ALICE, BOB, 5).pending()));

        // A lower limit keeps the holds open; no limit opens again.
        expect(ResultCode.OK, ledger.setSettingRaw(PolicyCommands.SETTING_HOLDS_PER_ACCOUNT_MAX, 1));
        assertEquals(2, ledger.lookupAccount(ALICE).debitsPending() / 5);
        expect(ResultCode.OK, ledger.setSettingRaw(PolicyCommands.SETTING_HOLDS_PER_ACCOUNT_MAX, 0));
        expect(ResultCode.OK, ledger.createTransfer(transfer(15, ALICE, BOB, 5).pending()));
        expect(ResultCode.SETTING_OUT_OF_RANGE,
            ledger.setSettingRaw(PolicyCommands.SETTING_HOLDS_PER_ACCOUNT_MAX, -1));
    }

    @Test
    void limitsTheTimeoutOfAHoldAskedFor()
    {
        expect(ResultCode.OK, ledger.setSettingRaw(PolicyCommands.SETTING_HOLD_TIMEOUT_MAX_SECONDS, 60));
        expect(ResultCode.HOLD_TIMEOUT_EXCEEDS_MAX,
            ledger.createTransfer(transfer(1, ALICE, BOB, 5).pending()),
            ledger.createTransfer(transfer(2, ALICE, BOB, 5).pending().timeout(61)),
            ledger.createTransfer(transfer(3, ALICE, BOB, 5).pending().timeout(-1)));
        expect(ResultCode.OK, ledger.createTransfer(transfer(4, ALICE, BOB, 5).pending().timeout(60)),
            ledger.createTransfer(transfer(5, ALICE, BOB, 5).pending().timeout(1)),
            ledger.createTransfer(transfer(6, ALICE, BOB, 5)));
        // A hold made for review has no timeout and is not refused for it.
        expect(ResultCode.OK, ledger.setReviewThreshold(USD, 100));
        expect(ResultCode.HELD_FOR_REVIEW, ledger.createTransfer(transfer(7, ALICE, BOB, 500)));
        expect(ResultCode.OK, ledger.setSettingRaw(PolicyCommands.SETTING_HOLD_TIMEOUT_MAX_SECONDS, 0xFFFF_FFFFL));
        expect(ResultCode.OK, ledger.createTransfer(transfer(8, ALICE, BOB, 5).pending().timeout(-1)));
        expect(ResultCode.SETTING_OUT_OF_RANGE,
            ledger.setSettingRaw(PolicyCommands.SETTING_HOLD_TIMEOUT_MAX_SECONDS, 1L << 32));
    }

    // ----------------------------------------------------------------------------------- idempotency

    @Test
    void answersExistsForIdenticalRetryWithoutMovingMoneyAgain()
    {
        final TestLedger.Transfer original = transfer(1, ALICE, BOB, 100).userData64(7);
        expect(ResultCode.OK, ledger.createTransfer(original));
        expect(ResultCode.EXISTS, ledger.createTransfer(original.copy()));
        assertEquals(100, ledger.lookupAccount(BOB).balance());
    }

    @Test
    void answersPreciselyWhichFieldOfARetryDiffers()
    {
        final TestLedger.Transfer original = transfer(1, ALICE, BOB, 100).userData128(1, 2).userData64(3)
            .userData32(4).code(5);
        expect(ResultCode.OK, ledger.createTransfer(original));
        expect(ResultCode.EXISTS_WITH_DIFFERENT_FLAGS, ledger.createTransfer(original.copy().pending()));
        expect(ResultCode.EXISTS_WITH_DIFFERENT_PENDING_ID, ledger.createTransfer(original.copy().pendingId(9)));
        expect(ResultCode.EXISTS_WITH_DIFFERENT_TIMEOUT, ledger.createTransfer(original.copy().timeout(9)));
        expect(ResultCode.EXISTS_WITH_DIFFERENT_DEBIT_ACCOUNT_ID, ledger.createTransfer(original.copy().from(SETTLEMENT)));
        expect(ResultCode.EXISTS_WITH_DIFFERENT_CREDIT_ACCOUNT_ID, ledger.createTransfer(original.copy().to(SETTLEMENT)));
        expect(ResultCode.EXISTS_WITH_DIFFERENT_AMOUNT, ledger.createTransfer(original.copy().amount(101)));
        expect(ResultCode.EXISTS_WITH_DIFFERENT_CURRENCY, ledger.createTransfer(original.copy().currency(EUR)));
        expect(ResultCode.EXISTS_WITH_DIFFERENT_USER_DATA_128, ledger.createTransfer(original.copy().userData128(1, 3)));
        expect(ResultCode.EXISTS_WITH_DIFFERENT_USER_DATA_64, ledger.createTransfer(original.copy().userData64(4)));
        expect(ResultCode.EXISTS_WITH_DIFFERENT_USER_DATA_32, ledger.createTransfer(original.copy().userData32(5)));
        expect(ResultCode.EXISTS_WITH_DIFFERENT_CODE, ledger.createTransfer(original.copy().code(6)));
        expect(ResultCode.EXISTS, ledger.createTransfer(original.copy()));
        assertEquals(100, ledger.lookupAccount(BOB).balance());
    }

    @Test
    void returnsTheOriginalFailureToARetryEvenWhenItWouldNowSucceed()
    {
        expect(ResultCode.EXCEEDS_CREDITS, ledger.createTransfer(transfer(1, ALICE, BOB, 20_000)));
        expect(ResultCode.OK, ledger.createTransfer(transfer(2, SETTLEMENT, ALICE, 20_000)));
        expect(ResultCode.EXCEEDS_CREDITS, ledger.createTransfer(transfer(1, ALICE, BOB, 20_000)));
        assertEquals(0, ledger.lookupAccount(BOB).balance());
    }

    @Test
    void aResentFailedChainAnswersExactlyWhatItsFirstAttemptDid()
    {
        final TestLedger.Transfer[] batch = {
            transfer(1, SETTLEMENT, ALICE, 10).linked(),
            transfer(2, ALICE, BOB, 20_000).linked(),
            transfer(3, SETTLEMENT, BOB, 10),
        };
        final List<ResultCode> first = List.of(ResultCode.LINKED_EVENT_FAILED, ResultCode.EXCEEDS_CREDITS,
            ResultCode.LINKED_EVENT_FAILED);
        assertEquals(first, List.of(ledger.createTransfers(copies(batch))));
        // The resend fails at once, on event 0's remembered failure; events 1 and 2 were not tried but answer
        // their own remembered codes, not LINKED_EVENT_FAILED for the new reason.
        assertEquals(first, List.of(ledger.createTransfers(copies(batch))));
        assertEquals(List.of(ResultCode.EXCEEDS_CREDITS),
            List.of(ledger.createTransfers(transfer(2, ALICE, BOB, 20_000))));
        assertEquals(0, ledger.lookupAccount(BOB).balance());
    }

    private static TestLedger.Transfer[] copies(final TestLedger.Transfer... transfers)
    {
        final TestLedger.Transfer[] copies = new TestLedger.Transfer[transfers.length];
        for (int i = 0; i < transfers.length; i++)
        {
            copies[i] = transfers[i].copy();
        }
        return copies;
    }

    @Test
    void forgetsIdsOlderThanTheWindowAndRemembersTheWindow()
    {
        final int window = 8;
        final TestLedger small = new TestLedger(LedgerConfig.builder().accountsMax(4).idempotencyWindow(window)
            .pendingTransfersMax(4).batchEventsMax(2).build());
        expect(ResultCode.OK, small.createAccounts(account(1), account(2)));
        for (int id = 1; id <= window + 2; id++)
        {
            expect(ResultCode.OK, small.createTransfer(transfer(id, 1, 2, 1)));
        }
        // The last `window` ids are guaranteed to be remembered...
        for (int id = 3; id <= window + 2; id++)
        {
            expect(ResultCode.EXISTS, small.createTransfer(transfer(id, 1, 2, 1)));
        }
        // ...and the oldest, past window + batch, is forgotten: a resend is a new transfer.
        assertEquals(null, small.transferById(1));
        expect(ResultCode.OK, small.createTransfer(transfer(1, 1, 2, 1)));
        assertEquals(window + 3, small.lookupAccount(2).balance());
    }

    @Test
    void keepsAHoldResolvableAfterItLeavesTheWindow()
    {
        final TestLedger small = new TestLedger(LedgerConfig.builder().accountsMax(4).idempotencyWindow(2)
            .pendingTransfersMax(4).batchEventsMax(2).build());
        expect(ResultCode.OK, small.createAccounts(account(1), account(2)));
        expect(ResultCode.OK, small.createTransfer(transfer(1, 1, 2, 50).pending()));
        for (int id = 2; id <= 6; id++)
        {
            expect(ResultCode.OK, small.createTransfer(transfer(id, 1, 2, 1)));
        }
        // Out of the window, but the open hold still answers idempotency and can be posted.
        expect(ResultCode.EXISTS, small.createTransfer(transfer(1, 1, 2, 50).pending()));
        assertEquals(Flags.PENDING_STATUS_PENDING, small.transferById(1).pendingStatus());
        expect(ResultCode.OK, small.createTransfer(new TestLedger.Transfer().id(7).post(1)));
        assertEquals(55, small.lookupAccount(2).balance());
    }

    // ---------------------------------------------------------------------------------- linked chains

    @Test
    void appliesALinkedChainWhole()
    {
        final ResultCode[] results = ledger.createTransfers(
            transfer(1, ALICE, BOB, 100).linked(),
            transfer(2, BOB, SETTLEMENT, 40));
        expect(ResultCode.OK, results);
        assertEquals(60, ledger.lookupAccount(BOB).balance());
    }

    @Test
    void rollsBackAFailedChainAndReportsTheCulprit()
    {
        final long before = ledger.stateHash();
        final ResultCode[] results = ledger.createTransfers(
            transfer(1, ALICE, BOB, 100).linked(),
            transfer(2, SETTLEMENT, BOB, 5).pending().linked(),
            transfer(3, BOB, ALICE, 10_000).linked(),
            transfer(4, ALICE, BOB, 1),
            transfer(5, ALICE, BOB, 1));
        expect(ResultCode.LINKED_EVENT_FAILED, results[0], results[1], results[3]);
        expect(ResultCode.EXCEEDS_CREDITS, results[2]);
        expect(ResultCode.OK, results[4]);
        assertEquals(9_999, ledger.lookupAccount(ALICE).balance());
        assertEquals(1, ledger.lookupAccount(BOB).balance());
        assertEquals(0, ledger.lookupAccount(BOB).creditsPending());
        assertEquals(0, ledger.engine.pendingTransferCount());
        assertTrue(before != ledger.stateHash());
        // Retrying the failed chain gives the original failures, never a success.
        final ResultCode[] retry = ledger.createTransfers(
            transfer(1, ALICE, BOB, 100).linked(),
            transfer(2, SETTLEMENT, BOB, 5).pending());
        assertEquals(ResultCode.LINKED_EVENT_FAILED, retry[0]);
    }

    @Test
    void failsAChainLeftOpenAtTheEndOfTheBatch()
    {
        final ResultCode[] results = ledger.createTransfers(
            transfer(1, ALICE, BOB, 100).linked(),
            transfer(2, ALICE, BOB, 100).linked());
        expect(ResultCode.LINKED_EVENT_FAILED, results[0]);
        expect(ResultCode.LINKED_EVENT_CHAIN_OPEN, results[1]);
        assertEquals(10_000, ledger.lookupAccount(ALICE).balance());
    }

    @Test
    void undoesPostAndVoidInsideAFailedChain()
    {
        expect(ResultCode.OK, ledger.createTransfer(transfer(1, ALICE, BOB, 300).pending().timeout(100)));
        final long before = ledger.stateHash();
        final ResultCode[] results = ledger.createTransfers(
            new TestLedger.Transfer().id(2).post(1).amount(100).linked(),
            transfer(3, BOB, ALICE, 1_000_000));
        expect(ResultCode.LINKED_EVENT_FAILED, results[0]);
        expect(ResultCode.EXCEEDS_CREDITS, results[1]);
        assertEquals(300, ledger.lookupAccount(ALICE).debitsPending());
        assertEquals(Flags.PENDING_STATUS_PENDING, ledger.transferById(1).pendingStatus());
        expect(ResultCode.OK, ledger.createTransfer(new TestLedger.Transfer().id(4).post(1).amount(100)));
        assertEquals(100, ledger.lookupAccount(BOB).balance());
        assertTrue(before != ledger.stateHash());
    }
}
