package io.walletledger.client;

import io.walletledger.client.example.WalletExample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WalletExampleTest
{
    @TempDir
    Path data;

    @Test
    void theExampleRunsAgainstARealServerAndMovesTheMoney()
    {
        try (LoopbackLedger ledger = LoopbackLedger.start(data))
        {
            final ByteArrayOutputStream printed = new ByteArrayOutputStream();
            final PrintStream original = System.out;
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            try
            {
                WalletExample.main(new String[]{"127.0.0.1", String.valueOf(ledger.port())});
            }
            finally
            {
                System.setOut(original);
            }
            final String output = printed.toString(StandardCharsets.UTF_8);
            assertTrue(output.contains("account 1001: balance 74.50 USD, available 74.50"), output);

            try (WalletClient client = WalletClient.connect("127.0.0.1", ledger.port()))
            {
                final List<AccountRecord> accounts = client.lookupAccountsSync(WalletExample.SETTLEMENT_ACCOUNT_ID,
                    WalletExample.ALICE_ACCOUNT_ID, WalletExample.BOB_ACCOUNT_ID);
                assertEquals(3, accounts.size());
                assertEquals(-WalletExample.FUNDING_AMOUNT, accounts.get(0).balance());
                assertEquals(WalletExample.FUNDING_AMOUNT - WalletExample.PAYMENT_AMOUNT, accounts.get(1).balance());
                assertEquals(WalletExample.PAYMENT_AMOUNT, accounts.get(2).balance());
            }
        }
    }
}
