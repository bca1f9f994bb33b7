package io.walletledger.engine;

import java.util.Arrays;

import static io.walletledger.engine.Flags.ACCOUNT_CREDITS_MUST_NOT_EXCEED_DEBITS;
import static io.walletledger.engine.Flags.ACCOUNT_DEBITS_MUST_NOT_EXCEED_CREDITS;

/**
 * The ledger's whole-state invariants, checked after every event when the switch is on
 * ({@code -Dio.walletledger.engine.invariants=true}, which the build sets for every test JVM and nothing else sets): each
 * account's balances are not negative, pending plus posted fits in 2^63-1, its no-overdraft flag holds, its pending
 * balances are exactly the open holds that name it, and in every currency the debits equal the credits (posted and
 * pending separately). A violation throws {@link IllegalStateException}: the
 * engine halts.
 * <p>
 * The check knows nothing of the rules that moved the money. It learns which accounts to look at from the stores
 * themselves ({@link Accounts} reports every write of a balance, {@link PendingTransfers} every hold
 * opened or closed), keeps its own copy of each account's balances as last checked, and carries the per-currency
 * sums forward by the difference, exactly (in 128 bits): so a check costs what the event touched, not the size of
 * the ledger. A small ledger is checked whole every time, so that a write that bypassed the stores is caught too.
 * <p>
 * Off, the switch is a {@code static final false}: the JIT removes every call, and nothing of this class is
 * allocated.
 */
final class LedgerInvariants
{
    static final boolean ENABLED = Boolean.getBoolean("io.walletledger.engine.invariants");

    /** Ledgers with at most this many accounts have every account checked after every event. */
    static final int WHOLE_LEDGER_ACCOUNTS_MAX = 64;
    private static final int CURRENCIES = 1 << 16;

    private final Accounts accounts;

    // Per account slot, grown as accounts are created: what the last check saw, and the open holds naming it.
    private long[] seenDebitsPending = new long[16];
    private long[] seenDebitsPosted = new long[16];
    private long[] seenCreditsPending = new long[16];
    private long[] seenCreditsPosted = new long[16];
    private int[] seenCurrency = new int[16];
    private long[] heldDebits = new long[16];
    private long[] heldCredits = new long[16];
    private boolean[] marked = new boolean[16];
    private int[] written = new int[16];
    private int writtenCount;

    // Per currency, in 128 bits (hi, lo): sum of debits minus sum of credits, posted and pending.
    private final long[] postedHi = new long[CURRENCIES];
    private final long[] postedLo = new long[CURRENCIES];
    private final long[] pendingHi = new long[CURRENCIES];
    private final long[] pendingLo = new long[CURRENCIES];
    private final boolean[] currencyTouched = new boolean[CURRENCIES];
    private int[] touchedCurrencies = new int[16];
    private int touchedCount;

    // What the running check follows, for its messages.
    private String event;
    private long eventTimestamp;

    LedgerInvariants(final Accounts accounts)
    {
        this.accounts = accounts;
    }

    /**
     * Notes that a balance of an account changed, or that the account was created or removed.
     */
    void accountWritten(final int slot)
    {
        grow(slot);
        if (!marked[slot])
        {
            marked[slot] = true;
            if (writtenCount == written.length)
            {
                written = Arrays.copyOf(written, writtenCount * 2);
            }
            written[writtenCount++] = slot;
        }
    }

    /**
     * Notes that a hold was opened ({@code sign} 1) or closed (-1): its amount is now (no longer) part of the pending
     * balances of its two accounts.
     */
    void holdChanged(final TransferRecords holds, final int hold, final int sign)
    {
        final long amount = sign * holds.amount(hold);
        final int debit = accounts.slotOf(holds.debitAccountId(hold));
        final int credit = accounts.slotOf(holds.creditAccountId(hold));
        if (debit < 0 || credit < 0)
        {
            throw new IllegalStateException("hold " + holds.idHi(hold) + ":" + holds.idLo(hold) +
                " names an account that does not exist");
        }
        accountWritten(debit);
        accountWritten(credit);
        heldDebits[debit] += amount;
        heldCredits[credit] += amount;
    }

    /**
     * Checks every account written since the last check (every account of a small ledger), then the balance of
     * debits and credits of every currency they hold.
     *
     * @param event     what just happened, for the message.
     * @param timestamp its timestamp, for the message.
     * @throws IllegalStateException if an invariant is broken.
     */
    void check(final String event, final long timestamp)
    {
        this.event = event;
        this.eventTimestamp = timestamp;
        final int count = accounts.count();
        if (count <= WHOLE_LEDGER_ACCOUNTS_MAX)
        {
            for (int slot = 0; slot < count; slot++)
            {
                accountWritten(slot);
            }
        }
        for (int i = 0; i < writtenCount; i++)
        {
            final int slot = written[i];
            marked[slot] = false;
            if (slot < count)
            {
                checkAccount(slot);
            }
            else if (heldDebits[slot] != 0 || heldCredits[slot] != 0)
            {
                throw broken(slot, "was removed while holds name it");
            }
            carryForward(slot, slot < count);
        }
        writtenCount = 0;
        for (int i = 0; i < touchedCount; i++)
        {
            final int currency = touchedCurrencies[i];
            currencyTouched[currency] = false;
            if (postedHi[currency] != 0 || postedLo[currency] != 0)
            {
                throw new IllegalStateException(after() + "posted debits and credits of currency " + currency +
                    " differ by " + describe(postedHi[currency], postedLo[currency]));
            }
            if (pendingHi[currency] != 0 || pendingLo[currency] != 0)
            {
                throw new IllegalStateException(after() + "pending debits and credits of currency " +
                    currency + " differ by " + describe(pendingHi[currency], pendingLo[currency]));
            }
        }
        touchedCount = 0;
    }

