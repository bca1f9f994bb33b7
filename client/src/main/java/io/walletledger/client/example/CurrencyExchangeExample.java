package io.walletledger.client.example;

import io.walletledger.client.Account;
import io.walletledger.client.AccountRecord;
import io.walletledger.client.Transfer;
import io.walletledger.client.TransferIds;
import io.walletledger.client.WalletClient;
import io.walletledger.protocol.Currency;
import io.walletledger.protocol.CurrencyRegistry;
import io.walletledger.protocol.sbe.ResultCode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * Currency exchange the ledger's way: the engine moves money only within one currency, so converting is two
 * transfers in one linked chain through FX-desk accounts, one per currency, at a rate the caller supplies:
 *
 * <pre>
 *   leg 1 (linked): Alice's USD wallet  ──100.00 USD──►  FX desk USD
 *   leg 2:          FX desk EUR         ── 92.00 EUR──►  Alice's EUR wallet
 * </pre>
 *
 * Both legs apply or neither does: if Alice lacks the dollars or the desk lacks the euros, nothing moves. The desk
 * accounts carry the firm's position in each currency (the USD desk gains what the EUR desk pays out, at the
 * rate). A single transfer between currencies is refused with {@code ACCOUNTS_MUST_HAVE_THE_SAME_CURRENCY}.
 * Run it against a server's binary port:
 *
 * <pre>
 *   java -cp ... io.walletledger.client.example.CurrencyExchangeExample [host [port]]     (default 127.0.0.1 7070)
 * </pre>
 */
public final class CurrencyExchangeExample
{
    public static final long USD_SETTLEMENT_ID = 2_000;
    public static final long EUR_SETTLEMENT_ID = 2_001;
    /** The FX desks: no balance limits, like settlement accounts. */
    public static final long FX_DESK_USD_ID = 2_100;
    public static final long FX_DESK_EUR_ID = 2_101;
    public static final long ALICE_USD_ID = 2_200;
    public static final long ALICE_EUR_ID = 2_201;
    /** Alice's dollars, in cents. */
    public static final long FUNDING_CENTS = 250_00;
    /** The desk's euro liquidity, in cents. */
    public static final long DESK_EUR_CENTS = 10_000_00;
    /** What Alice converts, in cents. */
    public static final long CONVERTED_CENTS = 100_00;
    /** EUR per USD, supplied by the caller (a quote from the firm's pricing, not the ledger's business). */
    public static final BigDecimal RATE = new BigDecimal("0.92");

    private static final int FX_CODE = 30;

    private CurrencyExchangeExample()
    {
    }

    /**
     * @param args optional host and port of the server's binary gateway.
     * @throws IllegalStateException if the ledger refuses an account or a transfer.
     */
    public static void main(final String[] args)
    {
        final String host = args.length > 0 ? args[0] : "127.0.0.1";
        final int port = args.length > 1 ? Integer.parseInt(args[1]) : 7070;
        final CurrencyRegistry registry = CurrencyRegistry.withIsoDefaults().build();
        final Currency usd = registry.byAlphaCode("USD");
        final Currency eur = registry.byAlphaCode("EUR");

        try (WalletClient client = WalletClient.connect(host, port))
        {
            final List<Account> accounts = List.of(
                Account.unrestricted(USD_SETTLEMENT_ID, usd.numericCode()),
                Account.unrestricted(EUR_SETTLEMENT_ID, eur.numericCode()),
                Account.unrestricted(FX_DESK_USD_ID, usd.numericCode()),
                Account.unrestricted(FX_DESK_EUR_ID, eur.numericCode()),
                Account.wallet(ALICE_USD_ID, usd.numericCode()),
                Account.wallet(ALICE_EUR_ID, eur.numericCode()));
            final List<ResultCode> created = client.createAccountsSync(accounts);
            for (int i = 0; i < created.size(); i++)
            {
                if (created.get(i) != ResultCode.OK && created.get(i) != ResultCode.EXISTS)
                {
                    throw new IllegalStateException("account " + accounts.get(i).id() + ": " + created.get(i));
                }
            }

            final TransferIds ids = new TransferIds();
            require("funding", client.createTransfersSync(List.of(
                Transfer.of(ids.next(), USD_SETTLEMENT_ID, ALICE_USD_ID, FUNDING_CENTS, usd.numericCode()),
                Transfer.of(ids.next(), EUR_SETTLEMENT_ID, FX_DESK_EUR_ID, DESK_EUR_CENTS, eur.numericCode()))));

            // The caller converts at its rate and rounds in the firm's favour; the ledger only moves whole cents.
            final long euroCents = new BigDecimal(CONVERTED_CENTS).multiply(RATE).setScale(0, RoundingMode.DOWN)
                .longValueExact();
            final Transfer sell = Transfer.builder(ids.next()).debitAccountId(ALICE_USD_ID).creditAccountId(FX_DESK_USD_ID)
                .amount(CONVERTED_CENTS).currency(usd.numericCode()).code(FX_CODE).linked(true).build();
            final Transfer buy = Transfer.builder(ids.next()).debitAccountId(FX_DESK_EUR_ID).creditAccountId(ALICE_EUR_ID)
                .amount(euroCents).currency(eur.numericCode()).code(FX_CODE).build();
            require("exchange", client.createTransfersSync(List.of(sell, buy)));

            // Across currencies in one transfer: refused, nothing moves.
            final ResultCode direct = client.createTransferSync(
                Transfer.of(ids.next(), ALICE_USD_ID, ALICE_EUR_ID, 1, usd.numericCode()));
            System.out.println("a single USD to EUR transfer: " + direct);

            for (final AccountRecord account : client.lookupAccountsSync(ALICE_USD_ID, ALICE_EUR_ID, FX_DESK_USD_ID,
                FX_DESK_EUR_ID))
            {
                final Currency currency = registry.byNumericCode(account.currency());
                System.out.printf("account %d: balance %s %s%n", account.id(),
                    currency.toMajorUnits(account.balance()).toPlainString(), currency.alphaCode());
            }
        }
    }

    private static void require(final String what, final List<ResultCode> results)
    {
        for (final ResultCode result : results)
        {
            if (result != ResultCode.OK)
            {
                throw new IllegalStateException(what + ": " + results);
            }
        }
    }
}
