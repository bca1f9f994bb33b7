package io.walletledger.engine;

import io.walletledger.protocol.sbe.ResultCode;

/**
 * One request at a request timestamp: a batch of accounts, a batch of transfers, a batch of operator commands of
 * one kind (policies, account commands or review decisions), or new ledger settings (as the node journals them);
 * exactly one of the four is not null.
 */
record LedgerRequest(long timestamp, TestLedger.Account[] accounts, TestLedger.Transfer[] transfers,
    OperatorCommand[] commands, LedgerConfig settings)
{
    LedgerRequest(final long timestamp, final TestLedger.Account[] accounts, final TestLedger.Transfer[] transfers)
    {
        this(timestamp, accounts, transfers, null, null);
    }

    LedgerRequest(final long timestamp, final TestLedger.Account[] accounts, final TestLedger.Transfer[] transfers,
        final OperatorCommand[] commands)
    {
        this(timestamp, accounts, transfers, commands, null);
    }

    static LedgerRequest settings(final long timestamp, final LedgerConfig settings)
    {
        return new LedgerRequest(timestamp, null, null, null, settings);
    }

    ResultCode[] applyTo(final TestLedger ledger)
    {
        ledger.now = timestamp;
        if (settings != null)
        {
            return new ResultCode[] {ledger.setLedgerSettings(settings)};
        }
        if (commands != null)
        {
            return ledger.operatorCommands(commands);
        }
        return accounts != null ? ledger.createAccounts(accounts) : ledger.createTransfers(transfers);
    }

    ResultCode[] applyTo(final ReferenceLedger model)
    {
        if (settings != null)
        {
            return new ResultCode[] {model.setLedgerSettings(settings)};
        }
        if (commands != null)
        {
            return model.operatorCommands(timestamp, commands);
        }
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
        else if (transfers != null)
        {
            out.append(" createTransfers");
            for (int i = 0; i < transfers.length; i++)
            {
                out.append("\n  [").append(i).append("] ").append(describe(transfers[i]));
            }
        }
        else if (settings != null)
        {
            out.append(" setLedgerSettings ").append(settings);
        }
        else
        {
            out.append(" operator commands");
            for (int i = 0; i < commands.length; i++)
            {
                out.append("\n  [").append(i).append("] ").append(commands[i]);
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
        return accounts != null ? accounts.length : transfers != null ? transfers.length :
            commands != null ? commands.length : 1;
    }
}
