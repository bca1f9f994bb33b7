package io.walletledger.bench;

import io.walletledger.engine.LedgerConfig;
import io.walletledger.engine.LedgerEngine;
import io.walletledger.protocol.RequestType;
import io.walletledger.protocol.sbe.CreateTransfersEncoder;
import io.walletledger.protocol.sbe.ErrorResponseDecoder;
import io.walletledger.protocol.sbe.LookupAccountsResponseDecoder;
import io.walletledger.protocol.sbe.LookupTransfersResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.protocol.sbe.ResultCode;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * The balance engine alone: full batches of single-phase transfers between uniformly random pairs of
 * 1,000,000 funded no-overdraft wallets, through {@link LedgerEngine#execute} exactly as the pipeline
 * calls it (SBE request in, SBE response out). One operation is one transfer.
 * <p>
 * Each invocation applies the next of a set of pre-encoded batches; only the transfer ids are rewritten
 * per invocation (so every transfer is new, never an idempotent {@code EXISTS}) and that cost is included.
 * Every batch must succeed whole: a refused transfer fails the run at tear-down.
 * <p>
 * {@code policies} adds the per-transfer work of wallet policies. With {@code limits-and-fees} every wallet has a
 * per-transfer limit, a daily limit and a velocity limit, checked and updated on each of its debits and never
 * reached by this workload, and every transfer pays a fee (the benchmark's code and currency are in the fee
 * schedule) into one fee account. With {@code none} the engine has no policies, as before they existed.
 * <p>
 * Engine time advances one second per batch: 8,190 transfers a second over a million wallets, each debited about
 * once every two minutes, so the limits keep realistic values (16 debits a minute, 10,000.00 a day) and are still
 * never reached. Without policies nothing depends on engine time. On a ledger so small that a wallet is debited
 * more than once a minute, no realistic velocity limit holds, so {@code limits-and-fees} refuses to start on fewer
 * than 491,400 accounts.
 * Run: {@code ./wallet jmh EngineBenchmark -prof gc}, or one case: {@code ./wallet jmh EngineBenchmark -p policies=none}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = { "-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch" })
public class EngineBenchmark
{
    static final int BATCH = 8190;
    private static final int BATCHES = 64;
    private static final long FUNDING = 1_000_000_000_000L;
    private static final long SETTLEMENT = Long.MAX_VALUE;
    private static final long BATCH_INTERVAL_NS = 1_000_000_000L;
    /** Header (8) + correlation id (8) + empty group header (4): the response of a batch in which every event succeeded. */
    private static final int ALL_SUCCEEDED_RESPONSE_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH + 8 + 4;

    private static final String POLICIES_NONE = "none";
    private static final String POLICIES_LIMITS_AND_FEES = "limits-and-fees";
    private static final long FEE_ACCOUNT = SETTLEMENT - 1;
    private static final long TRANSFER_AMOUNT_LIMIT = 100_000L;
    private static final long DAILY_DEBIT_LIMIT = 1_000_000L;
    /**
     * The velocity limit is the ring size, as in a deployment with the default {@code velocityDebitsMax}: the check
     * then reads the ring entry the debit overwrites next, so it costs the same before and after a wallet has made
     * 16 debits.
     */
    private static final int VELOCITY_DEBITS = LedgerConfig.VELOCITY_DEBITS_MAX_DEFAULT;
    private static final long VELOCITY_WINDOW_SECONDS = 60L;
    /**
     * The fewest wallets on which a wallet is debited at most once per velocity window on average; then 16 debits in
     * one window are too unlikely ever to happen (below 10^-14 per wallet and window).
     */
    private static final long LIMITED_ACCOUNTS_MIN = BATCH * VELOCITY_WINDOW_SECONDS * 1_000_000_000L / BATCH_INTERVAL_NS;
    /** A fixed 1 plus 0.25 %, at least 1: every transfer of amount 1 pays exactly 1. */
    private static final long FEE_FIXED = 1L;
    private static final long FEE_BASIS_POINTS = 25L;
    private static final long FEE_MINIMUM = 1L;
    private static final long FEE_MAXIMUM = 500L;
    private static final long FEE_PER_TRANSFER = 1L;

    @Param("1000000")
    int accounts;

    /** Transfer ids remembered for idempotency; the default window of the engine. */
    @Param("1048576")
    int idempotencyWindow;

    /** {@code none}, or {@code limits-and-fees}: limits on every wallet and a fee on every transfer. */
    @Param({ POLICIES_NONE, POLICIES_LIMITS_AND_FEES })
    String policies;

