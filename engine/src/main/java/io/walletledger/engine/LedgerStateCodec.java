package io.walletledger.engine;

import io.walletledger.protocol.Currency;
import io.walletledger.protocol.CurrencyRegistry;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The serialized form of the whole ledger state, for snapshots: what {@link StateHasher} hashes, in the same
 * order, and nothing that depends on the process (index layouts, id hashes, slot numbers of holds), so two
 * engines in the same state write the same bytes whatever their hash seeds.
 *
 * <pre>
 *  header (48 bytes, little-endian)
 *    0  magic "WLST" (i32)           4  format version (i32)
 *    8  accountsMax (i32)           12  idempotencyWindow (i32)
 *   16  pendingTransfersMax (i32)   20  batchEventsMax (i32)
 *   24  lastTimestamp (i64)         32  account count (i32)
 *   36  remembered transfer count   40  open hold count (i32)     44  reserved, zero
 *  settings (format 4 on), right after the header: limitedAccountsMax (i32), velocityDebitsMax (i32), currency
 *                count (i32), reserved (i32), then per currency, by numeric code, 16 bytes: numeric code (u16),
 *                exponent (u8), reserved (u8), alphabetic code (12 bytes, ASCII, zero-padded). With the header's four limits,
 *                the settings the state was taken under, which {@link #settingsOf} reads without loading the state.
 *  accounts      count x 64-byte AccountDescriptor records, in creation order
 *  remembered    count x 128-byte TransferDescriptor records, oldest first, id hash zero
 *  holds         count x 128-byte TransferDescriptor records, in creation order, id hash zero
 *  policies (format 2 on; a format 1 state has none)
 *    header (48 bytes)  limitedAccountsMax (i32), velocityDebitsMax (i32), dayStartSeconds (i32),
 *                       fee count (i32), threshold count (i32), code limits count (i32), limits record count (i32),
 *                       reserved (i32), configDigest (i64), then from format 5 on holdsPerAccountMax (i32) and
 *                       holdTimeoutMaxSeconds (u32); formats 2 to 4 end at configDigest (40 bytes, no hold policies)
 *    fees               count x 48 bytes, by key: key (i32), basisPoints (i32), fixed, minimum, maximum, feeAccountId
 *    thresholds         count x 16 bytes, by currency: currency (i32), reserved (i32), threshold (i64)
 *    code limits        count x 32 bytes, by code: code (i32), velocityDebits (i32), velocityWindow (i32),
 *                       reserved (i32), transferAmountLimit (i64), dailyDebitLimit (i64)
 *    limits records     count x AccountLimits records, in creation order
 *  forgotten (format 3 on; 24 bytes): the window's forgotten horizon: the timestamp of the newest transfer it
 *                     evicted (i64), the largest id it evicted (lo, hi; u64 each). A state of format 1 or 2 loads
 *                     only if its window never filled (then nothing was evicted); else it is refused, and recovery
 *                     rebuilds the state from the journal, which gives the horizon exactly.
 * </pre>
 *
 * The settings (the limits and, from format 4, the currencies) are part of the state because they decide outcomes
 * (a full ledger refuses accounts, the window decides which retries are recognised, an unknown currency refuses): a
 * state is loaded only into an engine with the same settings, or moved into one with new settings that fit it
 * ({@link #readUnder}).
 */
final class LedgerStateCodec
{
    static final int MAGIC = 0x5453_4C57; // "WLST" read as a little-endian int
    static final int FORMAT_VERSION = 5;
    static final int SETTINGS_LENGTH = 16;
    static final int CURRENCY_LENGTH = 16;
    private static final int ALPHA_LENGTH = 12;
    static final int FORGOTTEN_LENGTH = 24;
    static final int HEADER_LENGTH = 48;
    static final int POLICY_HEADER_LENGTH = 48;
    /** The policy header of formats 2 to 4, without the hold policies. */
    static final int POLICY_HEADER_LENGTH_V4 = 40;
    static final int FEE_LENGTH = 48;
    static final int THRESHOLD_LENGTH = 16;
    static final int CODE_LIMITS_LENGTH = 32;

    private static final int CHUNK_LENGTH = 1 << 20;
    private static final int TRANSFER_LENGTH = TransferDescriptor.RECORD_LENGTH;
    private static final int ACCOUNT_LENGTH = AccountDescriptor.RECORD_LENGTH;

    private final LedgerConfig config;
    private final Ledger ledger;
    private ByteBuffer chunk;
    private UnsafeBuffer chunkBuffer;

    LedgerStateCodec(final LedgerConfig config, final Ledger ledger)
    {
        this.config = config;
        this.ledger = ledger;
    }

    long length()
    {
        final Policies policies = ledger.policies();
        final AccountLimits limits = ledger.limits();
        return HEADER_LENGTH + SETTINGS_LENGTH + (long)config.currencies().currencies().size() * CURRENCY_LENGTH +
            (long)ledger.accounts().count() * ACCOUNT_LENGTH +
            ((long)ledger.history().count() + ledger.pending().count()) * TRANSFER_LENGTH +
            POLICY_HEADER_LENGTH + (long)policies.feeCount * FEE_LENGTH + (long)policies.thresholdCount * THRESHOLD_LENGTH +
            (long)policies.limitsCount * CODE_LIMITS_LENGTH + (long)limits.count() * limits.recordLength() +
            FORGOTTEN_LENGTH;
    }

    void write(final LedgerStateSink sink)
    {
        ensureChunk();
        final Accounts accounts = ledger.accounts();
        final TransferHistory history = ledger.history();
        final PendingTransfers pending = ledger.pending();

        final UnsafeBuffer out = chunkBuffer;
        out.setMemory(0, HEADER_LENGTH, (byte)0);
        out.putInt(0, MAGIC);
        out.putInt(4, FORMAT_VERSION);
        out.putInt(8, config.accountsMax());
        out.putInt(12, config.idempotencyWindow());
        out.putInt(16, config.pendingTransfersMax());
        out.putInt(20, config.batchEventsMax());
        out.putLong(24, ledger.lastTimestamp());
        out.putInt(32, accounts.count());
        out.putInt(36, history.count());
        out.putInt(40, pending.count());
        int used = writeSettings(sink, HEADER_LENGTH);

        final UnsafeBuffer accountRecords = accounts.records();
        for (int slot = 0, count = accounts.count(); slot < count; slot++)
        {
            used = makeRoom(sink, used, ACCOUNT_LENGTH);
            out.putBytes(used, accountRecords, slot * ACCOUNT_LENGTH, ACCOUNT_LENGTH);
            used += ACCOUNT_LENGTH;
        }

        final UnsafeBuffer historyRecords = history.records().buffer();
        for (int i = 0, count = history.count(); i < count; i++)
        {
            used = makeRoom(sink, used, TRANSFER_LENGTH);
            used = putTransfer(out, used, historyRecords, history.slotAt(i));
        }

        // Holds in creation order (timestamps are unique), not slot order: slots depend on the engine's history.
        final UnsafeBuffer pendingRecords = pending.records().buffer();
        final TransferRecords holdRecords = pending.records();
        final Integer[] holds = new Integer[pending.count()];
        for (int slot = 0, capacity = pending.capacity(), i = 0; slot < capacity; slot++)
        {
            if (pending.isInUse(slot))
            {
                holds[i++] = slot;
            }
        }
        Arrays.sort(holds, Comparator.comparingLong(holdRecords::timestamp));
        for (final int slot : holds)
        {
            used = makeRoom(sink, used, TRANSFER_LENGTH);
            used = putTransfer(out, used, pendingRecords, slot);
        }
        used = writePolicies(sink, used);
        used = makeRoom(sink, used, FORGOTTEN_LENGTH);
        out.putLong(used, history.forgottenTimestamp());
        out.putLong(used + 8, history.forgottenIdLo());
        out.putLong(used + 16, history.forgottenIdHi());
        used += FORGOTTEN_LENGTH;
        flush(sink, used);
    }

    private int writeSettings(final LedgerStateSink sink, final int start)
    {
        final UnsafeBuffer out = chunkBuffer;
        final Currency[] currencies = sortedCurrencies(config.currencies());
        int used = makeRoom(sink, start, SETTINGS_LENGTH);
        out.putInt(used, config.limitedAccountsMax());
        out.putInt(used + 4, config.velocityDebitsMax());
        out.putInt(used + 8, currencies.length);
        out.putInt(used + 12, 0);
        used += SETTINGS_LENGTH;
        for (final Currency currency : currencies)
        {
            used = makeRoom(sink, used, CURRENCY_LENGTH);
            out.putShort(used, (short)currency.numericCode());
            out.putByte(used + 2, (byte)currency.exponent());
            out.putByte(used + 3, (byte)0);
            out.setMemory(used + 4, ALPHA_LENGTH, (byte)0);
            out.putStringWithoutLengthAscii(used + 4, currency.alphaCode());
            used += CURRENCY_LENGTH;
        }
        return used;
    }

    private static Currency[] sortedCurrencies(final CurrencyRegistry registry)
    {
        final Currency[] currencies = registry.currencies().toArray(new Currency[0]);
        Arrays.sort(currencies, Comparator.comparingInt(Currency::numericCode));
        return currencies;
    }

    /**
     * @return the settings a state was taken under (its limits and currencies), with {@code base}'s hash seed; or
     * {@code base} itself for a state of a format before 4, which keeps no currencies (a ledger then never changed
     * its settings, so it runs under those it was created with). Reads only the start of the state.
     * @throws LedgerStateException if the bytes are not a state's start.
     */
    static LedgerConfig settingsOf(final LedgerStateSource source, final LedgerConfig base)
    {
        final ByteBuffer start = ByteBuffer.allocate(HEADER_LENGTH + SETTINGS_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        source.readFully(start);
        if (start.hasRemaining() || start.getInt(0) != MAGIC)
        {
            throw new LedgerStateException("not a ledger state: too short or no magic");
        }
        final int format = start.getInt(4);
        if (format < 4)
        {
            return base;
        }
        final int count = start.getInt(HEADER_LENGTH + 8);
        if (count < 0 || count > io.walletledger.protocol.ProtocolLimits.CURRENCIES_MAX)
        {
            throw new LedgerStateException("a ledger state with " + count + " currencies");
        }
        final ByteBuffer entries = ByteBuffer.allocate(count * CURRENCY_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        source.readFully(entries);
        if (entries.hasRemaining())
        {
            throw new LedgerStateException("the state ends in its currencies");
        }
        try
        {
            return LedgerConfig.builder()
                .accountsMax(start.getInt(8))
                .idempotencyWindow(start.getInt(12))
                .pendingTransfersMax(start.getInt(16))
                .batchEventsMax(start.getInt(20))
                .limitedAccountsMax(start.getInt(HEADER_LENGTH))
                .velocityDebitsMax(start.getInt(HEADER_LENGTH + 4))
                .currencies(currencies(new UnsafeBuffer(entries), 0, count))
                .hashSeed(base.hashSeed())
                .build();
        }
        catch (final IllegalArgumentException ex)
        {
            throw new LedgerStateException("the state's settings are not valid: " + ex.getMessage());
        }
    }

    private static CurrencyRegistry currencies(final DirectBuffer in, final int offset, final int count)
    {
        final CurrencyRegistry.Builder registry = CurrencyRegistry.empty();
        for (int i = 0; i < count; i++)
        {
            final int at = offset + i * CURRENCY_LENGTH;
            final byte[] alpha = new byte[ALPHA_LENGTH];
            in.getBytes(at + 4, alpha);
            int length = 0;
            while (length < alpha.length && alpha[length] != 0)
            {
                length++;
            }
            registry.add(new String(alpha, 0, length, java.nio.charset.StandardCharsets.US_ASCII),
                in.getShort(at) & 0xFFFF, in.getByte(at + 2) & 0xFF);
        }
        return registry.build();
    }

    private int writePolicies(final LedgerStateSink sink, final int start)
    {
        final Policies policies = ledger.policies();
        final AccountLimits limits = ledger.limits();
        final UnsafeBuffer out = chunkBuffer;
        int used = makeRoom(sink, start, POLICY_HEADER_LENGTH);
        out.putInt(used, config.limitedAccountsMax());
        out.putInt(used + 4, config.velocityDebitsMax());
        out.putInt(used + 8, policies.dayStartSeconds);
        out.putInt(used + 12, policies.feeCount);
        out.putInt(used + 16, policies.thresholdCount);
        out.putInt(used + 20, policies.limitsCount);
        out.putInt(used + 24, limits.count());
        out.putInt(used + 28, 0);
        out.putLong(used + 32, policies.configDigest);
        out.putInt(used + 40, policies.holdsPerAccountMax);
        out.putInt(used + 44, policies.holdTimeoutMaxSeconds);
        used += POLICY_HEADER_LENGTH;
        for (int i = 0; i < policies.feeCount; i++)
        {
            used = makeRoom(sink, used, FEE_LENGTH);
            out.putInt(used, policies.feeKey[i]);
            out.putInt(used + 4, policies.feeBasisPoints[i]);
            out.putLong(used + 8, policies.feeFixed[i]);
            out.putLong(used + 16, policies.feeMinimum[i]);
            out.putLong(used + 24, policies.feeMaximum[i]);
            out.putLong(used + 32, policies.feeAccountId[i]);
            out.putLong(used + 40, 0);
            used += FEE_LENGTH;
        }
        for (int i = 0; i < policies.thresholdCount; i++)
        {
            used = makeRoom(sink, used, THRESHOLD_LENGTH);
            out.putInt(used, policies.thresholdCurrency[i]);
            out.putInt(used + 4, 0);
            out.putLong(used + 8, policies.threshold[i]);
            used += THRESHOLD_LENGTH;
        }
        for (int i = 0; i < policies.limitsCount; i++)
        {
            used = makeRoom(sink, used, CODE_LIMITS_LENGTH);
            out.putInt(used, policies.limitsCode[i]);
            out.putInt(used + 4, policies.limitsVelocityDebits[i]);
            out.putInt(used + 8, policies.limitsVelocityWindow[i]);
            out.putInt(used + 12, 0);
            out.putLong(used + 16, policies.limitsTransferAmount[i]);
            out.putLong(used + 24, policies.limitsDaily[i]);
            used += CODE_LIMITS_LENGTH;
        }
        final int recordLength = limits.recordLength();
        final UnsafeBuffer records = limits.records();
        for (int i = 0, count = limits.count(); i < count; i++)
        {
            used = makeRoom(sink, used, recordLength);
            out.putBytes(used, records, i * recordLength, recordLength);
            used += recordLength;
        }
        return used;
    }

    private void readPolicies(final LedgerStateSource source, final LedgerConfig takenUnder, final int format)
    {
        final Policies policies = ledger.policies();
        final UnsafeBuffer in = chunkBuffer;
        fill(source, format >= 5 ? POLICY_HEADER_LENGTH : POLICY_HEADER_LENGTH_V4);
        checkLimit("limitedAccountsMax", in.getInt(0), takenUnder.limitedAccountsMax());
        checkLimit("velocityDebitsMax", in.getInt(4), takenUnder.velocityDebitsMax());
        policies.dayStartSeconds = in.getInt(8);
        final int feeCount = in.getInt(12);
        final int thresholdCount = in.getInt(16);
        final int limitsCount = in.getInt(20);
        final int recordCount = in.getInt(24);
        policies.configDigest = in.getLong(32);
        policies.holdsPerAccountMax = format >= 5 ? in.getInt(40) : 0;
        policies.holdTimeoutMaxSeconds = format >= 5 ? in.getInt(44) : 0;
        if (policies.holdsPerAccountMax < 0)
        {
            throw new LedgerStateException("holdsPerAccountMax of " + policies.holdsPerAccountMax + " in the state");
        }
        for (final int count : new int[] {feeCount, thresholdCount, limitsCount})
        {
            if (count < 0 || count > Policies.ENTRIES_MAX)
            {
                throw new LedgerStateException("policy table of " + count + " entries in the state; at most " +
                    Policies.ENTRIES_MAX + " are allowed");
            }
        }
        if (recordCount < 0)
        {
            throw new LedgerStateException("negative limits record count in the state");
        }
        readRecords(source, feeCount, FEE_LENGTH, (from, offset) ->
        {
            final int i = policies.feeCount++;
            policies.feeKey[i] = from.getInt(offset);
            policies.feeBasisPoints[i] = from.getInt(offset + 4);
            policies.feeFixed[i] = from.getLong(offset + 8);
            policies.feeMinimum[i] = from.getLong(offset + 16);
            policies.feeMaximum[i] = from.getLong(offset + 24);
            policies.feeAccountId[i] = from.getLong(offset + 32);
        });
        readRecords(source, thresholdCount, THRESHOLD_LENGTH, (from, offset) ->
        {
            final int i = policies.thresholdCount++;
            policies.thresholdCurrency[i] = from.getInt(offset);
            policies.threshold[i] = from.getLong(offset + 8);
        });
        readRecords(source, limitsCount, CODE_LIMITS_LENGTH, (from, offset) ->
        {
            final int i = policies.limitsCount++;
            policies.limitsCode[i] = from.getInt(offset);
            policies.limitsVelocityDebits[i] = from.getInt(offset + 4);
            policies.limitsVelocityWindow[i] = from.getInt(offset + 8);
            policies.limitsTransferAmount[i] = from.getLong(offset + 16);
            policies.limitsDaily[i] = from.getLong(offset + 24);
        });
        policies.reindexAll();
        readRecords(source, recordCount, ledger.limits().recordLength(), ledger.limits()::restore);
    }

    void read(final LedgerStateSource source)
    {
        readUnder(source, config);
    }

    /**
     * Loads a state taken under {@code takenUnder}'s limits into this codec's engine, whose limits may differ (a
     * {@code SetLedgerSettings} moving the state; {@link LedgerSettings#check} said it fits).
     */
    void readUnder(final LedgerStateSource source, final LedgerConfig takenUnder)
    {
        final Accounts accounts = ledger.accounts();
        final TransferHistory history = ledger.history();
        final PendingTransfers pending = ledger.pending();
        if (accounts.count() != 0 || history.count() != 0 || pending.count() != 0 || ledger.lastTimestamp() != 0)
        {
            throw new IllegalStateException("a state can only be loaded into a new engine");
        }
        ensureChunk();
        final UnsafeBuffer in = chunkBuffer;
        fill(source, HEADER_LENGTH);
        if (in.getInt(0) != MAGIC)
        {
            throw new LedgerStateException("not a ledger state: magic is 0x" + Integer.toHexString(in.getInt(0)));
        }
        final int format = in.getInt(4);
        if (format < 1 || format > FORMAT_VERSION)
        {
            throw new LedgerStateException("ledger state format " + format + " is not readable by this " +
                "version, which reads formats 1 to " + FORMAT_VERSION);
        }
        checkLimit("accountsMax", in.getInt(8), takenUnder.accountsMax());
        checkLimit("idempotencyWindow", in.getInt(12), takenUnder.idempotencyWindow());
        checkLimit("pendingTransfersMax", in.getInt(16), takenUnder.pendingTransfersMax());
        checkLimit("batchEventsMax", in.getInt(20), takenUnder.batchEventsMax());
        final long lastTimestamp = in.getLong(24);
        final int accountCount = in.getInt(32);
        final int historyCount = in.getInt(36);
        final int pendingCount = in.getInt(40);
        if (accountCount < 0 || historyCount < 0 || pendingCount < 0)
        {
            throw new LedgerStateException("negative record count in the state header");
        }

        if (format >= 4)
        {
            readSettings(source, takenUnder);
        }
        readRecords(source, accountCount, ACCOUNT_LENGTH, accounts::restore);
        readRecords(source, historyCount, TRANSFER_LENGTH, history::restoreNewest);
        readRecords(source, pendingCount, TRANSFER_LENGTH, pending::restore);
        if (format >= 2)
        {
            readPolicies(source, takenUnder, format);
        }
        if (format >= 3)
        {
            fill(source, FORGOTTEN_LENGTH);
            history.restoreForgotten(in.getLong(0), in.getLong(16), in.getLong(8));
        }
        else if (historyCount >= takenUnder.idempotencyWindow())
        {
            // Earlier formats did not keep the horizon. A window that never filled never evicted (it only evicts to
            // make room), so its horizon is none; a full one may have evicted any id: the journal knows which.
            throw new LedgerStateException("ledger state format " + format + " does not keep the window's forgotten " +
                "horizon, and its window is full: the state must be rebuilt from the journal");
        }
        ledger.restoreLastTimestamp(lastTimestamp);
    }

    private void readSettings(final LedgerStateSource source, final LedgerConfig takenUnder)
    {
        final UnsafeBuffer in = chunkBuffer;
        fill(source, SETTINGS_LENGTH);
        checkLimit("limitedAccountsMax", in.getInt(0), takenUnder.limitedAccountsMax());
        checkLimit("velocityDebitsMax", in.getInt(4), takenUnder.velocityDebitsMax());
        final int count = in.getInt(8);
        if (count < 0 || count > io.walletledger.protocol.ProtocolLimits.CURRENCIES_MAX)
        {
            throw new LedgerStateException("a ledger state with " + count + " currencies");
        }
        fill(source, count * CURRENCY_LENGTH);
        final CurrencyRegistry inState;
        try
        {
            inState = currencies(in, 0, count);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new LedgerStateException("the state's currencies are not valid: " + ex.getMessage());
        }
        if (!java.util.Set.copyOf(inState.currencies()).equals(java.util.Set.copyOf(takenUnder.currencies().currencies())))
        {
            throw new LedgerStateException("the state was taken with other currencies than the engine is configured " +
                "with; currencies decide outcomes, so a state only loads under the settings it was taken with", true);
        }
    }

    /**
     * Takes one record of a section out of the chunk buffer.
     */
    @FunctionalInterface
    private interface RecordLoader
    {
        void load(DirectBuffer from, int offset);
    }

    private void readRecords(
        final LedgerStateSource source, final int count, final int recordLength, final RecordLoader loader)
    {
        for (int remaining = count; remaining > 0; )
        {
            final int records = Math.min(remaining, CHUNK_LENGTH / recordLength);
            fill(source, records * recordLength);
            for (int i = 0; i < records; i++)
            {
                loader.load(chunkBuffer, i * recordLength);
            }
            remaining -= records;
        }
    }

    private static void checkLimit(final String name, final int inState, final int configured)
    {
        if (inState != configured)
        {
            throw new LedgerStateException("the state was taken with " + name + " = " + inState + " but the engine " +
                "is configured with " + configured + "; limits decide outcomes, so a state only loads under the " +
                "limits it was taken with", true);
        }
    }

    private void ensureChunk()
    {
        if (chunk == null)
        {
            chunk = ByteBuffer.allocateDirect(CHUNK_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            chunkBuffer = new UnsafeBuffer(chunk);
        }
    }

    private static int putTransfer(final UnsafeBuffer out, final int at, final UnsafeBuffer records, final int slot)
    {
        out.putBytes(at, records, TransferRecords.offset(slot), TRANSFER_LENGTH);
        out.putLong(at + TransferDescriptor.ID_HASH_OFFSET, 0);
        return at + TRANSFER_LENGTH;
    }

    private int makeRoom(final LedgerStateSink sink, final int used, final int needed)
    {
        if (used + needed <= CHUNK_LENGTH)
        {
            return used;
        }
        flush(sink, used);
        return 0;
    }

    private void flush(final LedgerStateSink sink, final int used)
    {
        chunk.clear().limit(used);
        sink.write(chunk);
    }

    private void fill(final LedgerStateSource source, final int length)
    {
        chunk.clear().limit(length);
        source.readFully(chunk);
        if (chunk.hasRemaining())
        {
            throw new LedgerStateException("the state ends early: " + chunk.position() + " of " + length + " bytes read");
        }
    }

    /**
     * A whole state in memory: the sink it is written to, then the source it is read back from.
     */
    static final class InMemory implements LedgerStateSink
    {
        private ByteBuffer bytes;

        InMemory(final long expectedLength)
        {
            bytes = ByteBuffer.allocate((int)Math.min(Integer.MAX_VALUE - 8, Math.max(expectedLength, 64)));
        }

        @Override
        public void write(final ByteBuffer chunk)
        {
            if (bytes.remaining() < chunk.remaining())
            {
                final ByteBuffer larger = ByteBuffer.allocate(Math.addExact(bytes.position(), chunk.remaining()) * 2);
                bytes.flip();
                larger.put(bytes);
                bytes = larger;
            }
            bytes.put(chunk);
        }

        /**
         * @return the bytes written, from the first.
         */
        LedgerStateSource source()
        {
            final ByteBuffer written = bytes.duplicate().flip();
            return into ->
            {
                final int length = Math.min(written.remaining(), into.remaining());
                into.put(written.slice(written.position(), length));
                written.position(written.position() + length);
            };
        }
    }
}
