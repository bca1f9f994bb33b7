package io.walletledger.client;

import io.walletledger.protocol.sbe.AccountAction;
import io.walletledger.protocol.sbe.AccountStatus;
import io.walletledger.protocol.sbe.FreezeScope;
import io.walletledger.protocol.sbe.PendingStatus;
import io.walletledger.protocol.sbe.PolicySetting;
import io.walletledger.protocol.sbe.ResultCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static io.walletledger.client.LoopbackLedger.EUR;
import static io.walletledger.client.LoopbackLedger.USD;
import static io.walletledger.protocol.sbe.ResultCode.EXISTS;
import static io.walletledger.protocol.sbe.ResultCode.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The wallet-policy methods of the client against the real server: account lifecycle, account and code limits, fees,
 * review of large transfers, settings and the policy lookup, with the results and lookups each one changes.
 */
class WalletClientPolicyTest
{
    private static final long SETTLEMENT = 1;
    private static final long ALICE = 2;
    private static final long BOB = 3;
    private static final long FEES = 9;
    private static final int TIMEOUT_SECONDS = 10;

    @TempDir
    Path data;

    private LoopbackLedger ledger;
    private WalletClient client;
    private final TransferIds ids = new TransferIds();

    @BeforeEach
    void start()
    {
        ledger = LoopbackLedger.start(data);
        client = WalletClient.connect("127.0.0.1", ledger.port());
        assertEquals(List.of(OK, OK, OK, OK), client.createAccountsSync(List.of(
            Account.unrestricted(SETTLEMENT, USD), Account.wallet(ALICE, USD), Account.wallet(BOB, USD),
            Account.unrestricted(FEES, USD))));
        assertEquals(OK, client.createTransferSync(Transfer.of(ids.next(), SETTLEMENT, ALICE, 10_000, USD)));
    }

    @AfterEach
    void stop()
    {
        client.close();
        ledger.close();
    }

