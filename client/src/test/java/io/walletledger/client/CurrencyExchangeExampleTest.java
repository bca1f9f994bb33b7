package io.walletledger.client;

import io.walletledger.client.example.CurrencyExchangeExample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static io.walletledger.client.example.CurrencyExchangeExample.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CurrencyExchangeExampleTest
{
    @TempDir
    Path data;

    @Test
    void exchangesThroughTheDesksAtTheCallersRateAndRefusesACrossCurrencyTransfer()
    {
        try (LoopbackLedger ledger = LoopbackLedger.start(data))
        {
            final ByteArrayOutputStream printed = new ByteArrayOutputStream();
            final PrintStream original = System.out;
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            try
            {
                CurrencyExchangeExample.main(new String[]{"127.0.0.1", String.valueOf(ledger.port())});
            }
            finally
            {
                System.setOut(original);
            }
            final String output = printed.toString(StandardCharsets.UTF_8);
            assertTrue(output.contains("a single USD to EUR transfer: ACCOUNTS_MUST_HAVE_THE_SAME_CURRENCY"), output);
            assertTrue(output.contains("account 2201: balance 92.00 EUR"), output);

            try (WalletClient client = WalletClient.connect("127.0.0.1", ledger.port()))
            {
                final List<AccountRecord> accounts =
                    client.lookupAccountsSync(ALICE_USD_ID, ALICE_EUR_ID, FX_DESK_USD_ID, FX_DESK_EUR_ID);
                assertEquals(FUNDING_CENTS - CONVERTED_CENTS, accounts.get(0).balance());
                assertEquals(92_00, accounts.get(1).balance());
                assertEquals(CONVERTED_CENTS, accounts.get(2).balance());
                assertEquals(DESK_EUR_CENTS - 92_00, accounts.get(3).balance());
            }
        }
    }
}