    private void checkAccount(final int slot)
    {
        final long debitsPending = accounts.debitsPending(slot);
        final long debitsPosted = accounts.debitsPosted(slot);
        final long creditsPending = accounts.creditsPending(slot);
        final long creditsPosted = accounts.creditsPosted(slot);
        if (debitsPending < 0 || debitsPosted < 0 || creditsPending < 0 || creditsPosted < 0)
        {
            throw broken(slot, "has a negative balance");
        }
        if (debitsPending + debitsPosted < 0 || creditsPending + creditsPosted < 0)
        {
            throw broken(slot, "has pending + posted above 2^63-1");
        }
        final int flags = accounts.flags(slot);
        if ((flags & ACCOUNT_DEBITS_MUST_NOT_EXCEED_CREDITS) != 0 && debitsPending + debitsPosted > creditsPosted)
        {
            throw broken(slot, "has debits above its posted credits");
        }
        if ((flags & ACCOUNT_CREDITS_MUST_NOT_EXCEED_DEBITS) != 0 && creditsPending + creditsPosted > debitsPosted)
        {
            throw broken(slot, "has credits above its posted debits");
        }
        if (debitsPending != heldDebits[slot] || creditsPending != heldCredits[slot])
        {
            throw broken(slot, "has pending balances other than its open holds (" + heldDebits[slot] + " debits, " +
                heldCredits[slot] + " credits)");
        }
    }

    /**
     * Moves the account's part of its currency's sums from what the last check saw to what it holds now.
     */
    private void carryForward(final int slot, final boolean exists)
    {
        final int before = seenCurrency[slot];
        touch(before);
        addPosted(before, seenCreditsPosted[slot]);
        addPosted(before, -seenDebitsPosted[slot]);
        addPending(before, seenCreditsPending[slot]);
        addPending(before, -seenDebitsPending[slot]);
        seenCurrency[slot] = exists ? accounts.currency(slot) : 0;
        seenDebitsPending[slot] = exists ? accounts.debitsPending(slot) : 0;
        seenDebitsPosted[slot] = exists ? accounts.debitsPosted(slot) : 0;
        seenCreditsPending[slot] = exists ? accounts.creditsPending(slot) : 0;
        seenCreditsPosted[slot] = exists ? accounts.creditsPosted(slot) : 0;
        final int now = seenCurrency[slot];
        touch(now);
        addPosted(now, seenDebitsPosted[slot]);
        addPosted(now, -seenCreditsPosted[slot]);
        addPending(now, seenDebitsPending[slot]);
        addPending(now, -seenCreditsPending[slot]);
    }

    private void addPosted(final int currency, final long value)
    {
        final long lo = postedLo[currency];
        final long sum = lo + value;
        postedHi[currency] += (value >> 63) + (Long.compareUnsigned(sum, lo) < 0 ? 1 : 0);
        postedLo[currency] = sum;
    }

    private void addPending(final int currency, final long value)
    {
        final long lo = pendingLo[currency];
        final long sum = lo + value;
        pendingHi[currency] += (value >> 63) + (Long.compareUnsigned(sum, lo) < 0 ? 1 : 0);
        pendingLo[currency] = sum;
    }

    private void touch(final int currency)
    {
        if (!currencyTouched[currency])
        {
            currencyTouched[currency] = true;
            if (touchedCount == touchedCurrencies.length)
            {
                touchedCurrencies = Arrays.copyOf(touchedCurrencies, touchedCount * 2);
            }
            touchedCurrencies[touchedCount++] = currency;
        }
    }

    private void grow(final int slot)
    {
        if (slot < marked.length)
        {
            return;
        }
        final int length = Math.max(slot + 1, marked.length * 2);
        seenDebitsPending = Arrays.copyOf(seenDebitsPending, length);
        seenDebitsPosted = Arrays.copyOf(seenDebitsPosted, length);
        seenCreditsPending = Arrays.copyOf(seenCreditsPending, length);
        seenCreditsPosted = Arrays.copyOf(seenCreditsPosted, length);
        seenCurrency = Arrays.copyOf(seenCurrency, length);
        heldDebits = Arrays.copyOf(heldDebits, length);
        heldCredits = Arrays.copyOf(heldCredits, length);
        marked = Arrays.copyOf(marked, length);
    }

    private String after()
    {
        return "after " + event + " at " + eventTimestamp + ": ";
    }

    private IllegalStateException broken(final int slot, final String what)
    {
        return new IllegalStateException(after() + "account " + Long.toUnsignedString(accounts.id(slot)) +
            " (slot " + slot + ") " + what + ": debitsPending " + accounts.debitsPending(slot) + ", debitsPosted " +
            accounts.debitsPosted(slot) + ", creditsPending " + accounts.creditsPending(slot) + ", creditsPosted " +
            accounts.creditsPosted(slot) + ", flags " + accounts.flags(slot) + ", status " + accounts.status(slot));
    }

    private static String describe(final long hi, final long lo)
    {
        return hi == 0 || hi == -1 && lo < 0 ? Long.toString(lo) : "hi " + hi + " lo " + Long.toUnsignedString(lo);
    }
}
