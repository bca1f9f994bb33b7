package io.walletledger.engine;

import io.walletledger.protocol.sbe.FreezeScope;
import io.walletledger.protocol.sbe.ResultCode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static io.walletledger.engine.TestLedger.USD;
import static io.walletledger.engine.TestLedger.account;
import static io.walletledger.engine.TestLedger.transfer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random runs of transfers, holds, reviews, freezes, closes, limit and fee changes and clock jumps, checking
 * after every step that:
 * <ul>
 *     <li>money is conserved: posted debits equal posted credits, pending debits equal pending credits;</li>
 *     <li>a fee is conserved: the payer loses amount + fee, the receiver gains amount, the fee account the fee,
 *     and the fee is what the schedule says;</li>
 *     <li>a frozen or closed account never sends;</li>
 *     <li>no successful debit breaks its account's per-transfer, daily or velocity limit (a model of the
 *     account's debits, kept by this test, says what it spent);</li>
 * </ul>
 * and at the end that replaying the requests, or loading a snapshot taken half way and replaying the rest,
 * gives the same state hash.
 */
class PolicyPropertiesTest
{
    private static final long SETTLEMENT = 1;
    private static final long FEES = 2;
    private static final long[] USERS = {10, 11, 12, 13, 14, 15, 16};
    private static final long UNFUNDED = 16;
    private static final long SECOND = 1_000_000_000L;
    private static final int STEPS = 400;

    /** Outcomes over all tries: a run that never reached them would check nothing about them. */
    private static final Set<ResultCode> SEEN = EnumSet.noneOf(ResultCode.class);
    private static final Set<ResultCode> MUST_SEE = EnumSet.of(ResultCode.OK, ResultCode.HELD_FOR_REVIEW,
        ResultCode.DEBIT_ACCOUNT_FROZEN, ResultCode.CREDIT_ACCOUNT_FROZEN, ResultCode.EXCEEDS_TRANSFER_AMOUNT_LIMIT,
        ResultCode.EXCEEDS_DAILY_DEBIT_LIMIT, ResultCode.EXCEEDS_VELOCITY_LIMIT, ResultCode.EXCEEDS_CREDITS,
        ResultCode.LINKED_EVENT_FAILED);
    private static long feesSeen;

    private final Map<Long, Limits> limits = new HashMap<>();
    private final Map<Long, List<long[]>> debits = new HashMap<>();
    private final Map<Integer, long[]> fees = new HashMap<>();
    private final List<Long> holds = new ArrayList<>();
    private final List<Long> held = new ArrayList<>();
    private int dayStart;
    private long nextId = 1_000;

    /** The limits of one account as the test set them. */
    private record Limits(long perTransfer, long daily, int velocity, int windowSeconds)
    {
    }

    @Property(tries = 60)
    void policiesAlwaysHold(@ForAll final long seed)
    {
        final Random random = new Random(seed);
        final TestLedger ledger = new TestLedger();
        final List<TestLedger.JournalEntry> journal = ledger.record();
        setUp(ledger, random);

        byte[] snapshot = null;
        int snapshotAt = 0;
        for (int step = 0; step < STEPS; step++)
        {
            step(ledger, random, seed + "/" + step);
            if (step == STEPS / 2)
            {
                snapshot = LedgerStateCodecTest.write(ledger.engine);
                snapshotAt = journal.size();
            }
        }

        final TestLedger replayed = new TestLedger(ledger.engine.config());
        replayed.replay(journal);
        assertEquals(ledger.stateHash(), replayed.stateHash(), "replay, seed " + seed);

        final TestLedger restored = new TestLedger(ledger.engine.config());
        LedgerStateCodecTest.read(restored.engine, snapshot);
        restored.replay(journal.subList(snapshotAt, journal.size()));
        assertEquals(ledger.stateHash(), restored.stateHash(), "snapshot + replay, seed " + seed);
    }

    @AfterContainer
    static void theRunsReachedEveryPolicy()
    {
        final Set<ResultCode> missing = EnumSet.copyOf(MUST_SEE);
        missing.removeAll(SEEN);
        assertTrue(missing.isEmpty(), "outcomes the random runs never produced: " + missing);
        assertTrue(feesSeen > 0, "no transfer paid a fee");
    }

