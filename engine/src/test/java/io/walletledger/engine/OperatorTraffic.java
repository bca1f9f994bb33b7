package io.walletledger.engine;

import io.walletledger.protocol.ProtocolLimits;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The operator requests of {@link CommandGenerator}'s traffic when the wallet policies are on: freezes, unfreezes and
 * closes (mostly of accounts that can be closed), account and code limits tight enough to be reached, fees whose
 * accounts are sometimes missing, closed or frozen, review thresholds within the range of the amounts sent, day
 * starts just ahead of the clock (so days end during a run), decisions on review holds, and every kind of invalid
 * value. Once in a run with large batches it fills the fee table, so that it overflows.
 * <p>
 * Like the generator, it reads the ledger through the generator's {@link LedgerView} only to aim at interesting
 * targets, and draws everything from the generator's random source, so a seed still decides every request.
 */
final class OperatorTraffic
{
    /** The transfer codes the generator's transfers use. */
    private static final int TRANSFER_CODES = 3;
    private static final int ACCOUNT_CODES = 3;
    private static final int UNKNOWN_CURRENCY = 999;
    private static final long UNKNOWN_ACCOUNT = 2_000_000;
    /** Codes no transfer uses, for the entries that fill the fee table. */
    private static final int FILLER_CODE_BASE = 10_000;
    /** How many of the newest transfers are searched for review holds. */
    private static final int REVIEW_SEARCH_MAX = 400;
    private static final long SECONDS_PER_DAY = 86_400;

    private final CommandGenerator generator;
    private final Random random;
    private final int batchMax;
    private final List<OperatorCommand.Decision> decisions = new ArrayList<>();
    private boolean feeTableFilled;
    private int closes;
    /** The day start the ledger has, as far as the commands sent tell. */
    private long dayStartSeconds;

    OperatorTraffic(final CommandGenerator generator, final Random random)
    {
        this.generator = generator;
        this.random = random;
        this.batchMax = generator.config().batchEventsMax();
    }

    /**
     * @return the commands of the next operator request, all of one kind.
     */
    OperatorCommand[] next()
    {
        final int size = 1 + random.nextInt(Math.min(batchMax, 4));
        final OperatorCommand[] commands = new OperatorCommand[size];
        final int kind = random.nextInt(100);
        for (int i = 0; i < size; i++)
        {
            commands[i] = kind < 22 ? accountCommand() : kind < 36 ? accountLimits() : kind < 44 ? codeLimits() :
                kind < 60 ? fee() : kind < 70 ? threshold() : kind < 76 ? setting() : decision();
        }
        if (kind >= 44 && kind < 60 && !feeTableFilled && batchMax >= 32 && random.nextInt(100) < 6)
        {
            fillFeeTable();
        }
        return commands;
    }

    /**
     * @return the id of a review hold that is still open, or null if there is none among the newest transfers.
     */
    ReferenceLedger.Id openReviewHold()
    {
        final List<ReferenceLedger.Id> open = reviewHolds(Flags.PENDING_STATUS_PENDING);
        return open.isEmpty() ? null : open.get(random.nextInt(open.size()));
    }

    /**
     * @return a transfer from a limited account timed exactly on (or one nanosecond before) an edge within the next
     * two minutes: where the next engine-time day starts, or where the velocity window of the debit that decides the
     * account's next one ends; null if there is none.
     */
    LedgerRequest edgeTransfer(final long now)
    {
        final long horizon = now + 120 * 1_000_000_000L;
        final boolean dayEdge = random.nextBoolean();
        final List<CommandGenerator.PlannedAccount> candidates = new ArrayList<>();
        final List<Long> edges = new ArrayList<>();
        for (final CommandGenerator.PlannedAccount planned : generator.plannedAccounts())
        {
            final TestLedger.PolicyView limits = generator.view().policy(planned.id());
            if (limits == null)
            {
                continue;
            }
            final long edge = dayEdge ? limits.dailyDebitLimit() == 0 ? -1 : nextDay(now) :
                velocityEdge(planned.id(), limits);
            if (edge > now && edge <= horizon)
            {
                candidates.add(planned);
                edges.add(edge - random.nextInt(2));
            }
        }
        if (candidates.isEmpty())
        {
            return null;
        }
        final int pick = random.nextInt(candidates.size());
        return generator.transferAt(edges.get(pick), candidates.get(pick));
    }

