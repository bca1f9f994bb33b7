package io.walletledger.engine;

/**
 * Sees every account of a ledger, in creation order ({@link LedgerEngine#forEachAccount(AccountVisitor)}).
 */
@FunctionalInterface
public interface AccountVisitor
{
    /**
     * @param id             account id.
     * @param currency       numeric currency code.
     * @param flags          account flags (the schema's AccountFlags bits).
     * @param status         AccountStatus value.
     * @param debitsPending  minor units.
     * @param debitsPosted   minor units.
     * @param creditsPending minor units.
     * @param creditsPosted  minor units.
     */
    void visit(long id, int currency, int flags, int status, long debitsPending, long debitsPosted,
        long creditsPending, long creditsPosted);
}