    private void setUp(final TestLedger ledger, final Random random)
    {
        limits.clear();
        debits.clear();
        fees.clear();
        holds.clear();
        held.clear();
        dayStart = random.nextInt(86_400);
        assertEquals(ResultCode.OK, ledger.setSettingRaw(PolicyCommands.SETTING_DAY_START_SECONDS, dayStart));
        ledger.createAccounts(account(SETTLEMENT), account(FEES));
        for (final long user : USERS)
        {
            assertEquals(ResultCode.OK, ledger.createAccount(account(user).noOverdraft()));
            if (user != UNFUNDED)
            {
                assertEquals(ResultCode.OK, ledger.createTransfer(transfer(nextId++, SETTLEMENT, user, 1_000_000)));
            }
        }
        for (int i = 0; i < 3; i++)
        {
            changeLimits(ledger, random, USERS[i]);
        }
        for (int code = 1; code <= 3; code++)
        {
            changeFee(ledger, random, code);
        }
        if (random.nextBoolean())
        {
            assertEquals(ResultCode.OK, ledger.setReviewThreshold(USD, 3_000 + random.nextInt(5_000)));
        }
    }

    private void changeLimits(final TestLedger ledger, final Random random, final long account)
    {
        final Limits chosen = new Limits(
            random.nextBoolean() ? 0 : 100 + random.nextInt(5_000),
            random.nextBoolean() ? 0 : 2_000 + random.nextInt(20_000),
            random.nextBoolean() ? 0 : 1 + random.nextInt(5),
            1 + random.nextInt(120));
        assertEquals(ResultCode.OK, ledger.setLimits(
            account, chosen.perTransfer, chosen.daily, chosen.velocity, chosen.windowSeconds));
        limits.put(account, chosen);
    }

    private void changeFee(final TestLedger ledger, final Random random, final int code)
    {
        final long fixed = random.nextInt(50);
        final long basisPoints = random.nextInt(500);
        final long minimum = random.nextInt(20);
        final long maximum = random.nextBoolean() ? 0 : minimum + random.nextInt(200);
        assertEquals(ResultCode.OK, ledger.setFee(code, USD, fixed, basisPoints, minimum, maximum, FEES));
        fees.put(code, new long[] {fixed, basisPoints, minimum, maximum});
    }

    private long expectedFee(final int code, final long amount)
    {
        final long[] fee = fees.get(code);
        if (fee == null)
        {
            return 0;
        }
        long value = fee[0] + (amount * fee[1] + 5_000) / 10_000;
        value = Math.max(value, fee[2]);
        return fee[3] != 0 ? Math.min(value, fee[3]) : value;
    }

    private void step(final TestLedger ledger, final Random random, final String where)
    {
        final int choice = random.nextInt(100);
        if (choice < 55)
        {
            singleTransfer(ledger, random, where);
        }
        else if (choice < 62)
        {
            final long a = pick(random);
            final long b = pick(random);
            final long c = pick(random);
            final TestLedger.Transfer first =
                transfer(nextId++, a, b, 1 + random.nextInt(3_000)).code(1 + random.nextInt(4)).linked();
            final TestLedger.Transfer second = transfer(nextId++, b, c, 1 + random.nextInt(3_000)).code(1 + random.nextInt(4));
            final ResultCode[] results = ledger.createTransfers(first, second);
            SEEN.addAll(List.of(results));
            if (results[0] == ResultCode.OK && results[1] == ResultCode.OK)
            {
                checkLimits(a, first.amount, ledger.transferById(first.idLo).timestamp(), where);
                checkLimits(b, second.amount, ledger.transferById(second.idLo).timestamp(), where);
            }
        }
        else if (choice < 70 && !holds.isEmpty())
        {
            final long hold = holds.remove(random.nextInt(holds.size()));
            final TestLedger.Transfer resolve = random.nextBoolean() ?
                transfer(nextId++, 0, 0, random.nextInt(3)).post(hold) : transfer(nextId++, 0, 0, 0).voidHold(hold);
            ledger.createTransfer(resolve);
        }
        else if (choice < 75 && !held.isEmpty())
        {
            final long hold = held.remove(random.nextInt(held.size()));
            ledger.review(nextId++, hold, random.nextBoolean() ? Ledger.DECISION_APPROVE : Ledger.DECISION_REJECT);
        }
        else if (choice < 82)
        {
            final long user = USERS[random.nextInt(USERS.length)];
            switch (random.nextInt(4))
            {
                case 0 -> ledger.freeze(user, random.nextBoolean() ? FreezeScope.DEBITS : FreezeScope.ALL);
                case 1, 2 -> ledger.unfreeze(user);
                default -> ledger.close(user);
            }
        }
        else if (choice < 85)
        {
            changeLimits(ledger, random, USERS[random.nextInt(3)]);
        }
        else if (choice < 88)
        {
            changeFee(ledger, random, 1 + random.nextInt(3));
        }
        else
        {
            ledger.now += random.nextInt(4) == 0 ? random.nextInt(86_400) * SECOND : random.nextInt(90) * SECOND;
        }
        checkConservation(ledger, where);
    }

    private long pick(final Random random)
    {
        final int i = random.nextInt(USERS.length + 2);
        return i < USERS.length ? USERS[i] : i == USERS.length ? SETTLEMENT : FEES;
    }