    private LedgerEngine engine;
    private final UnsafeBuffer[] requests = new UnsafeBuffer[BATCHES];
    private int requestLength;
    private UnsafeBuffer response;
    private int transferIdOffset;
    private int next;
    private long refusedBatches;
    /** The response to the first batch that had a refused transfer, decoded; null while there is none. */
    private String firstRefusal;
    /** Ids of measured transfers: far from the funding transfers' ids (2^40 + account) and the warm-up's (2^45 + i). */
    private long nextId = 1L << 50;
    private long timestamp = 1_700_000_000_000_000_000L;

    @Setup(Level.Trial)
    public void setUp()
    {
        final boolean withPolicies = withPolicies();
        if (withPolicies && accounts < LIMITED_ACCOUNTS_MIN)
        {
            throw new IllegalArgumentException(POLICIES_LIMITS_AND_FEES + " needs at least " + LIMITED_ACCOUNTS_MIN +
                " accounts, was " + accounts + ": with fewer, a wallet is debited more than once a velocity window on " +
                "average, and the velocity limit would refuse transfers");
        }
        final LedgerConfig.Builder config = LedgerConfig.builder()
            .accountsMax(accounts + 2)
            .idempotencyWindow(idempotencyWindow);
        if (withPolicies)
        {
            config.limitedAccountsMax(accounts).velocityDebitsMax(VELOCITY_DEBITS);
        }
        engine = new LedgerEngine(config.build());
        response = new UnsafeBuffer(ByteBuffer.allocateDirect(engine.responseLengthMax()));
        createAndFundAccounts();
        if (withPolicies)
        {
            setPolicies();
        }

        final SplittableRandom random = new SplittableRandom(42);
        for (int b = 0; b < BATCHES; b++)
        {
            requests[b] = new UnsafeBuffer(ByteBuffer.allocateDirect(engine.responseLengthMax()));
            // Ids are rewritten before each use; amounts 1..100 would do, 1 keeps every wallet funded for long.
            requestLength = BenchRequests.createTransfers(requests[b], 0, BATCH, 0, 1, accounts, random);
        }
        // Header (8) + correlation id (8) + group header (4): the first transfer; the id is its first field.
        transferIdOffset = MessageHeaderEncoder.ENCODED_LENGTH + 8 + 4;

        warmUp(withPolicies);
    }

    private boolean withPolicies()
    {
        switch (policies)
        {
            case POLICIES_NONE:
                return false;
            case POLICIES_LIMITS_AND_FEES:
                return true;
            default:
                throw new IllegalArgumentException(
                    "policies must be " + POLICIES_NONE + " or " + POLICIES_LIMITS_AND_FEES + ", was " + policies);
        }
    }

    private void createAndFundAccounts()
    {
        final UnsafeBuffer request = new UnsafeBuffer(ByteBuffer.allocateDirect(engine.responseLengthMax()));
        BenchRequests.createAndFundAccounts(request, accounts, BATCH, SETTLEMENT, FUNDING,
            (what, length) -> execute(request, length, what));
    }

    /**
     * After funding, so the funding transfers pay no fee: limits on every wallet, and the fee of the benchmark's
     * transfers, paid into an account of its own (no flags, so it takes any amount).
     */
    private void setPolicies()
    {
        final UnsafeBuffer request = new UnsafeBuffer(ByteBuffer.allocateDirect(engine.responseLengthMax()));
        execute(request, BenchRequests.createAccounts(request, FEE_ACCOUNT, 1, true), "create fee account");
        for (int first = 1; first <= accounts; first += BATCH)
        {
            final int count = Math.min(BATCH, accounts - first + 1);
            execute(request, BenchRequests.setAccountLimits(request, first, count, TRANSFER_AMOUNT_LIMIT,
                DAILY_DEBIT_LIMIT, VELOCITY_DEBITS, VELOCITY_WINDOW_SECONDS), "set account limits");
        }
        execute(request, BenchRequests.setFee(request, FEE_FIXED, FEE_BASIS_POINTS, FEE_MINIMUM, FEE_MAXIMUM, FEE_ACCOUNT),
            "set fee");
    }

