package io.walletledger.bench.peer;

import io.walletledger.bench.AccountChooser;

import io.walletledger.protocol.sbe.ResultCode;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The peer comparison: the conventional design of a wallet ledger, PostgreSQL with one transaction per transfer,
 * driven closed-loop by {@code --clients} threads, each with its own JDBC connection, and reported with the same
 * final {@code RESULT} line as the ledger's own load generator. It exists so that the ledger's numbers can be read
 * against what most teams would build instead, measured the same way on the same machine.
 *
 * <pre>
 *   client thread 1..C                       PostgreSQL (one transaction per transfer)
 *   ------------------                       -----------------------------------------
 *   pick debit, credit, amount, id  --->  SELECT both accounts ORDER BY id FOR UPDATE   (consistent lock order)
 *   (zipf or uniform, fail share)         INSERT transfer ... ON CONFLICT (id) DO NOTHING (idempotency)
 *                                         UPDATE both balances (one pipelined batch)      (only if accepted)
 *   record latency in a Recorder   <---   COMMIT
 * </pre>
 *
 * With {@code --mode function} the same steps run inside one PL/pgSQL function, one round trip per transfer: the
 * strongest form of the conventional design, so the comparison is not against a straw man.
 */
@Command(name = "postgres-bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Closed-loop load against PostgreSQL, one transaction per transfer; prints a RESULT line.")
public final class PostgresBench implements Callable<Integer>
{
    static final long SETTLEMENT_ID = Long.MAX_VALUE;
    static final int CURRENCY = 840;
    static final long WALLET_FUNDING = 1_000_000_000L;
    static final int AMOUNT_MAX = 100;
    static final int ATTEMPTS_MAX = 3;
    static final long RETRY_PAUSE_MS = 10;
    static final int ERRORS_PRINTED_MAX = 10;
    static final long LATENCY_MAX_NS = TimeUnit.MINUTES.toNanos(1);
    static final int RESULT_OK = ResultCode.OK.value();
    static final int RESULT_EXCEEDS_CREDITS = ResultCode.EXCEEDS_CREDITS.value();

    /**
     * Where the transaction's steps run: driven from the client statement by statement, or in a server function.
     */
    enum Mode
    {
        STATEMENTS, FUNCTION
    }

    @Option(names = "--jdbc-url", required = true,
        description = "For example jdbc:postgresql://127.0.0.1:5432/postgres")
    String jdbcUrl;

    @Option(names = "--user", defaultValue = "postgres", description = "Database user (default: ${DEFAULT-VALUE}).")
    String user;

    @Option(names = "--password", defaultValue = "", description = "Database password (default: none).")
    String password;

    @Option(names = "--accounts", defaultValue = "10000", description = "Wallets (default: ${DEFAULT-VALUE}).")
    int accounts;

