package io.walletledger.bench.load;

import io.walletledger.client.AccountRecord;
import io.walletledger.client.TransferId;
import io.walletledger.client.TransferRecord;
import io.walletledger.client.WalletClient;

import java.io.PrintStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The checks at the end of a run: money is conserved (over all accounts of the run, debits equal credits, posted
 * and pending), no no-overdraft wallet is overdrawn, and a sample of acknowledged transfers is found by lookup.
 */
final class Verifier
{
    private Verifier()
    {
    }

    /**
     * @return whether every check passed; each failure is printed.
     */
    /**
     * @param fresh whether the run started on an empty ledger (the embedded server): then the books must match what
     *              was acknowledged exactly: the funding, and every acknowledged amount, once.
     */
    static boolean verify(
        final WalletClient client, final int accounts, final int batch, final List<TransferId> sample,
        final LoadStats stats, final boolean fresh, final PrintStream out)
    {
        boolean ok = true;
        long net = 0;
        long pendingDebits = 0;
        long pendingCredits = 0;
        int found = 0;
        int overdrawn = 0;
        long walletDebits = 0;
        long settlementDebits = 0;
        for (long first = Workload.SETTLEMENT; first <= accounts + 1; first += batch)
        {
            final int count = (int)Math.min(batch, accounts + 2 - first);
            final long[] ids = new long[count];
            for (int i = 0; i < count; i++)
            {
                ids[i] = first + i;
            }
            for (final AccountRecord account : client.lookupAccountsSync(ids))
            {
                found++;
                net = Math.addExact(net, Math.subtractExact(account.creditsPosted(), account.debitsPosted()));
                if (account.id() == Workload.SETTLEMENT)
                {
                    settlementDebits = account.debitsPosted();
                }
                else
                {
                    walletDebits = Math.addExact(walletDebits, account.debitsPosted());
                }
                pendingDebits += account.debitsPending();
                pendingCredits += account.creditsPending();
                if (account.id() != Workload.SETTLEMENT &&
                    account.debitsPosted() + account.debitsPending() > account.creditsPosted())
                {
                    overdrawn++;
                }
            }
        }
        if (found != accounts + 1)
        {
            out.println("CHECK FAILED: " + found + " of " + (accounts + 1) + " accounts found");
            ok = false;
        }
        if (net != 0 || pendingDebits != 0 || pendingCredits != 0)
        {
            // Every hold is posted or voided in the request that made it, so none may be left.
            out.println("CHECK FAILED: money not conserved: posted credits - debits = " + net +
                ", pending debits " + pendingDebits + ", pending credits " + pendingCredits + " (both must be 0)");
            ok = false;
        }
        if (fresh && settlementDebits != (long)accounts * Workload.FUNDING)
        {
            out.println("CHECK FAILED: the settlement account paid " + settlementDebits + ", not the funding of " +
                accounts + " wallets (" + (long)accounts * Workload.FUNDING + ")");
            ok = false;
        }
        if (fresh && walletDebits != stats.okAmount())
        {
            out.println("CHECK FAILED: wallets paid " + walletDebits + " in total but the acknowledged transfers " +
                "moved " + stats.okAmount() + ": a transfer was lost or applied twice");
            ok = false;
        }
        if (stats.unexpected() != 0)
        {
            out.println("CHECK FAILED: " + stats.unexpected() + " transfers got a result a fresh run never gets " +
                "(EXISTS, or a rejection other than EXCEEDS_CREDITS)");
            ok = false;
        }
        if (overdrawn != 0)
        {
            out.println("CHECK FAILED: " + overdrawn + " no-overdraft wallets are overdrawn");
            ok = false;
        }
        if (sample.isEmpty())
        {
            out.println("CHECK FAILED: no acknowledged transfer to look up: nothing succeeded");
            ok = false;
        }
        final Set<TransferId> missing = new HashSet<>(sample);
        for (int from = 0; from < sample.size(); from += batch)
        {
            final List<TransferId> part = sample.subList(from, Math.min(sample.size(), from + batch));
            for (final TransferRecord transfer : client.lookupTransfersSync(part.toArray(TransferId[]::new)))
            {
                missing.remove(transfer.id());
            }
        }
        if (!missing.isEmpty())
        {
            out.println("CHECK FAILED: " + missing.size() + " of " + sample.size() +
                " sampled acknowledged transfers were not found, e.g. " + missing.iterator().next());
            ok = false;
        }
        out.printf("checks: %d accounts, %d overdrawn, posted net %d, pending %d/%d, %d of %d sampled acknowledged " +
            "transfers found%s: %s%n", found, overdrawn, net, pendingDebits, pendingCredits,
            sample.size() - missing.size(), sample.size(),
            fresh ? ", wallets paid exactly the acknowledged amounts" : "", ok ? "passed" : "FAILED");
        return ok;
    }
}
