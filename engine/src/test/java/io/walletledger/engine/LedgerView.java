package io.walletledger.engine;

/** Read access to a ledger (the engine or the model), used to aim amounts at balances. */
interface LedgerView
{
    TestLedger.AccountView account(long id);

    TestLedger.TransferView transfer(long lo, long hi);

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
        };
    }
}
