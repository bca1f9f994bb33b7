package io.walletledger.engine;

import io.walletledger.protocol.sbe.ResultCode;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;

import static io.walletledger.engine.TestLedger.account;
import static io.walletledger.engine.TestLedger.transfer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The invariant switch catches a broken state: each test corrupts the ledger behind the engine's back, as a bug
 * would, and the next event halts the engine with an {@link IllegalStateException} that says what is wrong.
 */
class LedgerInvariantsTest
{
    private static final long SETTLEMENT = 1;
    private static final long WALLET = 2;
    private static final long OTHER = 3;

    private final TestLedger ledger = new TestLedger();
    private final Accounts accounts = ledger.engine.ledger().accounts();

    @Test
    void theBuildTurnsTheChecksOnForEveryTest()
    {
        assertTrue(LedgerInvariants.ENABLED, "the test JVMs run with -Dio.walletledger.engine.invariants=true (parent pom)");
    }

    @Test
    void aCreditFromNowhereHaltsTheEngineAtTheNextEvent()
    {
        fundedLedger();
        accounts.creditsPosted(slot(OTHER), accounts.creditsPosted(slot(OTHER)) + 5);

        assertHalts("posted debits and credits of currency 840 differ by -5", transfer(101, SETTLEMENT, OTHER, 1));
    }

    @Test
    void pendingBalancesWithoutAHoldHaltTheEngine()
    {
        fundedLedger();
        // Conserved (both sides grow by the same amount) but no hold says so.
        accounts.debitsPending(slot(WALLET), 7);
        accounts.creditsPending(slot(OTHER), 7);

        assertHalts("pending balances other than its open holds", transfer(101, SETTLEMENT, OTHER, 1));
    }

    @Test
    void anOverdrawnWalletHaltsTheEngine()
    {
        fundedLedger();
        final int wallet = slot(WALLET);
        final int other = slot(OTHER);
        accounts.debitsPosted(wallet, accounts.creditsPosted(wallet) + 1);
        accounts.creditsPosted(other, accounts.creditsPosted(other) + accounts.debitsPosted(wallet));

        assertHalts("has debits above its posted credits", transfer(101, SETTLEMENT, OTHER, 1));
    }

    @Test
    void aNegativeBalanceHaltsTheEngine()
    {
        fundedLedger();
        accounts.debitsPosted(slot(OTHER), -1);

        assertHalts("has a negative balance", transfer(101, SETTLEMENT, OTHER, 1));
    }

    @Test
    void pendingBalancesBeyondTheHoldsHaltTheEngineWhenTheHoldsExpire()
    {
        fundedLedger();
        assertEquals(ResultCode.OK, ledger.createTransfer(transfer(101, WALLET, OTHER, 10).pending().timeout(1)));
        accounts.debitsPending(slot(WALLET), 15);
        accounts.creditsPending(slot(OTHER), 15);

        ledger.advanceSeconds(2);
        final IllegalStateException halted = assertThrows(IllegalStateException.class,
            () -> ledger.createTransfer(transfer(102, SETTLEMENT, OTHER, 1)));
        assertTrue(halted.getMessage().contains("expiring the holds due") &&
            halted.getMessage().contains("pending balances other than its open holds"), halted.getMessage());
    }

    @Test
    void inALargeLedgerACorruptedAccountTheNextEventDoesNotTouchIsStillCaught()
    {
        final int count = LedgerInvariants.WHOLE_LEDGER_ACCOUNTS_MAX + 36;
        final TestLedger.Account[] many = new TestLedger.Account[count];
        for (int i = 0; i < count; i++)
        {
            many[i] = account(100 + i);
        }
        fundedLedger();
        assertEquals(ResultCode.OK, ledger.createAccounts(many)[count - 1]);
        accounts.creditsPosted(slot(150), 3);

        assertHalts("differ by -3", transfer(101, SETTLEMENT, OTHER, 1));
    }

    @Test
    void inASmallLedgerAWriteThatBypassesTheStoresIsCaught()
    {
        fundedLedger();
        final int at = slot(OTHER) * AccountDescriptor.RECORD_LENGTH + AccountDescriptor.CREDITS_POSTED_OFFSET;
        accounts.records().putLong(at, accounts.records().getLong(at, ByteOrder.LITTLE_ENDIAN) + 4,
            ByteOrder.LITTLE_ENDIAN);

        assertHalts("differ by -4", transfer(101, SETTLEMENT, WALLET, 1));
    }

    @Test
    void aRolledBackChainLeavesNothingToComplainAbout()
    {
        fundedLedger();
        assertArrayEquals(new ResultCode[] {ResultCode.LINKED_EVENT_FAILED, ResultCode.LINKED_EVENT_FAILED,
            ResultCode.EXCEEDS_CREDITS},
            ledger.createTransfers(
                transfer(101, WALLET, OTHER, 10).pending().linked(),
                transfer(102, SETTLEMENT, WALLET, 5).linked(),
                transfer(103, WALLET, OTHER, 1_000_000)));
        assertEquals(ResultCode.OK, ledger.createTransfer(transfer(104, WALLET, OTHER, 10)));
        assertEquals(990, ledger.lookupAccount(WALLET).balance());
    }

    private void fundedLedger()
    {
        assertArrayEquals(new ResultCode[] {ResultCode.OK, ResultCode.OK, ResultCode.OK},
            ledger.createAccounts(account(SETTLEMENT), account(WALLET).noOverdraft(), account(OTHER)));
        assertEquals(ResultCode.OK, ledger.createTransfer(transfer(100, SETTLEMENT, WALLET, 1000)));
    }

    private int slot(final long id)
    {
        return accounts.slotOf(id);
    }

    private void assertHalts(final String expected, final TestLedger.Transfer next)
    {
        final IllegalStateException halted = assertThrows(IllegalStateException.class, () -> ledger.createTransfer(next));
        assertTrue(halted.getMessage().contains(expected), halted.getMessage());
    }
}
