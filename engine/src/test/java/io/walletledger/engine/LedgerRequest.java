package io.walletledger.engine;

import io.walletledger.protocol.sbe.ResultCode;

/** One request: a batch of accounts or a batch of transfers, at a request timestamp. */
record LedgerRequest(long timestamp, TestLedger.Account[] accounts, TestLedger.Transfer[] transfers)
{
    ResultCode[] applyTo(final TestLedger ledger)
    {
        ledger.now = timestamp;
        return accounts != null ? ledger.createAccounts(accounts) : ledger.createTransfers(transfers);
    }

    ResultCode[] applyTo(final ReferenceLedger model)
    {
        return accounts != null ? model.createAccounts(timestamp, accounts) :
            model.createTransfers(timestamp, transfers);
    }

    String describe()
    {
        final StringBuilder out = new StringBuilder("at ").append(timestamp);
        if (accounts != null)
        {
            out.append(" createAccounts");
            for (int i = 0; i < accounts.length; i++)
            {
                out.append("\n  [").append(i).append("] ").append(describe(accounts[i]));
            }
        }
        else
        {
            out.append(" createTransfers");
            for (int i = 0; i < transfers.length; i++)
            {
                out.append("\n  [").append(i).append("] ").append(describe(transfers[i]));
            }
        }
        return out.toString();
    }

    static String describe(final TestLedger.Account a)
    {
        return "account(" + a.id + ").currency(" + a.currency + ").code(" + a.code + ").userData(" + a.userData +
            ").flags(0x" + Integer.toHexString(a.flags) + ")";
    }

    static String describe(final TestLedger.Transfer t)
    {
        return "new Transfer().id(" + t.idLo + "L, " + t.idHi + "L).from(" + t.debit + ").to(" + t.credit +
            ").amount(" + t.amount + "L).currency(" + t.currency + ").flags(0x" + Integer.toHexString(t.flags) +
            ")" + (t.pendingLo != 0 || t.pendingHi != 0 ? " pending=" + t.pendingLo + "/" + t.pendingHi : "") +
            (t.timeout != 0 ? ".timeout(" + t.timeout + ")" : "") + " code=" + t.code + " ud128=" +
            t.userData128Lo + "/" + t.userData128Hi + " ud64=" + t.userData64 + " ud32=" + t.userData32;
    }

    int events()
    {
        return accounts != null ? accounts.length : transfers.length;
    }
}