    private long nextDay(final long now)
    {
        final long day = Math.floorDiv(Math.floorDiv(now, 1_000_000_000L) - dayStartSeconds, SECONDS_PER_DAY);
        return ((day + 1) * SECONDS_PER_DAY + dayStartSeconds) * 1_000_000_000L;
    }

    /**
     * @return when the limit-th newest debit of the account that this generator can still see leaves its window,
     * or -1.
     */
    private long velocityEdge(final long accountId, final TestLedger.PolicyView limits)
    {
        if (limits.velocityDebitLimit() == 0 || limits.velocityWindowSeconds() >= 120)
        {
            return -1;
        }
        final List<TestLedger.Transfer> sent = generator.sent();
        final Set<ReferenceLedger.Id> counted = new HashSet<>();
        for (int i = sent.size() - 1; i >= Math.max(0, sent.size() - REVIEW_SEARCH_MAX); i--)
        {
            final TestLedger.Transfer t = sent.get(i);
            final TestLedger.TransferView stored = generator.view().transfer(t.idLo, t.idHi);
            if (stored != null && stored.debit() == accountId &&
                (stored.flags() & (Flags.TRANSFER_POST_PENDING | Flags.TRANSFER_VOID_PENDING)) == 0 &&
                counted.add(new ReferenceLedger.Id(t.idLo, t.idHi)) && counted.size() == limits.velocityDebitLimit())
            {
                return stored.timestamp() + limits.velocityWindowSeconds() * 1_000_000_000L;
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------------------------------ accounts

    private OperatorCommand.AccountCommand accountCommand()
    {
        final long id = generator.pickAccount().id();
        final int r = random.nextInt(100);
        if (r < 25)
        {
            return new OperatorCommand.AccountCommand(id, ReferenceLedger.ACTION_FREEZE,
                random.nextInt(10) < 6 ? ReferenceLedger.SCOPE_DEBITS : ReferenceLedger.SCOPE_ALL);
        }
        if (r < 68)
        {
            return new OperatorCommand.AccountCommand(random.nextInt(10) < 8 ? frozen(id) : id,
                ReferenceLedger.ACTION_UNFREEZE, ReferenceLedger.SCOPE_NONE);
        }
        if (r < 82)
        {
            return new OperatorCommand.AccountCommand(closeTarget(id), ReferenceLedger.ACTION_CLOSE,
                ReferenceLedger.SCOPE_NONE);
        }
        switch (r % 4)
        {
            case 0:
                return new OperatorCommand.AccountCommand(random.nextBoolean() ? 0 : UNKNOWN_ACCOUNT,
                    ReferenceLedger.ACTION_UNFREEZE, ReferenceLedger.SCOPE_NONE);
            case 1:
                return new OperatorCommand.AccountCommand(id, random.nextBoolean() ? 0 : 4 + random.nextInt(250),
                    ReferenceLedger.SCOPE_NONE);
            case 2:
                return new OperatorCommand.AccountCommand(id, ReferenceLedger.ACTION_FREEZE,
                    random.nextBoolean() ? ReferenceLedger.SCOPE_NONE : 3 + random.nextInt(250));
            default:
                return new OperatorCommand.AccountCommand(id,
                    random.nextBoolean() ? ReferenceLedger.ACTION_UNFREEZE : ReferenceLedger.ACTION_CLOSE,
                    1 + random.nextInt(2));
        }
    }

    /**
     * @return a frozen account if there is one, so that frozen accounts do not pile up; else {@code any}.
     */
    private long frozen(final long any)
    {
        final List<Long> frozen = new ArrayList<>();
        for (final CommandGenerator.PlannedAccount planned : generator.plannedAccounts())
        {
            final TestLedger.AccountView a = generator.view().account(planned.id());
            if (a != null && a.status() == AccountStatusValue.FROZEN)
            {
                frozen.add(a.id());
            }
        }
        return frozen.isEmpty() ? any : frozen.get(random.nextInt(frozen.size()));
    }

    /**
     * @return mostly an account that can be closed (settled, no holds), a few times a run; else any account.
     */
    private long closeTarget(final long any)
    {
        final List<CommandGenerator.PlannedAccount> planned = generator.plannedAccounts();
        if (closes >= planned.size() / 6 || random.nextInt(10) < 3)
        {
            return any;
        }
        final List<Long> settled = new ArrayList<>();
        // The first accounts are the settlement accounts that fund every currency: never closed on purpose.
        for (int i = 3; i < planned.size(); i++)
        {
            final TestLedger.AccountView a = generator.view().account(planned.get(i).id());
            if (a != null && a.status() != AccountStatusValue.CLOSED && a.debitsPending() == 0 &&
                a.creditsPending() == 0 && a.debitsPosted() == a.creditsPosted())
            {
                settled.add(a.id());
            }
        }
        if (settled.isEmpty())
        {
            return any;
        }
        closes++;
        return settled.get(random.nextInt(settled.size()));
    }

    // -------------------------------------------------------------------------------------------- limits

    private OperatorCommand.SetAccountLimits accountLimits()
    {
        final int r = random.nextInt(100);
        final long id = r < 3 ? 0 : r < 6 ? UNKNOWN_ACCOUNT : generator.pickAccount().id();
        final long velocity = velocityLimit();
        return new OperatorCommand.SetAccountLimits(id, amountLimit(), amountLimit(), velocity, velocityWindow(velocity));
    }

    private OperatorCommand.SetCodeLimits codeLimits()
    {
        final int code = random.nextInt(10) == 0 ? random.nextInt(1 << 16) : 1 + random.nextInt(ACCOUNT_CODES);
        if (random.nextInt(4) == 0)
        {
            return new OperatorCommand.SetCodeLimits(code, 0, 0, 0, random.nextInt(3));
        }
        final long velocity = velocityLimit();
        return new OperatorCommand.SetCodeLimits(code, amountLimit(), amountLimit(), velocity, velocityWindow(velocity));
    }

    /**
     * @return 0 (none) half the time, else a limit within the range of the amounts sent, sometimes negative.
     */
    private long amountLimit()
    {
        final int r = random.nextInt(100);
        if (r < 50)
        {
            return 0;
        }
        if (r < 75)
        {
            return 1 + random.nextInt(5_000);
        }
        if (r < 95)
        {
            return 1 + random.nextInt(2_000_000_000);
        }
        return r < 97 ? Long.MAX_VALUE : -1 - random.nextInt(3);
    }

    private long velocityLimit()
    {
        final int most = generator.config().velocityDebitsMax();
        final int r = random.nextInt(100);
        if (r < 45 || (most == 0 && r < 95))
        {
            return 0;
        }
        return r < 95 ? 1 + random.nextInt(most) : most + 1 + random.nextInt(3);
    }

    private long velocityWindow(final long velocity)
    {
        final int r = random.nextInt(100);
        if (r < 5)
        {
            return 0;
        }
        if (r < 7)
        {
            return 0xFFFF_FFFFL - random.nextInt(3);
        }
        return velocity == 0 && r < 50 ? 0 : 1 + random.nextInt(30);
    }

    // ---------------------------------------------------------------------------------------------- fees

    private OperatorCommand.SetFee fee()
    {
        final int code = 1 + random.nextInt(TRANSFER_CODES);
        final int currency = currency();
        final int r = random.nextInt(100);
        final long fixed = r < 2 ? Long.MAX_VALUE - random.nextInt(1000) : r < 5 ? -1 : random.nextInt(50);
        final long basisPoints = r >= 5 && r < 8 ? 10_001 + random.nextInt(3) : random.nextInt(4) == 0 ? 10_000 :
            random.nextInt(500);
        final long minimum = r >= 8 && r < 10 ? -1 : random.nextInt(3) == 0 ? random.nextInt(30) : 0;
        final long maximum = r >= 10 && r < 12 ? -1 : r >= 12 && r < 15 ? Math.max(0, minimum - 1) :
            random.nextBoolean() ? 0 : minimum + random.nextInt(2_000);
        return new OperatorCommand.SetFee(code, currency, fixed, basisPoints, minimum, maximum, feeAccount(currency));
    }

    /**
     * @return a fee account of the currency most of the time; sometimes one that cannot take the fee (closed,
     * frozen, of another currency, missing), or 0, which removes the entry.
     */
    private long feeAccount(final int currency)
    {
        final int r = random.nextInt(100);
        if (r < 15)
        {
            return 0;
        }
        if (r < 19)
        {
            return UNKNOWN_ACCOUNT + random.nextInt(3);
        }
        final List<Long> sameCurrency = new ArrayList<>();
        final List<Long> unwilling = new ArrayList<>();
        final List<Long> other = new ArrayList<>();
        for (final CommandGenerator.PlannedAccount planned : generator.plannedAccounts())
        {
            final TestLedger.AccountView a = generator.view().account(planned.id());
            if (a == null)
            {
                continue;
            }
            (a.currency() != currency ? other : a.status() == AccountStatusValue.ACTIVE ? sameCurrency : unwilling)
                .add(a.id());
        }
        final List<Long> from = r < 27 && !unwilling.isEmpty() ? unwilling : r < 31 && !other.isEmpty() ? other :
            sameCurrency;
        return from.isEmpty() ? generator.pickAccount().id() : from.get(random.nextInt(from.size()));
    }

    private int currency()
    {
        final int r = random.nextInt(100);
        return r < 3 ? 0 : r < 6 ? UNKNOWN_CURRENCY : generator.pickCurrency();
    }

    /**
     * Queues requests that fill the fee table with entries for codes no transfer uses, and one entry more.
     */
    private void fillFeeTable()
    {
        feeTableFilled = true;
        final long account = generator.pickAccount().id();
        final int entries = ProtocolLimits.POLICY_ENTRIES_MAX + 1;
        for (int first = 0; first < entries; first += batchMax)
        {
            final OperatorCommand[] batch = new OperatorCommand[Math.min(batchMax, entries - first)];
            for (int i = 0; i < batch.length; i++)
            {
                batch[i] = new OperatorCommand.SetFee(FILLER_CODE_BASE + first + i, TestLedger.USD, 1, 0, 0, 0, account);
            }
            generator.queue(batch);
        }
    }

    // ------------------------------------------------------------------------------ review and settings

    private OperatorCommand.SetThreshold threshold()
    {
        final int currency = currency();
        final int r = random.nextInt(100);
        if (r < 30)
        {
            return new OperatorCommand.SetThreshold(currency, 0);
        }
        if (r < 35)
        {
            return new OperatorCommand.SetThreshold(currency, -1 - random.nextInt(3));
        }
        long threshold = 1;
        for (int digits = 2 + random.nextInt(8); digits > 0; digits--)
        {
            threshold *= 10;
        }
        return new OperatorCommand.SetThreshold(currency, threshold + random.nextInt(100));
    }

    private OperatorCommand.SetSetting setting()
    {
        final int r = random.nextInt(100);
        if (r < 60)
        {
            // A day that ends within the next minute, so that daily limits reset during the run.
            final long seconds = Math.floorDiv(generator.now(), 1_000_000_000L);
            dayStartSeconds = Math.floorMod(seconds + 1 + random.nextInt(60), SECONDS_PER_DAY);
            return new OperatorCommand.SetSetting(ReferencePolicies.SETTING_DAY_START_SECONDS, dayStartSeconds);
        }
        if (r < 75)
        {
            return new OperatorCommand.SetSetting(ReferencePolicies.SETTING_DAY_START_SECONDS,
                random.nextBoolean() ? SECONDS_PER_DAY : -1);
        }
        if (r < 90)
        {
            return new OperatorCommand.SetSetting(ReferencePolicies.SETTING_CONFIG_DIGEST, random.nextLong());
        }
        if (r < 94)
        {
            // Few holds per account, so that the limit bites; or none.
            return new OperatorCommand.SetSetting(ReferencePolicies.SETTING_HOLDS_PER_ACCOUNT_MAX,
                random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(4));
        }
        if (r < 97)
        {
            // Timeouts the generator's holds have and have not; or none; or out of range.
            final int draw = random.nextInt(5);
            return new OperatorCommand.SetSetting(ReferencePolicies.SETTING_HOLD_TIMEOUT_MAX_SECONDS,
                draw == 0 ? 0 : draw == 1 ? -1 : draw == 2 ? 1L << 32 : 1 + random.nextInt(120));
        }
        return new OperatorCommand.SetSetting(random.nextBoolean() ? 0 : 5 + random.nextInt(100), 1);
    }

    /**
     * A decision on an open review hold most of the time; else a repeated or changed earlier decision, or one on
     * an ordinary hold, a resolved one or nothing at all.
     */
    private OperatorCommand.Decision decision()
    {
        final int r = random.nextInt(100);
        final int decision = r < 50 ? ReferenceLedger.DECISION_APPROVE : r < 90 ? ReferenceLedger.DECISION_REJECT :
            random.nextBoolean() ? 0 : 3 + random.nextInt(250);
        if (random.nextInt(10) == 0 && !decisions.isEmpty())
        {
            final OperatorCommand.Decision earlier = decisions.get(random.nextInt(decisions.size()));
            final int change = random.nextInt(3);
            return new OperatorCommand.Decision(earlier.idLo(), earlier.idHi(),
                earlier.pendingIdLo() + (change == 1 ? 1 : 0), earlier.pendingIdHi(),
                change == 2 ? decision : earlier.decision());
        }
        final ReferenceLedger.Id id = random.nextInt(50) == 0 ? new ReferenceLedger.Id(0, 0) : generator.freshId();
        final ReferenceLedger.Id hold = decisionTarget(id);
        final OperatorCommand.Decision d = new OperatorCommand.Decision(id.lo(), id.hi(), hold.lo(), hold.hi(), decision);
        decisions.add(d);
        return d;
    }

    private ReferenceLedger.Id decisionTarget(final ReferenceLedger.Id id)
    {
        final int r = random.nextInt(100);
        if (r < 75)
        {
            final ReferenceLedger.Id open = openReviewHold();
            if (open != null)
            {
                return open;
            }
        }
        if (r < 85 && !generator.holds().isEmpty())
        {
            final TestLedger.Transfer hold = generator.holds().get(random.nextInt(generator.holds().size()));
            return new ReferenceLedger.Id(hold.idLo, hold.idHi);
        }
        if (r < 92)
        {
            final List<ReferenceLedger.Id> resolved = reviewHolds(-1);
            if (!resolved.isEmpty())
            {
                return resolved.get(random.nextInt(resolved.size()));
            }
        }
        if (r < 95)
        {
            return r % 2 == 0 ? new ReferenceLedger.Id(0, 0) : id;
        }
        return new ReferenceLedger.Id(UNKNOWN_ACCOUNT + random.nextInt(100), 0);
    }

    /**
     * @param status the pending status wanted, or -1 for any but pending.
     * @return the ids of review holds among the newest transfers sent.
     */
    private List<ReferenceLedger.Id> reviewHolds(final int status)
    {
        final List<TestLedger.Transfer> sent = generator.sent();
        final List<ReferenceLedger.Id> found = new ArrayList<>();
        for (int i = sent.size() - 1; i >= Math.max(0, sent.size() - REVIEW_SEARCH_MAX); i--)
        {
            final TestLedger.Transfer t = sent.get(i);
            if ((t.flags & Flags.TRANSFER_TWO_PHASE) != 0)
            {
                continue;
            }
            final TestLedger.TransferView stored = generator.view().transfer(t.idLo, t.idHi);
            if (stored != null && (stored.flags() & Flags.TRANSFER_REVIEW) != 0 &&
                (status < 0 ? stored.pendingStatus() != Flags.PENDING_STATUS_PENDING : stored.pendingStatus() == status))
            {
                found.add(new ReferenceLedger.Id(t.idLo, t.idHi));
            }
        }
        return found;
    }
}
