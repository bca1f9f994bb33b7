package io.walletledger.client.example;

import io.walletledger.client.Account;
import io.walletledger.client.AccountRecord;
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
 * The client in a page: an operator's USD settlement account funds Alice's wallet, Alice pays Bob, and the three
 * balances are printed. Run it against a server's binary port:
 *
 * <pre>
 *   java -cp ... io.walletledger.client.example.WalletExample [host [port]]     (default 127.0.0.1 7070)
 * </pre>
 *
 * Account creation is idempotent ({@code EXISTS} on a second run); each run moves the money again, with new
 * transfer ids.
 */
public final class WalletExample
{
    /** The operator's settlement account: no balance limits, it goes negative as it funds wallets. */
    public static final long SETTLEMENT_ACCOUNT_ID = 1_000;
    /** Alice's wallet: may not be overdrawn. */
    public static final long ALICE_ACCOUNT_ID = 1_001;
    /** Bob's wallet: may not be overdrawn. */
    public static final long BOB_ACCOUNT_ID = 1_002;
    /** Alice's top-up, in cents. */
    public static final long FUNDING_AMOUNT = 100_00;
    /** What Alice pays Bob, in cents. */
    public static final long PAYMENT_AMOUNT = 25_50;

    private static final int WALLET_CODE = 1;
    private static final int SETTLEMENT_CODE = 2;
    private static final int TOP_UP_CODE = 10;
    private static final int PAYMENT_CODE = 20;

    private WalletExample()
    {
    }

    /**
     * @param args optional host and port of the server's binary gateway. The API key comes from the environment
     *             variables WALLET_KEY_ID and WALLET_KEY_SECRET (none for a server in development mode).
     * @throws IllegalStateException if the ledger refuses an account or a transfer.
     */
    public static void main(final String[] args)
    {
        final String host = args.length > 0 ? args[0] : "127.0.0.1";
        final int port = args.length > 1 ? Integer.parseInt(args[1]) : 7070;
        final Currency usd = CurrencyRegistry.withIsoDefaults().build().byAlphaCode("USD");

        try (WalletClient client = WalletClient.connect(WalletClientOptions.builder(host, port)
            .credentials(WalletClientCredentials.fromEnvironment()).build()))
        {
            final List<Account> accounts = List.of(
                Account.builder(SETTLEMENT_ACCOUNT_ID, usd.numericCode()).code(SETTLEMENT_CODE).build(),
                Account.builder(ALICE_ACCOUNT_ID, usd.numericCode()).code(WALLET_CODE)
                    .debitsMustNotExceedCredits(true).build(),
                Account.builder(BOB_ACCOUNT_ID, usd.numericCode()).code(WALLET_CODE)
                    .debitsMustNotExceedCredits(true).build());
            final List<ResultCode> created = client.createAccountsSync(accounts);
            for (int i = 0; i < created.size(); i++)
            {
                if (created.get(i) != ResultCode.OK && created.get(i) != ResultCode.EXISTS)
                {
                    throw new IllegalStateException("account " + accounts.get(i).id() + ": " + created.get(i));
                }
            }

            final TransferIds ids = new TransferIds();
            final Transfer topUp = Transfer.builder(ids.next())
                .debitAccountId(SETTLEMENT_ACCOUNT_ID).creditAccountId(ALICE_ACCOUNT_ID)
                .amount(FUNDING_AMOUNT).currency(usd.numericCode()).code(TOP_UP_CODE).build();
            final Transfer payment = Transfer.builder(ids.next())
                .debitAccountId(ALICE_ACCOUNT_ID).creditAccountId(BOB_ACCOUNT_ID)
                .amount(PAYMENT_AMOUNT).currency(usd.numericCode()).code(PAYMENT_CODE).build();
            require("top-up " + topUp.id(), client.createTransferSync(topUp));
            require("payment " + payment.id(), client.createTransferSync(payment));

            for (final AccountRecord account :
                client.lookupAccountsSync(SETTLEMENT_ACCOUNT_ID, ALICE_ACCOUNT_ID, BOB_ACCOUNT_ID))
            {
                System.out.printf("account %d: balance %s %s, available %s%n", account.id(),
                    usd.toMajorUnits(account.balance()).toPlainString(), usd.alphaCode(),
                    usd.toMajorUnits(account.available()).toPlainString());
            }
        }
    }

    private static void require(final String what, final ResultCode result)
    {
        if (result != ResultCode.OK)
        {
            throw new IllegalStateException(what + ": " + result);
        }
    }
}
