package io.walletledger.engine;

import io.walletledger.protocol.CurrencyRegistry;
import io.walletledger.protocol.sbe.ResultCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static io.walletledger.engine.TestLedger.EUR;
import static io.walletledger.engine.TestLedger.USD;
import static io.walletledger.engine.TestLedger.account;
import static io.walletledger.engine.TestLedger.transfer;
import static io.walletledger.protocol.sbe.ResultCode.OK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code SetLedgerSettings}: capacities grow (or shrink to what is in use), the window grows, currencies are added;
 * a change the ledger cannot take is answered and changes nothing; what follows is decided under the new settings,
 * identically when the same commands are replayed into a fresh engine; and the state's snapshot loads under them.
 */
class LedgerSettingsTest
{
    /** The result codes these tests cover, for {@link ResultCodesTest#everyResultCodeIsCovered()}. */
    static final Set<ResultCode> SETTINGS_CODES = EnumSet.of(
        ResultCode.CAPACITY_BELOW_USE, ResultCode.CURRENCY_IN_USE, ResultCode.SETTING_NOT_CHANGEABLE);

    private static final CurrencyRegistry USD_ONLY = CurrencyRegistry.empty().add("USD", USD, 2).build();
    private static final LedgerConfig SMALL = LedgerConfig.builder().accountsMax(4).idempotencyWindow(8)
        .pendingTransfersMax(2).batchEventsMax(16).limitedAccountsMax(2).currencies(USD_ONLY).build();

    private TestLedger ledger;
    private List<TestLedger.JournalEntry> journal;

    @BeforeEach
    void setUp()
    {
        ledger = new TestLedger(SMALL);
        journal = ledger.record();
        assertArrayEquals(new ResultCode[] {OK, OK, OK}, ledger.createAccounts(account(1), account(2).noOverdraft(),
            account(3).noOverdraft()));
        assertEquals(OK, ledger.createTransfer(transfer(100, 1, 2, 1_000)));
    }

    @Test
    void growingCapacitiesAndAddingACurrencyTakeEffectAtOnceAndReplayTheSame()
    {
        assertArrayEquals(new ResultCode[] {OK, ResultCode.ACCOUNTS_FULL}, ledger.createAccounts(account(4),
            account(5)));
        assertArrayEquals(new ResultCode[] {ResultCode.CURRENCY_UNKNOWN}, ledger.createAccounts(account(20)
            .currency(EUR)));
        final LedgerConfig larger = with(SMALL).accountsMax(64).idempotencyWindow(32).pendingTransfersMax(8)
            .currencies(CurrencyRegistry.empty().add("USD", USD, 2).add("EUR", EUR, 2).build()).build();

        assertEquals(OK, ledger.setLedgerSettings(larger));

        assertEquals(larger.accountsMax(), ledger.engine.config().accountsMax());
        assertArrayEquals(new ResultCode[] {OK, OK}, ledger.createAccounts(account(5), account(20).currency(EUR)));
        assertEquals(ResultCode.EXISTS, ledger.createTransfer(transfer(100, 1, 2, 1_000)),
            "a transfer remembered before the move is still recognised");
        assertEquals(1_000, ledger.lookupAccount(2).creditsPosted(), "balances moved with the state");
        for (int i = 0; i < 3; i++)
        {
            assertEquals(OK, ledger.createTransfer(transfer(200 + i, 1, 3, 10).pending().timeout(60)),
                "more holds than the old capacity of 2");
        }

        final TestLedger replayed = new TestLedger(SMALL);
        replayed.replay(journal);
        assertEquals(ledger.stateHash(), replayed.stateHash(), "a replay changes the settings at the same place");
        assertEquals(larger.accountsMax(), replayed.engine.config().accountsMax());

        final TestLedger loaded = new TestLedger(with(larger).hashSeed(99).build());
        loaded.engine.readState(stateOf(ledger.engine));
        assertEquals(ledger.stateHash(), loaded.stateHash(), "the state's snapshot loads under the new settings");
    }