    private void singleTransfer(final TestLedger ledger, final Random random, final String where)
    {
        final long debit = pick(random);
        final long credit = pick(random);
        final long amount = 1 + random.nextInt(random.nextInt(10) == 0 ? 20_000 : 3_000);
        final int code = 1 + random.nextInt(4);
        final boolean pending = random.nextInt(6) == 0;
        final long id = nextId++;
        final TestLedger.Transfer transfer = transfer(id, debit, credit, amount).code(code);
        if (pending)
        {
            transfer.pending();
        }

        final TestLedger.AccountView payerBefore = ledger.lookupAccount(debit);
        final TestLedger.AccountView payeeBefore = ledger.lookupAccount(credit);
        final TestLedger.AccountView feesBefore = ledger.lookupAccount(FEES);
        final ResultCode result = ledger.createTransfer(transfer);
        SEEN.add(result);
        final boolean succeeded = result == ResultCode.OK || result == ResultCode.HELD_FOR_REVIEW;

        if (payerBefore.status() != 0)
        {
            assertTrue(!succeeded, "a frozen or closed account sent money, " + where);
        }
        if (!succeeded)
        {
            assertEquals(payerBefore, ledger.lookupAccount(debit), where);
            return;
        }

        final TestLedger.TransferView created = ledger.transferById(id);
        if (result == ResultCode.HELD_FOR_REVIEW)
        {
            held.add(id);
        }
        else if (pending)
        {
            holds.add(id);
        }
        else if (debit != credit)
        {
            final long[] fee = ledger.feeOf(id);
            final long expected = debit == FEES ? 0 : expectedFee(code, amount);
            assertEquals(expected, fee[0], "fee, " + where);
            feesSeen += fee[0];
            final TestLedger.AccountView payer = ledger.lookupAccount(debit);
            assertEquals(payerBefore.debitsPosted() + amount + fee[0], payer.debitsPosted(), "payer, " + where);
            final long payeeGain = ledger.lookupAccount(credit).creditsPosted() - payeeBefore.creditsPosted();
            final long feesGain = ledger.lookupAccount(FEES).creditsPosted() - feesBefore.creditsPosted();
            if (credit == FEES)
            {
                assertEquals(amount + fee[0], payeeGain, "fee account as payee, " + where);
            }
            else
            {
                assertEquals(amount, payeeGain, "payee, " + where);
                assertEquals(fee[0], feesGain, "fee account, " + where);
            }
        }
        checkLimits(debit, amount, created.timestamp(), where);
    }

    /**
     * Adds a successful debit to the model of its account and checks it against the account's limits.
     */
    private void checkLimits(final long account, final long amount, final long timestamp, final String where)
    {
        final Limits limit = limits.get(account);
        if (limit == null)
        {
            return;
        }
        final List<long[]> history = debits.computeIfAbsent(account, a -> new ArrayList<>());
        history.add(new long[] {timestamp, amount});
        if (limit.perTransfer != 0)
        {
            assertTrue(amount <= limit.perTransfer, "per-transfer limit broken, " + where);
        }
        final long day = AccountLimits.dayIndex(timestamp, dayStart);
        long today = 0;
        int inWindow = 0;
        for (final long[] debit : history)
        {
            if (AccountLimits.dayIndex(debit[0], dayStart) == day)
            {
                today += debit[1];
            }
            if (debit[0] > timestamp - limit.windowSeconds * SECOND)
            {
                inWindow++;
            }
        }
        if (limit.daily != 0)
        {
            assertTrue(today <= limit.daily, "daily limit broken: " + today + " > " + limit.daily + ", " + where);
        }
        if (limit.velocity != 0)
        {
            assertTrue(inWindow <= limit.velocity, "velocity limit broken: " + inWindow + ", " + where);
        }
    }

    private static void checkConservation(final TestLedger ledger, final String where)
    {
        long debitsPosted = 0;
        long creditsPosted = 0;
        long debitsPending = 0;
        long creditsPending = 0;
        final long[] ids = new long[USERS.length + 2];
        System.arraycopy(USERS, 0, ids, 0, USERS.length);
        ids[USERS.length] = SETTLEMENT;
        ids[USERS.length + 1] = FEES;
        for (final TestLedger.AccountView account : ledger.lookupAccounts(ids))
        {
            debitsPosted += account.debitsPosted();
            creditsPosted += account.creditsPosted();
            debitsPending += account.debitsPending();
            creditsPending += account.creditsPending();
            assertTrue((account.id() != SETTLEMENT && account.id() != FEES) ?
                account.debitsPosted() + account.debitsPending() <= account.creditsPosted() : true,
                "overdraft, " + where);
        }
        assertEquals(debitsPosted, creditsPosted, "posted money not conserved, " + where);
        assertEquals(debitsPending, creditsPending, "pending money not conserved, " + where);
    }
}
