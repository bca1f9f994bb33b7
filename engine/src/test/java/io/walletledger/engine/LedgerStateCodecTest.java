package io.walletledger.engine;

import io.walletledger.protocol.sbe.ResultCode;
import io.walletledger.protocol.CurrencyRegistry;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A state written by {@link LedgerEngine#writeState} and loaded into a new engine (with another hash seed) is
 * the same state: same hash, same bytes when written again, and the same responses to every request after it.
 * States that cannot be loaded are refused with a reason.
 */
class LedgerStateCodecTest
{
    private static final int SEEDS = 16;
    private static final int REQUESTS_PER_SEED = 240;
    private static final int STATE_EVERY = 60;

    @TestFactory
    Stream<DynamicTest> aLoadedStateBehavesExactlyAsTheOriginal()
    {
        return Arrays.stream(TestSeeds.seeds(SEEDS)).mapToObj(seed -> DynamicTest.dynamicTest(
            "seed " + seed, () -> aLoadedStateBehavesExactlyAsTheOriginal(seed)));
    }

    private static void aLoadedStateBehavesExactlyAsTheOriginal(final long seed)
    {
        final CommandGenerator generator = new CommandGenerator(new Random(seed), seed % 2 == 0)
            .withSettingsChanges();
        final List<LedgerRequest> requests = generator.generate(REQUESTS_PER_SEED);
        final TestLedger straight = new TestLedger(generator.config());
        requests.forEach(request -> request.applyTo(straight));
        final byte[] finalState = write(straight.engine);

        final TestLedger original = new TestLedger(generator.config());
        for (int step = 0; step < requests.size(); step++)
        {
            requests.get(step).applyTo(original);
            if (step % STATE_EVERY != STATE_EVERY - 1)
            {
                continue;
            }
            final String context = "seed=" + seed + " step=" + step;
            final byte[] state = write(original.engine);
            // Under the settings the state was taken with: the traffic changes them now and then.
            final TestLedger loaded = new TestLedger(TestWorkload.withHashSeed(original.engine.config(),
                seed * 31 + step));
            read(loaded.engine, state);

            assertEquals(original.stateHash(), loaded.stateHash(), context + ": hash of the loaded state");
            assertArrayEquals(state, write(loaded.engine), context + ": the loaded state writes other bytes");
            assertEquals(original.engine.accountCount(), loaded.engine.accountCount(), context);
            assertEquals(original.engine.rememberedTransferCount(), loaded.engine.rememberedTransferCount(), context);
            assertEquals(original.engine.pendingTransferCount(), loaded.engine.pendingTransferCount(), context);
            assertEquals(original.engine.lastTimestamp(), loaded.engine.lastTimestamp(), context);

            // The rest of the run, applied to a copy of the original from here on, must give the same answers.
            final TestLedger copy = new TestLedger(original.engine.config());
            read(copy.engine, state);
            for (int later = step + 1; later < requests.size(); later++)
            {
                final LedgerRequest request = requests.get(later);
                assertEquals(Arrays.asList(request.applyTo(loaded)), Arrays.asList(request.applyTo(copy)),
                    context + " later=" + later + " " + request.describe());
            }
            assertEquals(copy.stateHash(), loaded.stateHash(), context);
            // Reaching the same state by another history (through a load) writes the same bytes.
            assertArrayEquals(finalState, write(loaded.engine), context + ": final state bytes differ");
        }
    }

    @Test
    void aStateUnderOtherLimitsIsRefusedNamingTheLimit()
    {
        final LedgerConfig config = LedgerConfig.builder().accountsMax(64).idempotencyWindow(64).build();
        final byte[] state = write(new LedgerEngine(config));
        final LedgerEngine other = new LedgerEngine(
            LedgerConfig.builder().accountsMax(64).idempotencyWindow(128).build());
        final LedgerStateException ex = assertThrows(LedgerStateException.class, () -> read(other, state));
        assertTrue(ex.getMessage().contains("idempotencyWindow = 64"), ex.getMessage());
    }

    @Test
    void bytesThatAreNotAStateAreRefused()
    {
        final LedgerConfig config = LedgerConfig.builder().accountsMax(64).idempotencyWindow(64).build();
        final byte[] state = write(new LedgerEngine(config));
        state[0] ^= 1;
        final LedgerStateException ex = assertThrows(
            LedgerStateException.class, () -> read(new LedgerEngine(config), state));
        assertTrue(ex.getMessage().contains("not a ledger state"), ex.getMessage());

        state[0] ^= 1;
        state[4] = 9;
        assertTrue(assertThrows(LedgerStateException.class, () -> read(new LedgerEngine(config), state))
            .getMessage().contains("format 9"));
    }

    @Test
    void aStateThatEndsEarlyIsRefused()
    {
        final TestLedger ledger = new TestLedger(LedgerConfig.builder().accountsMax(64).idempotencyWindow(64).build());
        ledger.createAccounts(TestLedger.account(1), TestLedger.account(2));
        final byte[] state = write(ledger.engine);
        final byte[] cut = Arrays.copyOf(state, state.length - 1);
        assertThrows(LedgerStateException.class, () -> read(new LedgerEngine(ledger.engine.config()), cut));
    }

    @Test
    void anAccountIdTwiceIsRefused()
    {
        final TestLedger ledger = new TestLedger(LedgerConfig.builder().accountsMax(64).idempotencyWindow(64).build());
        ledger.createAccounts(TestLedger.account(1), TestLedger.account(2));
        final byte[] state = write(ledger.engine);
        // Give the second account record (after the header, the settings and the first 64-byte record) the first id.
        ByteBuffer.wrap(state).order(ByteOrder.LITTLE_ENDIAN).putLong(accountsOffset(state) + 64, 1);
        final LedgerStateException ex = assertThrows(
            LedgerStateException.class, () -> read(new LedgerEngine(ledger.engine.config()), state));
        assertTrue(ex.getMessage().contains("appears twice"), ex.getMessage());
    }

    @Test
    void onlyANewEngineLoadsAState()
    {
        final TestLedger ledger = new TestLedger(LedgerConfig.builder().accountsMax(64).idempotencyWindow(64).build());
        ledger.createAccounts(TestLedger.account(1));
        final byte[] state = write(ledger.engine);
        assertThrows(IllegalStateException.class, () -> read(ledger.engine, state));
    }

    @Test
    void aStateOfFormatThreeLoadsUnderTheSettingsTheLedgerWasCreatedWith()
    {
        final TestLedger ledger = new TestLedger(LedgerConfig.builder().accountsMax(64).idempotencyWindow(64).build());
        ledger.createAccounts(TestLedger.account(1), TestLedger.account(2));
        final byte[] format3 = asFormat3(write(ledger.engine));
        final LedgerConfig base = TestWorkload.withHashSeed(ledger.engine.config(), 7);
        assertEquals(base, LedgerEngine.settingsOf(source(format3), base), "a format 3 state keeps no currencies");
        final LedgerEngine loaded = new LedgerEngine(base);
        read(loaded, format3);
        assertEquals(ledger.stateHash(), loaded.stateHash());
    }

    @Test
    void aStateOfFormatFourLoadsWithoutHoldPoliciesAndTheOpenHoldsCount()
    {
        final TestLedger ledger = new TestLedger(LedgerConfig.builder().accountsMax(64).idempotencyWindow(64).build());
        ledger.createAccounts(TestLedger.account(1), TestLedger.account(2));
        assertEquals(ResultCode.OK, ledger.createTransfer(TestLedger.transfer(10, 1, 2, 5).pending()));
        assertEquals(ResultCode.OK, ledger.createTransfer(TestLedger.transfer(11, 1, 2, 5).pending()));
        final LedgerEngine loaded = new LedgerEngine(TestWorkload.withHashSeed(ledger.engine.config(), 7));
        read(loaded, asFormat4(write(ledger.engine)));
        assertEquals(ledger.stateHash(), loaded.stateHash(), "no hold policies: the same as none set");
        assertEquals(2, loaded.pendingTransferCount());

        // The open holds per account are counted again from the holds a state holds.
        assertEquals(ResultCode.OK, ledger.setSettingRaw(PolicyCommands.SETTING_HOLDS_PER_ACCOUNT_MAX, 3));
        final TestLedger restored = new TestLedger(TestWorkload.withHashSeed(ledger.engine.config(), 9));
        read(restored.engine, write(ledger.engine));
        restored.now = ledger.now;
        assertEquals(ResultCode.OK, restored.createTransfer(TestLedger.transfer(12, 1, 2, 5).pending()));
        assertEquals(ResultCode.HOLDS_PER_ACCOUNT_FULL,
            restored.createTransfer(TestLedger.transfer(13, 1, 2, 5).pending()));
    }

    @Test
    void theSettingsOfAStateAreReadWithoutLoadingIt()
    {
        final LedgerConfig config = LedgerConfig.builder().accountsMax(77).idempotencyWindow(33).pendingTransfersMax(9)
            .batchEventsMax(5).limitedAccountsMax(4).velocityDebitsMax(3)
            .currencies(CurrencyRegistry.empty().add("USD", 840, 2).add("USDC", 9901, 6).build()).build();
        final TestLedger ledger = new TestLedger(config);
        ledger.createAccounts(TestLedger.account(1));
        final LedgerConfig read = LedgerEngine.settingsOf(source(write(ledger.engine)),
            TestWorkload.withHashSeed(LedgerConfig.builder().build(), 99));
        assertEquals(77, read.accountsMax());
        assertEquals(33, read.idempotencyWindow());
        assertEquals(9, read.pendingTransfersMax());
        assertEquals(5, read.batchEventsMax());
        assertEquals(4, read.limitedAccountsMax());
        assertEquals(3, read.velocityDebitsMax());
        assertEquals(java.util.Set.copyOf(config.currencies().currencies()),
            java.util.Set.copyOf(read.currencies().currencies()));
        assertEquals(99, read.hashSeed());
        final LedgerEngine other = new LedgerEngine(LedgerConfig.builder().accountsMax(77).idempotencyWindow(33)
            .pendingTransfersMax(9).batchEventsMax(5).limitedAccountsMax(4).velocityDebitsMax(3).build());
        final LedgerStateException refused =
            assertThrows(LedgerStateException.class, () -> read(other, write(ledger.engine)));
        assertTrue(refused.isLimitsMismatch() && refused.getMessage().contains("currencies"), refused.getMessage());
    }

    /**
     * @return where the account records of a state start: after its header and its settings.
     */
    static int accountsOffset(final byte[] state)
    {
        final int currencies = ByteBuffer.wrap(state).order(ByteOrder.LITTLE_ENDIAN)
            .getInt(LedgerStateCodec.HEADER_LENGTH + 8);
        return LedgerStateCodec.HEADER_LENGTH + LedgerStateCodec.SETTINGS_LENGTH +
            currencies * LedgerStateCodec.CURRENCY_LENGTH;
    }

    /**
     * @return the state as format 4 wrote it: a policy header without the hold policies.
     */
    static byte[] asFormat4(final byte[] state)
    {
        final ByteBuffer bytes = ByteBuffer.wrap(state).order(ByteOrder.LITTLE_ENDIAN);
        final int policies = accountsOffset(state) + bytes.getInt(32) * AccountDescriptor.RECORD_LENGTH +
            (bytes.getInt(36) + bytes.getInt(40)) * TransferDescriptor.RECORD_LENGTH;
        final int holdPolicies = policies + LedgerStateCodec.POLICY_HEADER_LENGTH_V4;
        final int removed = LedgerStateCodec.POLICY_HEADER_LENGTH - LedgerStateCodec.POLICY_HEADER_LENGTH_V4;
        final byte[] old = new byte[state.length - removed];
        System.arraycopy(state, 0, old, 0, holdPolicies);
        System.arraycopy(state, holdPolicies + removed, old, holdPolicies, state.length - holdPolicies - removed);
        ByteBuffer.wrap(old).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 4);
        return old;
    }

    /**
     * @return the state as format 3 wrote it: without the settings after the header, nor the hold policies.
     */
    static byte[] asFormat3(final byte[] newer)
    {
        final byte[] state = asFormat4(newer);
        final int accounts = accountsOffset(state);
        final byte[] old = new byte[state.length - (accounts - LedgerStateCodec.HEADER_LENGTH)];
        System.arraycopy(state, 0, old, 0, LedgerStateCodec.HEADER_LENGTH);
        System.arraycopy(state, accounts, old, LedgerStateCodec.HEADER_LENGTH, state.length - accounts);
        ByteBuffer.wrap(old).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 3);
        return old;
    }

    private static LedgerStateSource source(final byte[] state)
    {
        final ByteBuffer bytes = ByteBuffer.wrap(state);
        return into ->
        {
            final int length = Math.min(into.remaining(), bytes.remaining());
            into.put(bytes.slice(bytes.position(), length));
            bytes.position(bytes.position() + length);
        };
    }

    static byte[] write(final LedgerEngine engine)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        engine.writeState(chunk ->
        {
            final byte[] bytes = new byte[chunk.remaining()];
            chunk.get(bytes);
            out.writeBytes(bytes);
        });
        return out.toByteArray();
    }

    static void read(final LedgerEngine engine, final byte[] state)
    {
        final ByteBuffer source = ByteBuffer.wrap(state);
        engine.readState(into ->
        {
            final int length = Math.min(into.remaining(), source.remaining());
            final ByteBuffer slice = source.slice();
            slice.limit(length);
            into.put(slice);
            source.position(source.position() + length);
        });
    }
}