    @Test
    void aFrozenAccountReceivesButDoesNotSendAndAClosedOneDoesNeither() throws Exception
    {
        assertEquals(OK, client.freezeAccountSync(ALICE, FreezeScope.DEBITS));
        AccountRecord alice = account(ALICE);
        assertEquals(AccountStatus.FROZEN, alice.status());
        assertEquals(FreezeScope.DEBITS, alice.freezeScope());
        assertEquals(ResultCode.DEBIT_ACCOUNT_FROZEN,
            client.createTransferSync(Transfer.of(ids.next(), ALICE, BOB, 1, USD)));
        assertEquals(OK, client.createTransferSync(Transfer.of(ids.next(), SETTLEMENT, ALICE, 1, USD)));

        assertEquals(OK, client.freezeAccount(ALICE, FreezeScope.ALL).get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertEquals(FreezeScope.ALL, account(ALICE).freezeScope());
        assertEquals(ResultCode.CREDIT_ACCOUNT_FROZEN,
            client.createTransferSync(Transfer.of(ids.next(), SETTLEMENT, ALICE, 1, USD)));

        assertEquals(OK, client.unfreezeAccount(ALICE).get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertEquals(OK, client.unfreezeAccountSync(ALICE), "already active");
        alice = account(ALICE);
        assertEquals(AccountStatus.ACTIVE, alice.status());
        assertEquals(FreezeScope.NONE, alice.freezeScope());
        assertEquals(OK, client.createTransferSync(Transfer.of(ids.next(), ALICE, BOB, 1, USD)));

        assertEquals(ResultCode.ACCOUNT_BALANCE_NOT_ZERO, client.closeAccountSync(ALICE));
        assertEquals(AccountStatus.ACTIVE, account(ALICE).status());
    }

    @Test
    void accountCommandsAnswerOneResultEachInOrder() throws Exception
    {
        assertEquals(List.of(OK, OK),
            client.createAccountsSync(List.of(Account.wallet(4, USD), Account.wallet(5, USD))));
        final TransferId hold = ids.next();
        assertEquals(OK, client.createTransferSync(Transfer.pending(hold, SETTLEMENT, 5, 50, USD, 0)));

        assertEquals(List.of(OK, OK, ResultCode.ACCOUNT_CLOSED, ResultCode.ACCOUNT_NOT_FOUND,
            ResultCode.ACCOUNT_HAS_PENDING_TRANSFERS, ResultCode.FREEZE_SCOPE_INVALID, ResultCode.FREEZE_SCOPE_INVALID),
            client.accountCommandsSync(List.of(
                AccountCommand.close(4),
                AccountCommand.close(4),
                AccountCommand.freeze(4, FreezeScope.DEBITS),
                AccountCommand.unfreeze(999),
                AccountCommand.close(5),
                AccountCommand.freeze(BOB, FreezeScope.NONE),
                new AccountCommand(BOB, AccountAction.UNFREEZE, FreezeScope.ALL))));
        assertEquals(AccountStatus.CLOSED, account(4).status());
        assertEquals(ResultCode.CREDIT_ACCOUNT_CLOSED,
            client.createTransferSync(Transfer.of(ids.next(), SETTLEMENT, 4, 1, USD)));
        assertEquals(AccountStatus.ACTIVE, account(BOB).status(), "the invalid commands changed nothing");

        assertEquals(OK, client.createTransferSync(Transfer.voidPending(ids.next(), hold)));
        assertEquals(OK, client.closeAccount(5).get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertEquals(List.of(), client.accountCommandsSync(List.of()));
    }

    @Test
    void accountLimitsAreEnforcedAndLookedUp() throws Exception
    {
        final Limits limits = Limits.NONE.withTransferAmountLimit(300).withDailyDebitLimit(500).withVelocity(3, 3600);
        assertEquals(List.of(OK, ResultCode.ACCOUNT_NOT_FOUND, ResultCode.LIMIT_MUST_NOT_BE_NEGATIVE,
            ResultCode.VELOCITY_WINDOW_MUST_NOT_BE_ZERO, ResultCode.VELOCITY_LIMIT_TOO_LARGE),
            client.setAccountLimitsSync(List.of(
                new AccountLimits(ALICE, limits),
                new AccountLimits(999, limits),
                new AccountLimits(BOB, Limits.NONE.withDailyDebitLimit(-1)),
                new AccountLimits(BOB, Limits.NONE.withVelocity(2, 0)),
                new AccountLimits(BOB, Limits.NONE.withVelocity(100_000, 60)))));
        AccountRecord alice = account(ALICE);
        assertEquals(limits, alice.limits());
        assertEquals(0, alice.dailyDebitsUsed());
        assertEquals(Limits.NONE, account(BOB).limits(), "the refused limits were not set");

        assertEquals(List.of(ResultCode.EXCEEDS_TRANSFER_AMOUNT_LIMIT, OK, ResultCode.EXCEEDS_DAILY_DEBIT_LIMIT, OK),
            client.createTransfersSync(List.of(
                Transfer.of(ids.next(), ALICE, BOB, 301, USD),
                Transfer.of(ids.next(), ALICE, BOB, 300, USD),
                Transfer.of(ids.next(), ALICE, BOB, 201, USD),
                Transfer.of(ids.next(), ALICE, BOB, 200, USD))));
        assertEquals(500, account(ALICE).dailyDebitsUsed());

        // Only a velocity limit now: two debits were made, a third is allowed within the hour, a fourth is not.
        assertEquals(List.of(OK), client.setAccountLimits(List.of(new AccountLimits(ALICE,
            Limits.NONE.withVelocity(3, 3600)))).get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertEquals(List.of(OK, ResultCode.EXCEEDS_VELOCITY_LIMIT), client.createTransfersSync(List.of(
            Transfer.of(ids.next(), ALICE, BOB, 1_000, USD), Transfer.of(ids.next(), ALICE, BOB, 1, USD))));

        assertEquals(List.of(OK), client.setAccountLimitsSync(List.of(new AccountLimits(ALICE, Limits.NONE))));
        alice = account(ALICE);
        assertEquals(Limits.NONE, alice.limits());
        assertTrue(alice.limits().isNone());
        assertEquals(OK, client.createTransferSync(Transfer.of(ids.next(), ALICE, BOB, 1, USD)));
    }

    @Test
    void codeLimitsGoToAccountsCreatedLaterWithThatCode() throws Exception
    {
        final Limits limits = Limits.NONE.withTransferAmountLimit(100);
        assertEquals(List.of(OK, ResultCode.LIMIT_MUST_NOT_BE_NEGATIVE), client.setCodeLimitsSync(List.of(
            new CodeLimits(5, limits), new CodeLimits(6, Limits.NONE.withDailyDebitLimit(-1)))));
        assertEquals(List.of(OK), client.createAccountsSync(List.of(Account.builder(20, USD).code(5).build())));
        assertEquals(limits, account(20).limits());
        assertEquals(Limits.NONE, account(ALICE).limits(), "created before, with another code");
        assertEquals(ResultCode.EXCEEDS_TRANSFER_AMOUNT_LIMIT,
            client.createTransferSync(Transfer.of(ids.next(), 20, BOB, 101, USD)));
        assertEquals(OK, client.createTransferSync(Transfer.of(ids.next(), 20, BOB, 100, USD)));

        final Policies policies = client.lookupPoliciesSync();
        assertEquals(List.of(new CodeLimits(5, limits)), policies.codeLimits());
        assertEquals(Optional.of(limits), policies.limitsOfCode(5));
        assertEquals(Optional.empty(), policies.limitsOfCode(6));

        assertEquals(List.of(OK), client.setCodeLimits(List.of(new CodeLimits(5, Limits.NONE)))
            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertEquals(List.of(), client.lookupPolicies().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).codeLimits());
        assertEquals(limits, account(20).limits(), "an existing account keeps them");
    }

    @Test
    void aFeeMovesWithItsTransferAndIsShownOnIt() throws Exception
    {
        final FeeSchedule fee = FeeSchedule.builder(20, USD, FEES).fixedAmount(5).basisPoints(250).minimum(10)
            .maximum(40).build();
        assertEquals(List.of(OK, ResultCode.FEE_BASIS_POINTS_TOO_LARGE, ResultCode.FEE_MINIMUM_EXCEEDS_MAXIMUM,
            ResultCode.FEE_MUST_NOT_BE_NEGATIVE), client.setFeesSync(List.of(
                fee,
                FeeSchedule.builder(21, USD, FEES).basisPoints(10_001).build(),
                FeeSchedule.builder(22, USD, FEES).minimum(50).maximum(40).build(),
                FeeSchedule.builder(23, USD, FEES).fixedAmount(-1).build())));

        // 5 + 2.5% of 200 = 10; 5 + 2.5% of 100 = 7.5 -> 8, raised to the minimum 10; 5 + 50 = 55, cut to 40.
        final TransferId first = ids.next();
        assertEquals(List.of(OK, OK, OK), client.createTransfersSync(List.of(
            Transfer.builder(first).debitAccountId(ALICE).creditAccountId(BOB).amount(200).currency(USD).code(20)
                .build(),
            Transfer.builder(ids.next()).debitAccountId(ALICE).creditAccountId(BOB).amount(100).currency(USD).code(20)
                .build(),
            Transfer.builder(ids.next()).debitAccountId(ALICE).creditAccountId(BOB).amount(2_000).currency(USD)
                .code(20).build())));
        assertEquals(10_000 - 2_300 - 60, account(ALICE).balance());
        assertEquals(2_300, account(BOB).balance());
        assertEquals(60, account(FEES).balance());
        final TransferRecord paid = client.lookupTransfersSync(first).get(0);
        assertEquals(200, paid.amount());
        assertEquals(10, paid.fee());
        assertEquals(FEES, paid.feeAccountId());

        // A hold pays the fee of what is captured, when it is captured.
        final TransferId hold = ids.next();
        assertEquals(OK, client.createTransferSync(Transfer.builder(hold).debitAccountId(ALICE).creditAccountId(BOB)
            .amount(400).currency(USD).code(20).pending(true).build()));
        assertEquals(0, client.lookupTransfersSync(hold).get(0).fee());
        final TransferId capture = ids.next();
        assertEquals(OK, client.createTransferSync(Transfer.post(capture, hold, 200)));
        assertEquals(10, client.lookupTransfersSync(capture).get(0).fee());
        assertEquals(70, account(FEES).balance());

        assertEquals(Optional.of(fee), client.lookupPoliciesSync().fee(20, USD));
        assertEquals(List.of(OK), client.setFees(List.of(FeeSchedule.removal(20, USD)))
            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertEquals(List.of(), client.lookupPoliciesSync().fees());
        final TransferId free = ids.next();
        assertEquals(OK, client.createTransferSync(Transfer.builder(free).debitAccountId(ALICE).creditAccountId(BOB)
            .amount(200).currency(USD).code(20).build()));
        assertEquals(0, client.lookupTransfersSync(free).get(0).fee());
        assertEquals(0, client.lookupTransfersSync(free).get(0).feeAccountId());
    }

    @Test
    void aLargeTransferIsHeldUntilAnOperatorReviewsIt() throws Exception
    {
        assertEquals(List.of(OK, ResultCode.THRESHOLD_MUST_NOT_BE_NEGATIVE), client.setReviewThresholdsSync(List.of(
            new ReviewThreshold(USD, 500), new ReviewThreshold(EUR, -1))));
        final TransferId held = ids.next();
        final Transfer large = Transfer.of(held, ALICE, BOB, 600, USD);
        assertEquals(ResultCode.HELD_FOR_REVIEW, client.createTransferSync(large));
        assertEquals(ResultCode.HELD_FOR_REVIEW, client.createTransferSync(large), "a retry answers the same");
        final TransferRecord record = client.lookupTransfersSync(held).get(0);
        assertTrue(record.review());
        assertTrue(record.pending());
        assertEquals(PendingStatus.PENDING, record.pendingStatus());
        assertEquals(600, account(ALICE).debitsPending());
        assertEquals(ResultCode.PENDING_TRANSFER_UNDER_REVIEW,
            client.createTransferSync(Transfer.post(ids.next(), held, 0)));
        assertEquals(List.of(ResultCode.REVIEW_REQUIRED_OUTSIDE_LINKED_CHAIN, ResultCode.LINKED_EVENT_FAILED),
            client.createTransfersSync(List.of(
                Transfer.of(ids.next(), ALICE, BOB, 501, USD).withLinked(true),
                Transfer.of(ids.next(), ALICE, BOB, 1, USD))));

        final ReviewDecision approval = ReviewDecision.approve(ids.next(), held);
        assertEquals(List.of(OK), client.reviewTransfersSync(List.of(approval)));
        assertEquals(List.of(EXISTS), client.reviewTransfersSync(List.of(approval)), "an identical retry");
        assertEquals(PendingStatus.POSTED, client.lookupTransfersSync(held).get(0).pendingStatus());
        assertEquals(600, account(BOB).balance());
        assertEquals(0, account(ALICE).debitsPending());

        final TransferId second = ids.next();
        assertEquals(ResultCode.HELD_FOR_REVIEW, client.createTransferSync(Transfer.of(second, ALICE, BOB, 700, USD)));
        final TransferId ordinary = ids.next();
        assertEquals(OK, client.createTransferSync(Transfer.pending(ordinary, ALICE, BOB, 10, USD, 0)));
        assertEquals(List.of(OK, ResultCode.PENDING_TRANSFER_NOT_UNDER_REVIEW, ResultCode.PENDING_TRANSFER_NOT_FOUND),
            client.reviewTransfers(List.of(
                ReviewDecision.reject(ids.next(), second),
                ReviewDecision.approve(ids.next(), ordinary),
                ReviewDecision.approve(ids.next(), TransferId.of(999)))).get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertEquals(PendingStatus.VOIDED, client.lookupTransfersSync(second).get(0).pendingStatus());
        assertEquals(600, account(BOB).balance());

        assertEquals(500, client.lookupPoliciesSync().reviewThreshold(USD));
        assertEquals(List.of(OK), client.setReviewThresholds(List.of(new ReviewThreshold(USD, 0)))
            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertEquals(0, client.lookupPoliciesSync().reviewThreshold(USD));
        assertEquals(OK, client.createTransferSync(Transfer.of(ids.next(), ALICE, BOB, 600, USD)));
    }

    @Test
    void settingsAreSetAndReadBack() throws Exception
    {
        Policies policies = client.lookupPoliciesSync();
        assertEquals(0, policies.dayStartSeconds());
        assertEquals(List.of(), policies.fees());
        assertEquals(List.of(), policies.reviewThresholds());
        assertEquals(List.of(), policies.codeLimits());

        assertEquals(OK, client.setPolicySettingSync(PolicySetting.DAY_START_SECONDS, 3_600));
        assertEquals(ResultCode.SETTING_OUT_OF_RANGE, client.setPolicySetting(PolicySetting.DAY_START_SECONDS, 86_400)
            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertEquals(OK, client.setPolicySettingSync(PolicySetting.CONFIG_DIGEST, 0x1234_5678_9abc_def0L));
        policies = client.lookupPoliciesSync();
        assertEquals(3_600, policies.dayStartSeconds());
        assertEquals(0x1234_5678_9abc_def0L, policies.configDigest());
        assertThrows(IllegalArgumentException.class, () -> client.setPolicySetting(PolicySetting.NULL_VAL, 1));
    }

    @Test
    void moreCommandsThanABatchGoInSeveralRequestsInOrder() throws Exception
    {
        final List<Account> accounts = new ArrayList<>();
        final List<AccountCommand> commands = new ArrayList<>();
        final List<ResultCode> expected = new ArrayList<>();
        for (int i = 0; i < 10; i++)
        {
            // Every third account does not exist.
            if (i % 3 != 2)
            {
                accounts.add(Account.wallet(100 + i, USD));
            }
            commands.add(AccountCommand.freeze(100 + i, FreezeScope.DEBITS));
            expected.add(i % 3 != 2 ? OK : ResultCode.ACCOUNT_NOT_FOUND);
        }
        client.createAccountsSync(accounts);
        try (WalletClient small = WalletClient.connect(
            WalletClientOptions.builder("127.0.0.1", ledger.port()).batchEventsMax(4).build()))
        {
            assertEquals(expected, small.accountCommandsSync(commands));
            assertEquals(3, small.requestsSent(), "10 commands, at most 4 per request");
        }
        for (final AccountRecord account : client.lookupAccountsSync(100, 101, 103, 104, 106, 107, 109))
        {
            assertEquals(AccountStatus.FROZEN, account.status());
        }
        assertEquals(List.of(), client.lookupAccountsSync(102));
    }

    private AccountRecord account(final long id)
    {
        return client.lookupAccountsSync(id).get(0);
    }
}