    @Option(names = "--clients", defaultValue = "4", description = "Client threads (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--duration", defaultValue = "30", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
    int durationSeconds;

    @Option(names = "--warmup", defaultValue = "5", description = "Warm-up seconds (default: ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--zipf", defaultValue = "0", description = "Zipf exponent of account choice, 0 = uniform.")
    double zipfExponent;

    @Option(names = "--fail-share", defaultValue = "0",
        description = "Share of transfers that fail for insufficient funds (0..1, default: ${DEFAULT-VALUE}).")
    double failShare;

    @Option(names = "--mode", defaultValue = "statements",
        description = "${COMPLETION-CANDIDATES} (any case): the transaction driven statement by statement from Java, "
            + "or one call of a PL/pgSQL function (default: ${DEFAULT-VALUE}).")
    Mode mode;

    @Option(names = "--seed", defaultValue = "42",
        description = "Seed of the random choices (default: ${DEFAULT-VALUE}).")
    long seed;

    /**
     * Runs the benchmark; exit status 1 if a consistency check fails, 2 on bad arguments.
     *
     * @param args the command line.
     */
    public static void main(final String[] args)
    {
        System.exit(new CommandLine(new PostgresBench()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws Exception
    {
        if (accounts < 2 || clients < 1 || durationSeconds < 1 || warmupSeconds < 0 || zipfExponent < 0
            || failShare < 0 || failShare > 1)
        {
            System.err.println("need --accounts >= 2, --clients >= 1, --duration >= 1, --warmup >= 0, --zipf >= 0, "
                + "0 <= --fail-share <= 1");
            return 2;
        }

        try (Connection admin = connect())
        {
            admin.setAutoCommit(true);
            printServer(admin);
            final long setupStartNs = System.nanoTime();
            PeerSchema.create(admin, accounts);
            System.out.printf("setup: %d wallets funded with %d each by settlement account %d in %d ms%n",
                accounts, WALLET_FUNDING, SETTLEMENT_ID,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - setupStartNs));
        }

        final Recorder recorder = new Recorder(LATENCY_MAX_NS, 3);
        final LongAdder rejected = new LongAdder();
        final LongAdder errors = new LongAdder();
        final AccountChooser chooser = new AccountChooser(accounts, zipfExponent);
        // Larger than all the money there is, so such a transfer can only fail, never by chance succeed.
        final long failingAmount = Math.addExact(Math.multiplyExact(accounts, WALLET_FUNDING), 1);
        final ClientWorker[] workers = new ClientWorker[clients];
        final Thread[] threads = new Thread[clients];
        for (int i = 0; i < clients; i++)
        {
            workers[i] = new ClientWorker(
                this, new SplittableRandom(seed + i), chooser, failingAmount, recorder, rejected, errors);
            threads[i] = new Thread(workers[i], "postgres-client-" + i);
        }
        for (final Thread thread : threads)
        {
            thread.start();
        }

        final Measurement measurement = measure(recorder, rejected, errors);

        for (final ClientWorker worker : workers)
        {
            worker.stop();
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }

        boolean healthy = true;
        try (Connection check = connect())
        {
            healthy &= checkRetries(check, workers);
            check.setAutoCommit(true);
            healthy &= PeerSchema.verify(check, System.out, System.err);
        }

        final Histogram latency = measurement.latency;
        final double seconds = measurement.seconds;
        System.out.printf("summary: %d transfers in the measured %.2f s (%d rejected as business failures, %d errors);"
                + " transfer latency p50 %d us, p90 %d us, p99 %d us, p99.9 %d us, max %d us%n",
            latency.getTotalCount(), seconds, measurement.rejected, measurement.errors,
            micros(latency.getValueAtPercentile(50)), micros(latency.getValueAtPercentile(90)),
            micros(latency.getValueAtPercentile(99)), micros(latency.getValueAtPercentile(99.9)),
            micros(latency.getMaxValue()));
        System.out.printf("rejected=%d rejected_share=%.4f%n", measurement.rejected,
            latency.getTotalCount() == 0 ? 0.0 : (double)measurement.rejected / latency.getTotalCount());
        System.out.printf("RESULT transfers_per_sec=%d p50_us=%d p99_us=%d p999_us=%d max_us=%d errors=%d%n",
            Math.round(latency.getTotalCount() / seconds), micros(latency.getValueAtPercentile(50)),
            micros(latency.getValueAtPercentile(99)), micros(latency.getValueAtPercentile(99.9)),
            micros(latency.getMaxValue()), measurement.errors);
        return healthy ? 0 : 1;
    }

    Connection connect() throws SQLException
    {
        final Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
        connection.setSchema(PeerSchema.SCHEMA);
        return connection;
    }

    TransferExecutor executor(final Connection connection) throws SQLException
    {
        return mode == Mode.FUNCTION ? new FunctionTransferExecutor(connection)
            : new StatementTransferExecutor(connection);
    }

    private void printServer(final Connection admin) throws SQLException
    {
        final StringBuilder line = new StringBuilder("server:");
        try (Statement statement = admin.createStatement())
        {
            for (final String setting : new String[]{"server_version", "synchronous_commit", "fsync",
                "full_page_writes", "wal_level", "shared_buffers", "max_wal_size"})
            {
                try (ResultSet rs = statement.executeQuery("SHOW " + setting))
                {
                    rs.next();
                    line.append(' ').append(setting).append('=').append(rs.getString(1));
                }
            }
        }
        System.out.println(line);
        System.out.printf("run: accounts=%d clients=%d duration=%ds warmup=%ds zipf=%s fail_share=%s mode=%s seed=%d%n",
            accounts, clients, durationSeconds, warmupSeconds, zipfExponent, failShare,
            mode.name().toLowerCase(Locale.ROOT), seed);
    }

    /**
     * Prints a line per second and keeps the seconds after the warm-up. Every transfer answered between the end of
     * the warm-up and the last tick counts; the ones still in flight at the last tick do not.
     */
    private Measurement measure(final Recorder recorder, final LongAdder rejected, final LongAdder errors)
        throws InterruptedException
    {
        final Histogram total = new Histogram(LATENCY_MAX_NS, 3);
        Histogram interval = null;
        final long startNs = System.nanoTime();
        long previousNs = startNs;
        long measureStartNs = startNs;
        long rejectedAtStart = 0;
        long errorsAtStart = 0;
        long previousRejected = 0;
        long previousErrors = 0;
        final int secondsMax = warmupSeconds + durationSeconds;
        for (int second = 1; second <= secondsMax; second++)
        {
            final long tickNs = startNs + TimeUnit.SECONDS.toNanos(second);
            for (long waitNs = tickNs - System.nanoTime(); waitNs > 0; waitNs = tickNs - System.nanoTime())
            {
                TimeUnit.NANOSECONDS.sleep(waitNs);
            }
            interval = recorder.getIntervalHistogram(interval);
            final long nowNs = System.nanoTime();
            final long rejectedNow = rejected.sum();
            final long errorsNow = errors.sum();
            final boolean warm = second <= warmupSeconds;
            // The same layout as the ledger's load generator (wallet bench), so the two read side by side.
            System.out.printf("%s %3d s  transfers/s %,10d  p50 %,8d us  p99 %,8d us  max %,8d us  rejected %d  "
                    + "errors %d%n",
                warm ? "warmup" : "      ", second, Math.round(interval.getTotalCount() * 1e9 / (nowNs - previousNs)),
                micros(interval.getValueAtPercentile(50)), micros(interval.getValueAtPercentile(99)),
                micros(interval.getMaxValue()), rejectedNow - previousRejected, errorsNow - previousErrors);
            if (warm)
            {
                measureStartNs = nowNs;
                rejectedAtStart = rejectedNow;
                errorsAtStart = errorsNow;
            }
            else
            {
                total.add(interval);
            }
            previousNs = nowNs;
            previousRejected = rejectedNow;
            previousErrors = errorsNow;
        }
        return new Measurement(total, (previousNs - measureStartNs) / 1e9,
            previousRejected - rejectedAtStart, previousErrors - errorsAtStart);
    }

    /**
     * Submits each client's last transfer again, as a client that lost the answer would: the answer must be the
     * original result and no balance may move.
     */
    private boolean checkRetries(final Connection connection, final ClientWorker[] workers) throws SQLException
    {
        final TransferExecutor executor = executor(connection);
        int checked = 0;
        boolean healthy = true;
        for (final ClientWorker worker : workers)
        {
            if (worker.lastId == null)
            {
                continue;
            }
            final String balancesBefore = PeerSchema.balanceDigest(connection, worker.lastDebit, worker.lastCredit);
            final int result = executor.execute(worker.lastId, worker.lastDebit, worker.lastCredit, worker.lastAmount);
            final String balancesAfter = PeerSchema.balanceDigest(connection, worker.lastDebit, worker.lastCredit);
            final boolean unchanged = balancesBefore.equals(balancesAfter);
            if (result != worker.lastResult || !unchanged)
            {
                System.err.printf("CHECK FAILED retry of %s answered %d (first answer %d), balances %s%n",
                    worker.lastId, result, worker.lastResult, unchanged ? "unchanged" : "moved");
                healthy = false;
            }
            checked++;
        }
        System.out.printf("check retries: %d transfers submitted again, %s%n", checked,
            healthy ? "original results answered, no money moved" : "FAILED");
        return healthy;
    }

    static long micros(final long nanos)
    {
        return TimeUnit.NANOSECONDS.toMicros(nanos);
    }

    /**
     * The latencies and counts of the measured period.
     */
    private static final class Measurement
    {
        final Histogram latency;
        final double seconds;
        final long rejected;
        final long errors;

        Measurement(final Histogram latency, final double seconds, final long rejected, final long errors)
        {
            this.latency = latency;
            this.seconds = seconds;
            this.rejected = rejected;
            this.errors = errors;
        }
    }

    /**
     * One client: a connection and a loop of transfers, each waiting for the previous one's answer (closed loop).
     * Failed attempts are retried with the same id, so a transfer whose commit was lost in transit is answered its
     * original result instead of moving money twice.
     */
    static final class ClientWorker implements Runnable
    {
        private final PostgresBench bench;
        private final SplittableRandom random;
        private final AccountChooser chooser;
        private final long failingAmount;
        private final Recorder recorder;
        private final LongAdder rejected;
        private final LongAdder errors;
        private volatile boolean running = true;
        private Connection connection;
        private TransferExecutor executor;
        UUID lastId;
        long lastDebit;
        long lastCredit;
        long lastAmount;
        int lastResult;

        ClientWorker(
            final PostgresBench bench,
            final SplittableRandom random,
            final AccountChooser chooser,
            final long failingAmount,
            final Recorder recorder,
            final LongAdder rejected,
            final LongAdder errors)
        {
            this.bench = bench;
            this.random = random;
            this.chooser = chooser;
            this.failingAmount = failingAmount;
            this.recorder = recorder;
            this.rejected = rejected;
            this.errors = errors;
        }

        void stop()
        {
            running = false;
        }

        @Override
        public void run()
        {
            final double failShare = bench.failShare;
            while (running)
            {
                final long debit = chooser.choose(random);
                long credit = chooser.choose(random);
                while (credit == debit)
                {
                    credit = chooser.choose(random);
                }
                final long amount = random.nextDouble() < failShare ? failingAmount : 1 + random.nextInt(AMOUNT_MAX);
                final UUID id = timeOrderedId();
                final long startNs = System.nanoTime();
                for (int attempt = 1; attempt <= ATTEMPTS_MAX; attempt++)
                {
                    final int result = attempt(id, debit, credit, amount);
                    if (result >= 0)
                    {
                        recorder.recordValue(Math.min(System.nanoTime() - startNs, LATENCY_MAX_NS));
                        if (result == RESULT_EXCEEDS_CREDITS)
                        {
                            rejected.increment();
                        }
                        else if (result != RESULT_OK)
                        {
                            throw new IllegalStateException("transfer " + id + " answered result " + result);
                        }
                        lastId = id;
                        lastDebit = debit;
                        lastCredit = credit;
                        lastAmount = amount;
                        lastResult = result;
                        break;
                    }
                }
            }
            closeQuietly();
        }

        /**
         * @return the transfer's result, or -1 after an SQL or transport error (counted, connection reset).
         */
        private int attempt(final UUID id, final long debit, final long credit, final long amount)
        {
            try
            {
                if (connection == null)
                {
                    connection = bench.connect();
                    executor = bench.executor(connection);
                }
                return executor.execute(id, debit, credit, amount);
            }
            catch (final SQLException ex)
            {
                errors.increment();
                if (errors.sum() <= ERRORS_PRINTED_MAX)
                {
                    System.err.println("error: " + ex.getSQLState() + " " + ex.getMessage());
                }
                closeQuietly();
                try
                {
                    // A restarting server refuses connections for a while: without a pause every attempt is spent.
                    TimeUnit.MILLISECONDS.sleep(RETRY_PAUSE_MS);
                }
                catch (final InterruptedException interrupted)
                {
                    Thread.currentThread().interrupt();
                    running = false;
                }
                return -1;
            }
        }

        private void closeQuietly()
        {
            if (connection != null)
            {
                try
                {
                    connection.close();
                }
                catch (final SQLException ignored)
                {
                    // Closing a broken connection can fail; a new one is opened on the next attempt.
                }
                connection = null;
                executor = null;
            }
        }

        /**
         * A UUIDv7-style id: milliseconds first, so ids of one period are neighbours in the primary key's B-tree,
         * as the ledger's client makes its ids, rather than random pages for every insert.
         */
        private UUID timeOrderedId()
        {
            final long high = (System.currentTimeMillis() << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
            final long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
            return new UUID(high, low);
        }
    }

    /**
     * Executes one transfer as one transaction and answers its result code; an {@link SQLException} means the
     * outcome is unknown and the same id may be submitted again.
     */
    interface TransferExecutor
    {
        int execute(UUID id, long debit, long credit, long amount) throws SQLException;
    }

    /**
     * The transaction driven statement by statement from the client, as most applications do it: four round trips
     * for an accepted transfer (lock, insert, update batch, commit), three for a rejected one.
     */
    static final class StatementTransferExecutor implements TransferExecutor
    {
        private final Connection connection;
        private final PreparedStatement lock;
        private final PreparedStatement insert;
        private final PreparedStatement post;
        private final PreparedStatement original;

        StatementTransferExecutor(final Connection connection) throws SQLException
        {
            this.connection = connection;
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            // Rows are locked as the sort returns them, so every transaction locks its two rows lowest id first.
            lock = connection.prepareStatement("SELECT id, currency, debits_posted, credits_posted, no_overdraft "
                + "FROM accounts WHERE id IN (?, ?) ORDER BY id FOR UPDATE");
            insert = connection.prepareStatement(
                "INSERT INTO transfers (id, debit, credit, amount, result, created_at) "
                + "VALUES (?, ?, ?, ?, ?, now()) ON CONFLICT (id) DO NOTHING");
            post = connection.prepareStatement("UPDATE accounts "
                + "SET debits_posted = debits_posted + ?, credits_posted = credits_posted + ? WHERE id = ?");
            original = connection.prepareStatement("SELECT result FROM transfers WHERE id = ?");
        }

        @Override
        public int execute(final UUID id, final long debit, final long credit, final long amount) throws SQLException
        {
            try
            {
                final int result = decide(debit, credit, amount);
                insert.setObject(1, id);
                insert.setLong(2, debit);
                insert.setLong(3, credit);
                insert.setLong(4, amount);
                insert.setShort(5, (short)result);
                if (insert.executeUpdate() == 0)
                {
                    // A retry of a transfer that was committed: nothing is applied, the first answer stands.
                    connection.rollback();
                    return originalResult(id);
                }
                if (result == RESULT_OK)
                {
                    post.setLong(1, amount);
                    post.setLong(2, 0);
                    post.setLong(3, debit);
                    post.addBatch();
                    post.setLong(1, 0);
                    post.setLong(2, amount);
                    post.setLong(3, credit);
                    post.addBatch();
                    final int[] updated = post.executeBatch();
                    if (updated.length != 2 || updated[0] != 1 || updated[1] != 1)
                    {
                        throw new IllegalStateException("posting " + id + " updated " + Arrays.toString(updated));
                    }
                }
                connection.commit();
                return result;
            }
            catch (final SQLException | RuntimeException ex)
            {
                rollbackQuietly(ex);
                throw ex;
            }
        }

        /**
         * Locks both accounts and applies the ledger's rules for a simple transfer between existing accounts.
         */
        private int decide(final long debit, final long credit, final long amount) throws SQLException
        {
            if (debit == credit)
            {
                return ResultCode.ACCOUNTS_MUST_BE_DIFFERENT.value();
            }
            lock.setLong(1, debit);
            lock.setLong(2, credit);
            boolean debitFound = false;
            boolean creditFound = false;
            int debitCurrency = 0;
            int creditCurrency = 0;
            boolean exceedsCredits = false;
            try (ResultSet rs = lock.executeQuery())
            {
                while (rs.next())
                {
                    if (rs.getLong(1) == debit)
                    {
                        debitFound = true;
                        debitCurrency = rs.getInt(2);
                        // debits + amount > credits, without overflow: amount > credits - debits.
                        exceedsCredits = rs.getBoolean(5) && amount > rs.getLong(4) - rs.getLong(3);
                    }
                    else
                    {
                        creditFound = true;
                        creditCurrency = rs.getInt(2);
                    }
                }
            }
            if (!debitFound)
            {
                return ResultCode.DEBIT_ACCOUNT_NOT_FOUND.value();
            }
            if (!creditFound)
            {
                return ResultCode.CREDIT_ACCOUNT_NOT_FOUND.value();
            }
            if (debitCurrency != creditCurrency)
            {
                return ResultCode.ACCOUNTS_MUST_HAVE_THE_SAME_CURRENCY.value();
            }
            return exceedsCredits ? RESULT_EXCEEDS_CREDITS : RESULT_OK;
        }

        private int originalResult(final UUID id) throws SQLException
        {
            original.setObject(1, id);
            try (ResultSet rs = original.executeQuery())
            {
                if (!rs.next())
                {
                    throw new IllegalStateException("transfer " + id + " conflicted but is not stored");
                }
                final int result = rs.getInt(1);
                connection.commit();
                return result;
            }
        }

        private void rollbackQuietly(final Exception cause)
        {
            try
            {
                connection.rollback();
            }
            catch (final SQLException ex)
            {
                cause.addSuppressed(ex);
            }
        }
    }

    /**
     * The same transaction inside the server, one round trip per transfer: {@code SELECT wallet_transfer(...)} in
     * auto-commit mode.
     */
    static final class FunctionTransferExecutor implements TransferExecutor
    {
        private final PreparedStatement call;

        FunctionTransferExecutor(final Connection connection) throws SQLException
        {
            connection.setAutoCommit(true);
            call = connection.prepareStatement("SELECT wallet_transfer(?, ?, ?, ?)");
        }

        @Override
        public int execute(final UUID id, final long debit, final long credit, final long amount) throws SQLException
        {
            call.setObject(1, id);
            call.setLong(2, debit);
            call.setLong(3, credit);
            call.setLong(4, amount);
            try (ResultSet rs = call.executeQuery())
            {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /**
     * The peer's tables in a schema of their own (dropped and made again by every run), their funding, the PL/pgSQL
     * form of a transfer, and the checks at the end of a run.
     */
    static final class PeerSchema
    {
        static final String SCHEMA = "wallet_peer";

        private static final String TRANSFER_FUNCTION = String.join("\n",
            "CREATE FUNCTION wallet_peer.wallet_transfer(p_id uuid, p_debit bigint, p_credit bigint, p_amount bigint)",
            "RETURNS smallint LANGUAGE plpgsql AS $$",
            "DECLARE",
            "    account record;",
            "    debit_found boolean := false;",
            "    credit_found boolean := false;",
            "    debit_currency smallint;",
            "    credit_currency smallint;",
            "    exceeds boolean := false;",
            "    outcome smallint;",
            "    inserted integer;",
            "BEGIN",
            "    IF p_debit = p_credit THEN",
            "        outcome := {ACCOUNTS_MUST_BE_DIFFERENT};",
            "    ELSE",
            "        FOR account IN SELECT id, currency, debits_posted, credits_posted, no_overdraft",
            "            FROM wallet_peer.accounts WHERE id IN (p_debit, p_credit) ORDER BY id FOR UPDATE",
            "        LOOP",
            "            IF account.id = p_debit THEN",
            "                debit_found := true;",
            "                debit_currency := account.currency;",
            "                exceeds := account.no_overdraft",
            "                    AND p_amount > account.credits_posted - account.debits_posted;",
            "            ELSE",
            "                credit_found := true;",
            "                credit_currency := account.currency;",
            "            END IF;",
            "        END LOOP;",
            "        outcome := CASE WHEN NOT debit_found THEN {DEBIT_ACCOUNT_NOT_FOUND}",
            "            WHEN NOT credit_found THEN {CREDIT_ACCOUNT_NOT_FOUND}",
            "            WHEN debit_currency <> credit_currency THEN {ACCOUNTS_MUST_HAVE_THE_SAME_CURRENCY}",
            "            WHEN exceeds THEN {EXCEEDS_CREDITS} ELSE {OK} END;",
            "    END IF;",
            "    INSERT INTO wallet_peer.transfers (id, debit, credit, amount, result, created_at)",
            "        VALUES (p_id, p_debit, p_credit, p_amount, outcome, now()) ON CONFLICT (id) DO NOTHING;",
            "    GET DIAGNOSTICS inserted = ROW_COUNT;",
            "    IF inserted = 0 THEN",
            "        SELECT result INTO outcome FROM wallet_peer.transfers WHERE id = p_id;",
            "        RETURN outcome;",
            "    END IF;",
            "    IF outcome = {OK} THEN",
            "        UPDATE wallet_peer.accounts SET debits_posted = debits_posted + p_amount WHERE id = p_debit;",
            "        UPDATE wallet_peer.accounts SET credits_posted = credits_posted + p_amount WHERE id = p_credit;",
            "    END IF;",
            "    RETURN outcome;",
            "END",
            "$$");

        private PeerSchema()
        {
        }

        /**
         * Makes the tables, funds every wallet from the settlement account (one accepted transfer each), and leaves
         * the server checkpointed and its statistics fresh, so neither lands in the measured period.
         */
        static void create(final Connection connection, final int accounts) throws SQLException
        {
            try (Statement statement = connection.createStatement())
            {
                statement.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
                statement.execute("CREATE SCHEMA " + SCHEMA);
                // Room on each page so that balance updates stay heap-only (no index touches no indexed column).
                statement.execute("CREATE TABLE accounts (id bigint PRIMARY KEY, currency smallint NOT NULL, "
                    + "debits_posted bigint NOT NULL, credits_posted bigint NOT NULL, no_overdraft boolean NOT NULL) "
                    + "WITH (fillfactor = 80)");
                statement.execute("CREATE TABLE transfers (id uuid PRIMARY KEY, debit bigint NOT NULL, "
                    + "credit bigint NOT NULL, amount bigint NOT NULL, result smallint NOT NULL, "
                    + "created_at timestamptz NOT NULL)");
                statement.execute(TRANSFER_FUNCTION
                    .replace("{OK}", Integer.toString(RESULT_OK))
                    .replace("{EXCEEDS_CREDITS}", Integer.toString(RESULT_EXCEEDS_CREDITS))
                    .replace("{ACCOUNTS_MUST_BE_DIFFERENT}",
                        Integer.toString(ResultCode.ACCOUNTS_MUST_BE_DIFFERENT.value()))
                    .replace("{DEBIT_ACCOUNT_NOT_FOUND}", Integer.toString(ResultCode.DEBIT_ACCOUNT_NOT_FOUND.value()))
                    .replace("{CREDIT_ACCOUNT_NOT_FOUND}",
                        Integer.toString(ResultCode.CREDIT_ACCOUNT_NOT_FOUND.value()))
                    .replace("{ACCOUNTS_MUST_HAVE_THE_SAME_CURRENCY}",
                        Integer.toString(ResultCode.ACCOUNTS_MUST_HAVE_THE_SAME_CURRENCY.value())));
            }
            try (PreparedStatement wallets = connection.prepareStatement("INSERT INTO accounts "
                + "SELECT g, ?, 0, ?, true FROM generate_series(1, ?) g");
                PreparedStatement settlement = connection.prepareStatement(
                    "INSERT INTO accounts VALUES (?, ?, ?, 0, false)");
                PreparedStatement funding = connection.prepareStatement("INSERT INTO transfers "
                    + "SELECT gen_random_uuid(), ?, g, ?, ?, now() FROM generate_series(1, ?) g"))
            {
                wallets.setShort(1, (short)CURRENCY);
                wallets.setLong(2, WALLET_FUNDING);
                wallets.setInt(3, accounts);
                wallets.executeUpdate();
                settlement.setLong(1, SETTLEMENT_ID);
                settlement.setShort(2, (short)CURRENCY);
                settlement.setLong(3, Math.multiplyExact(accounts, WALLET_FUNDING));
                settlement.executeUpdate();
                funding.setLong(1, SETTLEMENT_ID);
                funding.setLong(2, WALLET_FUNDING);
                funding.setShort(3, (short)RESULT_OK);
                funding.setInt(4, accounts);
                funding.executeUpdate();
            }
            try (Statement statement = connection.createStatement())
            {
                statement.execute("VACUUM ANALYZE accounts");
                statement.execute("VACUUM ANALYZE transfers");
                statement.execute("CHECKPOINT");
            }
            catch (final SQLException ex)
            {
                // CHECKPOINT needs a superuser (or pg_checkpoint); without it the run is still valid, only noisier.
                System.out.println("setup: no checkpoint before the run (" + ex.getMessage() + ")");
            }
        }

        /**
         * The checks a ledger must pass after any run: money is conserved, no no-overdraft account is negative, and
         * every accepted transfer was posted exactly once.
         *
         * @return true if all hold.
         */
        static boolean verify(final Connection connection, final PrintStream out,
            final PrintStream err) throws SQLException
        {
            boolean healthy = true;
            try (Statement statement = connection.createStatement();
                ResultSet balances = statement.executeQuery("SELECT count(*), "
                    + "coalesce(sum(credits_posted - debits_posted), 0), "
                    + "count(*) FILTER (WHERE no_overdraft AND credits_posted < debits_posted), "
                    + "coalesce(sum(debits_posted), 0) FROM accounts"))
            {
                balances.next();
                final long accountCount = balances.getLong(1);
                final BigDecimal net = balances.getBigDecimal(2);
                final long overdrawn = balances.getLong(3);
                final BigDecimal debits = balances.getBigDecimal(4);
                try (ResultSet transfers = statement.executeQuery("SELECT count(*), "
                    + "count(*) FILTER (WHERE result = " + RESULT_OK + "), "
                    + "count(*) FILTER (WHERE result = " + RESULT_EXCEEDS_CREDITS + "), "
                    + "coalesce(sum(amount) FILTER (WHERE result = " + RESULT_OK + "), 0) FROM transfers"))
                {
                    transfers.next();
                    out.printf("stored: %d accounts, %d transfers (%d accepted, %d rejected, funding included)%n",
                        accountCount, transfers.getLong(1), transfers.getLong(2), transfers.getLong(3));
                    final BigDecimal accepted = transfers.getBigDecimal(4);
                    if (accepted.compareTo(debits) != 0)
                    {
                        err.printf("CHECK FAILED accepted transfers sum to %s but debits posted sum to %s%n",
                            accepted, debits);
                        healthy = false;
                    }
                }
                if (net.signum() != 0)
                {
                    err.printf("CHECK FAILED money not conserved: sum(credits_posted - debits_posted) = %s%n", net);
                    healthy = false;
                }
                if (overdrawn != 0)
                {
                    err.printf("CHECK FAILED %d no-overdraft accounts are negative%n", overdrawn);
                    healthy = false;
                }
                out.printf("check balances: sum(credits_posted - debits_posted) = %s, negative no-overdraft "
                    + "accounts = %d, debits posted = accepted amounts: %s%n",
                    net, overdrawn, healthy ? "ok" : "FAILED");
            }
            return healthy;
        }

        /**
         * @return both accounts' posted amounts, to compare before and after a retry.
         */
        static String balanceDigest(final Connection connection, final long debit, final long credit)
            throws SQLException
        {
            final StringBuilder digest = new StringBuilder();
            try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, debits_posted, credits_posted FROM accounts WHERE id IN (?, ?) ORDER BY id"))
            {
                select.setLong(1, debit);
                select.setLong(2, credit);
                try (ResultSet rs = select.executeQuery())
                {
                    while (rs.next())
                    {
                        digest.append(rs.getLong(1)).append(':').append(rs.getLong(2)).append('/')
                            .append(rs.getLong(3)).append(' ');
                    }
                }
            }
            return digest.toString();
        }
    }
}
