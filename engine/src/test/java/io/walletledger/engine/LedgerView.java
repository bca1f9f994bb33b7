package io.walletledger.engine;

/** Read access to a ledger (the engine or the model), used to aim amounts at balances. */
interface LedgerView
{
    TestLedger.AccountView account(long id);

    TestLedger.TransferView transfer(long lo, long hi);

    /**
     * @return the policy fields of an account (what it spent today as of no particular day), or null.
     */
    TestLedger.PolicyView policy(long id);

    /**
     * @return the ledger's capacities and currencies now.
     */
    LedgerConfig settings();

    static LedgerView of(final ReferenceLedger model)
    {
        return new LedgerView()
        {
            public TestLedger.AccountView account(final long id)
            {
                return model.lookupAccount(id);
            }

            public TestLedger.TransferView transfer(final long lo, final long hi)
            {
                return model.lookupTransfer(lo, hi);
            }

            public TestLedger.PolicyView policy(final long id)
            {
                final java.util.List<TestLedger.PolicyView> found = model.lookupAccountPolicies(0, id);
                return found.isEmpty() ? null : found.get(0);
            }

            public LedgerConfig settings()
            {
                return model.settings();
            }
        };
    }

    static LedgerView of(final TestLedger ledger)
    {
        return new LedgerView()
        {
            public TestLedger.AccountView account(final long id)
            {
                return ledger.lookupAccount(id);
            }

            public TestLedger.TransferView transfer(final long lo, final long hi)
            {
                return ledger.transferById(lo, hi);
            }

            public TestLedger.PolicyView policy(final long id)
            {
                return ledger.policyOf(id);
            }

            public LedgerConfig settings()
            {
                return ledger.engine.config();
            }
        };
    }
}
