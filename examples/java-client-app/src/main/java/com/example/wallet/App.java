package com.example.wallet;

import io.walletledger.client.Account;
import io.walletledger.client.AccountRecord;
import io.walletledger.client.HistoryEntry;
import io.walletledger.client.HistoryQuery;
import io.walletledger.client.Transfer;
import io.walletledger.client.TransferIds;
import io.walletledger.client.WalletClient;
import io.walletledger.client.WalletClientCredentials;
import io.walletledger.client.WalletClientOptions;
import io.walletledger.protocol.Currency;
import io.walletledger.protocol.CurrencyRegistry;
import io.walletledger.protocol.sbe.ResultCode;

import java.util.List;

/**
 * An application of its own using the wallet ledger's Java client: a settlement account funds a wallet, which pays
 * another; the payment is resent (as after a timeout) and moves nothing more; then the payee's balance and history.
 *
 * <p>Arguments: host and port of the server's binary listener (default 127.0.0.1 7070). The API key comes from
 * WALLET_KEY_ID and WALLET_KEY_SECRET (none for a server started with --dev).
 */
public final class App
{
    private static final long SETTLEMENT = 2001;
    private static final long PAYER = 2002;
    private static final long PAYEE = 2003;

    private App()
    {
    }

    public static void main(final String[] args)
    {
        final String host = args.length > 0 ? args[0] : "127.0.0.1";
        final int port = args.length > 1 ? Integer.parseInt(args[1]) : 7070;
        final Currency usd = CurrencyRegistry.withIsoDefaults().build().byAlphaCode("USD");

        try (WalletClient client = WalletClient.connect(WalletClientOptions.builder(host, port)
            .credentials(WalletClientCredentials.fromEnvironment()).build()))
        {
            final List<ResultCode> created = client.createAccountsSync(List.of(
                Account.builder(SETTLEMENT, usd.numericCode()).build(),
                Account.builder(PAYER, usd.numericCode()).debitsMustNotExceedCredits(true).build(),
                Account.builder(PAYEE, usd.numericCode()).debitsMustNotExceedCredits(true).build()));
            System.out.println("accounts: " + created);

            final TransferIds ids = new TransferIds();
            final Transfer funding = Transfer.builder(ids.next()).debitAccountId(SETTLEMENT).creditAccountId(PAYER)
                .amount(usd.toMinorUnits("50.00")).currency(usd.numericCode()).build();
            final Transfer payment = Transfer.builder(ids.next()).debitAccountId(PAYER).creditAccountId(PAYEE)
                .amount(usd.toMinorUnits("12.34")).currency(usd.numericCode()).build();
            System.out.println("funding: " + client.createTransferSync(funding));
            System.out.println("payment: " + client.createTransferSync(payment));
            System.out.println("payment resent: " + client.createTransferSync(payment));

            for (final AccountRecord account : client.lookupAccountsSync(PAYER, PAYEE))
            {
                System.out.println("account " + account.id() + " balance " +
                    usd.toMajorUnits(account.balance()).toPlainString() + " " + usd.alphaCode());
            }
            for (final HistoryEntry entry : client.accountHistory(HistoryQuery.of(PAYEE)))
            {
                System.out.println("history " + PAYEE + ": " + entry.result() + " " +
                    usd.toMajorUnits(entry.transfer().amount()).toPlainString() + " from " +
                    entry.transfer().debitAccountId() + ", balance after " +
                    usd.toMajorUnits(entry.balance()).toPlainString());
            }
        }
    }
}
