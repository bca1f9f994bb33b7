package io.walletledger.client;

import io.walletledger.protocol.sbe.AccountStatus;
import io.walletledger.protocol.sbe.FreezeScope;

/**
 * An account as the ledger holds it, with its four balance fields, as returned by a lookup.
 *
 * @param id                         the account id.
 * @param currency                   numeric currency code.
 * @param code                       the account kind.
 * @param userData                   the caller's data.
 * @param debitsMustNotExceedCredits no overdraft.
 * @param creditsMustNotExceedDebits credits never exceed debits.
 * @param status                     active, frozen or closed.
 * @param freezeScope                what a frozen account may not do: {@code DEBITS} (send) or {@code ALL} (send or
 *                                   receive); {@code NONE} unless frozen.
 * @param debitsPending              held debits (open holds on this account as payer).
 * @param debitsPosted               posted debits.
 * @param creditsPending             held credits (open holds on this account as payee).
 * @param creditsPosted              posted credits.
 * @param timestamp                  when the account was created, ns since the epoch (the ledger's clock).
 * @param limits                     its spending limits, its own or its code's defaults; {@link Limits#NONE} if none.
 * @param dailyDebitsUsed            minor units debited so far today, counted against the daily limit (as of the
 *                                   lookup, by the ledger's clock); 0 for an account without limits.
 */
public record AccountRecord(
    long id,
    int currency,
    int code,
    long userData,
    boolean debitsMustNotExceedCredits,
    boolean creditsMustNotExceedDebits,
    AccountStatus status,
    FreezeScope freezeScope,
    long debitsPending,
    long debitsPosted,
    long creditsPending,
    long creditsPosted,
    long timestamp,
    Limits limits,
    long dailyDebitsUsed)
{
    /**
     * @return a wallet's balance: {@code creditsPosted - debitsPosted} (negative for an account that may overdraw).
     */
    public long balance()
    {
        return Math.subtractExact(creditsPosted, debitsPosted);
    }

    /**
     * @return what a wallet can spend: its balance minus its held debits.
     * @throws ArithmeticException if the difference does not fit in a {@code long} (only possible for an account
     *                             without limits whose debits approach 2^63).
     */
    public long available()
    {
        return Math.subtractExact(balance(), debitsPending);
    }
}