    /**
     * Applies one batch like the measured ones (ids of its own, other pairs) and fails the trial unless every transfer
     * succeeded; with policies, also unless the first one paid its fee and counted against its wallet's limits, and
     * the fee account holds the whole batch's fees.
     */
    private void warmUp(final boolean withPolicies)
    {
        final UnsafeBuffer request = new UnsafeBuffer(ByteBuffer.allocateDirect(engine.responseLengthMax()));
        final long firstId = 1L << 45;
        timestamp += BATCH_INTERVAL_NS;
        execute(request, BenchRequests.createTransfers(request, firstId, BATCH, 0, 1, accounts, new SplittableRandom(7)),
            "warm-up batch");
        if (!withPolicies)
        {
            return;
        }

        engine.execute(timestamp, request, 0, BenchRequests.lookupTransfer(request, firstId), response, 0);
        final LookupTransfersResponseDecoder.TransfersDecoder transfer = new LookupTransfersResponseDecoder()
            .wrapAndApplyHeader(response, 0, new MessageHeaderDecoder()).transfers();
        if (transfer.count() != 1 || transfer.next().fee() != FEE_PER_TRANSFER || transfer.feeAccountId() != FEE_ACCOUNT)
        {
            throw new IllegalStateException("the warm-up transfer paid no fee: " + transfer);
        }
        final long wallet = transfer.debitAccountId();

        engine.execute(timestamp, request, 0, BenchRequests.lookupAccounts(request, wallet, FEE_ACCOUNT), response, 0);
        final LookupAccountsResponseDecoder.AccountsDecoder found = new LookupAccountsResponseDecoder()
            .wrapAndApplyHeader(response, 0, new MessageHeaderDecoder()).accounts();
        if (found.count() != 2)
        {
            throw new IllegalStateException("warm-up lookup found " + found.count() + " of 2 accounts");
        }
        found.next();
        if (found.transferAmountLimit() != TRANSFER_AMOUNT_LIMIT || found.dailyDebitLimit() != DAILY_DEBIT_LIMIT ||
            found.velocityDebitLimit() != VELOCITY_DEBITS || found.velocityWindowSeconds() != VELOCITY_WINDOW_SECONDS ||
            found.dailyDebitsUsed() < 1)
        {
            throw new IllegalStateException("wallet " + wallet + " has not the limits set, or its debit was not counted");
        }
        found.next();
        if (found.creditsPosted() != BATCH * FEE_PER_TRANSFER)
        {
            throw new IllegalStateException("the fee account holds " + found.creditsPosted() + ", not the fees of " +
                BATCH + " transfers");
        }
    }

    private void execute(final UnsafeBuffer request, final int length, final String what)
    {
        final int responseLength = engine.execute(timestamp++, request, 0, length, response, 0);
        // Create and policy responses list failures only: a response longer than header + correlation id + empty
        // group means some event failed, which would make the benchmark measure the wrong thing.
        if (responseLength != ALL_SUCCEEDED_RESPONSE_LENGTH)
        {
            throw new IllegalStateException(what + " failed: " + describeFailure());
        }
    }

    private String describeFailure()
    {
        final RequestType type = engine.lastRequestType();
        if (type == null)
        {
            return "refused: " + new ErrorResponseDecoder().wrapAndApplyHeader(response, 0, new MessageHeaderDecoder());
        }
        for (int i = 0; i < engine.lastEventCount(); i++)
        {
            if (engine.lastResult(i) != ResultCode.OK)
            {
                return type.messageName() + ": " + engine.lastFailureCount() + " of " + engine.lastEventCount() +
                    " events failed, the first (event " + i + ") with " + engine.lastResult(i);
            }
        }
        return type.messageName() + ": an answer of another length than expected";
    }

    /** For tests: the engine under measurement. */
    LedgerEngine engine()
    {
        return engine;
    }

    @TearDown(Level.Trial)
    public void verifyEveryBatchSucceeded()
    {
        if (refusedBatches != 0)
        {
            throw new IllegalStateException(refusedBatches + " batches had refused transfers, the first: " + firstRefusal);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int createTransfers()
    {
        final UnsafeBuffer request = requests[next];
        next = next + 1 == BATCHES ? 0 : next + 1;
        long id = nextId;
        for (int i = 0, offset = transferIdOffset; i < BATCH; i++, offset += CreateTransfersEncoder.TransfersEncoder.sbeBlockLength())
        {
            request.putLong(offset, id++);
        }
        nextId = id;
        timestamp += BATCH_INTERVAL_NS;
        final int responseLength = engine.execute(timestamp, request, 0, requestLength, response, 0);
        if (responseLength != ALL_SUCCEEDED_RESPONSE_LENGTH && refusedBatches++ == 0)
        {
            firstRefusal = describeFailure();
        }
        return responseLength;
    }
}