    @Test
    void aChangeTheLedgerCannotTakeIsAnsweredAndChangesNothing()
    {
        assertArrayEquals(new ResultCode[] {OK}, ledger.createAccounts(account(4)));
        final long before = ledger.stateHash();
        assertEquals(ResultCode.CAPACITY_BELOW_USE, ledger.setLedgerSettings(with(SMALL).accountsMax(3).build()),
            "four accounts exist");
        assertEquals(ResultCode.CAPACITY_BELOW_USE, ledger.setLedgerSettings(with(SMALL).idempotencyWindow(4)
            .build()), "the window may only grow");
        assertEquals(ResultCode.CURRENCY_IN_USE, ledger.setLedgerSettings(with(SMALL)
            .currencies(CurrencyRegistry.empty().add("EUR", EUR, 2).build()).build()));
        assertEquals(ResultCode.CURRENCY_IN_USE, ledger.setLedgerSettings(with(SMALL)
            .currencies(CurrencyRegistry.empty().add("USD", USD, 3).build()).build()), "the exponent of a used one");
        assertEquals(ResultCode.SETTING_NOT_CHANGEABLE, ledger.setLedgerSettings(with(SMALL).batchEventsMax(32)
            .build()));
        assertEquals(ResultCode.SETTING_NOT_CHANGEABLE, ledger.setLedgerSettings(with(SMALL).velocityDebitsMax(8)
            .build()));
        assertEquals(before, ledger.stateHash());
        assertEquals(SMALL.accountsMax(), ledger.engine.config().accountsMax());
    }

    @Test
    void capacitiesShrinkToWhatIsInUseAndAnUnusedCurrencyMayGo()
    {
        final LedgerConfig twoCurrencies = with(SMALL)
            .currencies(CurrencyRegistry.empty().add("USD", USD, 2).add("EUR", EUR, 2).build()).build();
        assertEquals(OK, ledger.setLedgerSettings(twoCurrencies));
        assertEquals(OK, ledger.setLedgerSettings(with(SMALL).accountsMax(3).pendingTransfersMax(1).build()));
        assertArrayEquals(new ResultCode[] {ResultCode.ACCOUNTS_FULL}, ledger.createAccounts(account(4)));
        assertArrayEquals(new ResultCode[] {ResultCode.CURRENCY_UNKNOWN}, ledger.createAccounts(account(20)
            .currency(EUR)));
        final long hash = ledger.stateHash();
        assertEquals(OK, ledger.setLedgerSettings(ledger.engine.config()), "the same settings again: nothing moves");
        assertEquals(hash, ledger.stateHash());
    }

    @Test
    void anEngineThatReportsToARecordKeepsReportingAfterTheMove()
    {
        final TestLedger reporting = new TestLedger(SMALL);
        final StringBuilder reported = new StringBuilder();
        reporting.engine.appliedTransferListener((transfer) -> reported.append(transfer.idLo()).append(' '));
        reporting.createAccounts(account(1), account(2));
        assertEquals(OK, reporting.createTransfer(transfer(7, 1, 2, 5)));
        assertEquals(OK, reporting.setLedgerSettings(with(SMALL).accountsMax(16).build()));
        assertEquals(OK, reporting.createTransfer(transfer(8, 1, 2, 5)));
        assertEquals("7 8 ", reported.toString());
    }

    private static LedgerConfig.Builder with(final LedgerConfig config)
    {
        return LedgerConfig.builder().accountsMax(config.accountsMax()).idempotencyWindow(config.idempotencyWindow())
            .pendingTransfersMax(config.pendingTransfersMax()).batchEventsMax(config.batchEventsMax())
            .limitedAccountsMax(config.limitedAccountsMax()).velocityDebitsMax(config.velocityDebitsMax())
            .currencies(config.currencies());
    }

    private static LedgerStateSource stateOf(final LedgerEngine engine)
    {
        final LedgerStateCodec.InMemory state = new LedgerStateCodec.InMemory(engine.stateLength());
        engine.writeState(state);
        return state.source();
    }
}
