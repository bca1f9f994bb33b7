package io.walletledger.bench.load;

import io.walletledger.server.os.JitStarvationGuard;
import io.walletledger.server.os.RealtimeScheduling;
import io.walletledger.client.Account;
import io.walletledger.client.Transfer;
import io.walletledger.client.TransferIds;
import io.walletledger.client.WalletClient;
import io.walletledger.client.WalletClientCredentials;
import io.walletledger.client.WalletClientOptions;
import io.walletledger.client.WalletClientTls;
import io.walletledger.config.WalletSettings;
import io.walletledger.protocol.sbe.ResultCode;
import io.walletledger.server.WalletServer;
import org.HdrHistogram.Histogram;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * {@code wallet bench}: the load generator. Drives a ledger server through the real binary protocol and the real
 * {@link WalletClient}, closed loop (a fixed number of requests in flight per connection) or open loop (a fixed
 * rate, latency measured from the intended send time), prints a line per second, a summary, checks the ledger
 * afterwards, writes a report directory, and ends with exactly one line
 * {@code RESULT transfers_per_sec=<n> p50_us=<n> p99_us=<n> p999_us=<n> max_us=<n> errors=<n>}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Load generator: drive a ledger server with transfers and measure throughput and latency.")
public final class BenchCommand implements Callable<Integer>
{
    @Option(names = "--host", description = "Server to drive; without it a server is started embedded.")
    String host;

    @Option(names = "--port", description = "Binary port of --host (default: ${DEFAULT-VALUE}).")
    int port = 7070;

    @Option(names = "--accounts", description = "Wallets, created and funded first (default: ${DEFAULT-VALUE}).")
    int accounts = 10_000;

    @Option(names = "--connections", description = "Client connections (default: ${DEFAULT-VALUE}).")
    int connections = 2;

    @Option(names = "--batch", description = "Transfers per request (default: ${DEFAULT-VALUE}).")
    int batch = 1000;

    @Option(names = "--in-flight", description = "Closed loop: requests in flight per connection " +
        "(default: ${DEFAULT-VALUE}).")
    int inFlight = 4;

    @Option(names = "--duration", description = "Measured seconds (default: ${DEFAULT-VALUE}).")
    int duration = 60;

    @Option(names = "--warmup", description = "Seconds before measuring (default: ${DEFAULT-VALUE}).")
    int warmup = 5;

    @Option(names = "--rate", description = "Open loop at this many transfers/s; 0 = closed loop " +
        "(default: ${DEFAULT-VALUE}).")
    long rate;

    @Option(names = "--zipf", description = "Skew of the account choice: 0 = uniform, e.g. 1.0 = Zipf " +
        "(hot wallets) (default: ${DEFAULT-VALUE}).")
    double zipf;

    @Option(names = "--fail-share", description = "Share of transfers that must fail for insufficient funds, " +
        "0..1 (default: ${DEFAULT-VALUE}).")
    double failShare;

    @Option(names = "--two-phase-share", description = "Share of draws that are a hold followed by its post or " +
        "void (two transfers each), 0..1; --fail-share is a share of draws too (default: ${DEFAULT-VALUE}).")
    double twoPhaseShare;

    @Option(names = "--ids", description = "Transfer ids: time-ordered (the Java client's TransferIds, UUIDv7: new " +
        "ones need no look-up in the record) or random (UUIDv4-like: each id the window may have forgotten is looked " +
        "up in the record before it is journaled) (default: ${DEFAULT-VALUE}).")
    String ids = "time-ordered";

    @Option(names = "--queries", description = "Embedded server: account history queries per second beside the " +
        "transfers (the newest 20 entries of a random wallet, open loop), with their latency in the summary; 0 for " +
        "none (default: ${DEFAULT-VALUE}).")
    int queries;

    @Option(names = "--queries-over", description = "What the history queries go over: binary (LookupAccountHistory " +
        "through the Java client, on a connection of their own) or http (GET /v1/accounts/{id}/transfers?limit=20) " +
        "(default: ${DEFAULT-VALUE}).")
    String queriesOver = "binary";

    @Option(names = "--events", description = "Embedded server: one consumer of the change stream beside the " +
        "transfers (long polls of GET /v1/events), with the events it received per second and their delay in the " +
        "summary.")
    boolean events;

    @Option(names = "--durability", description = "Embedded server's journal: batch or none (default: the " +
        "server's own, wallet.journal.durability: batch unless WALLET_JOURNAL_DURABILITY says otherwise).")
    String durability;

    @Option(names = "--no-record", description = "Embedded server: without the permanent record " +
        "(wallet.record.enabled = false). With it, the default, the run ends by reporting when the record caught up.")
    boolean noRecord;

    @Option(names = "--realtime-priority", description = "SCHED_FIFO priority 1..99 of the senders and the clients' " +
        "I/O threads once the warm-up is over, and (wallet.pipeline.realtime-priority) of the embedded server's " +
        "pipeline and binary event-loop threads; 0 = normal scheduling (default: ${DEFAULT-VALUE}).")
    int realtimePriority;

    @Option(names = "--report", description = "Report directory (default: bench-reports/<date-time>).")
    Path reportDirectory;

    @Option(names = "--keep-data", description = "Embedded server: keep its data in this directory instead of " +
        "deleting a temporary one.")
    Path keepData;

    @Option(names = "--seed", description = "Random seed of the workload (default: random).")
    Long seed;

    @Option(names = "--idempotency-window", description = "The idempotency window: the embedded server's, or " +
        "that of --host; it bounds the sample of acknowledged transfers looked up at the end " +
        "(default: ${DEFAULT-VALUE}).")
    int idempotencyWindow = 1 << 20;

    @Option(names = "--tls", description = "Connect with TLS. The embedded server then serves TLS with a " +
        "throw-away self-signed certificate its clients trust; with --host, the server's certificate must be " +
        "trusted by --tls-trust or the JDK's default trust store.")
    boolean tls;

    @Option(names = "--tls-trust", description = "With --host and --tls: a PEM file of the certificates to trust " +
        "(the server's certificate authority or its self-signed certificate).")
    Path tlsTrust;

    private final PrintStream out = System.out;
    private Path tlsFiles;
    private ThrowawayCertificate embeddedTls;
    /** The embedded server's journal durability, as it ran. */
    private String ranDurability;
    /** With --host and a real-time priority: this JVM's own (an embedded server has one). */
    private JitStarvationGuard jitGuard;

    public static void main(final String[] args)
    {
        System.setProperty("java.awt.headless", "true");
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }

    @Override
    public Integer call() throws Exception
    {
        validate();
        final long runSeed = seed != null ? seed : System.nanoTime();
        final Path data = host == null ? (keepData != null ? keepData : Files.createTempDirectory("wallet-bench")) :
            null;
        final boolean fresh = data != null && isEmpty(data);
        WalletServer server = null;
        final List<WalletClient> clients = new ArrayList<>();
        final String result;
        final boolean checked;
        try
        {
            String targetHost = host;
            int targetPort = port;
            WalletClientTls clientTls = null;
            if (tls && host == null)
            {
                tlsFiles = Files.createTempDirectory("wallet-bench-tls");
                final ThrowawayCertificate certificate = ThrowawayCertificate.create(tlsFiles);
                clientTls = WalletClientTls.trusting(certificate.certificate());
                embeddedTls = certificate;
            }
            else if (tls)
            {
                clientTls = tlsTrust != null ? WalletClientTls.trusting(tlsTrust) :
                    WalletClientTls.trustingDefaultAuthorities();
            }
            if (host == null)
            {
                server = WalletServer.start(embeddedSettings(data));
                targetHost = "127.0.0.1";
                targetPort = server.binaryAddress().getPort();
                ranDurability = server.node().config().durability().name().toLowerCase(Locale.ROOT);
                out.println("embedded server: " + server.readyLine());
                out.println("journal durability: " + ranDurability);
            }
            for (int c = 0; c < connections; c++)
            {
                clients.add(WalletClient.connect(WalletClientOptions.builder(targetHost, targetPort)
                    .batchEventsMax(batch).inFlightRequestsMax(Math.max(64, inFlight * 2))
                    .requestTimeout(Duration.ofSeconds(30)).tls(clientTls)
                    // With --host: the API key from WALLET_KEY_ID and WALLET_KEY_SECRET (the embedded server needs none).
                    .credentials(host == null ? null : WalletClientCredentials.fromEnvironment()).build()));
            }
            setUp(clients.get(0));
            out.printf("load: %s, %d connections%s, %d transfers per request, %d wallets (%s), fail share %.2f, " +
                "two-phase share %.2f, %s ids, seed %d%n", rate == 0 ? "closed loop, " + inFlight + " in flight each" :
                "open loop at " + rate + " transfers/s", connections, tls ? " over TLS" : "", batch, accounts,
                zipf == 0 ? "uniform" : "Zipf " + zipf, failShare, twoPhaseShare, ids, runSeed);

            final LoadStats stats = new LoadStats();
            // One sample per request, from requests recent enough that their transfers are still in the ledger's
            // idempotency window, which is where lookups find them.
            final RecentTransfers recent = new RecentTransfers(
                (int)Math.max(1, Math.min(10_000, idempotencyWindow / (2L * batch))));
            final WalletClient queryClient = queries == 0 || !queriesOver.equals("binary") ? null :
                WalletClient.connect(WalletClientOptions.builder(targetHost, targetPort)
                    .inFlightRequestsMax(1024).requestTimeout(Duration.ofSeconds(30)).tls(clientTls).build());
            final HistoryQueries history = queries == 0 ? null : new HistoryQueries(queryClient != null ?
                HistoryQueries.binary(queryClient) : HistoryQueries.http("http://127.0.0.1:" +
                server.httpAddress().getPort()), queryClient != null ? "the binary protocol" : "HTTP", accounts,
                queries, System.nanoTime(), System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup),
                System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup + duration), runSeed);
            final Thread historyThread = history == null ? null : new Thread(history, "bench-history-queries");
            if (historyThread != null)
            {
                historyThread.setDaemon(true);
                historyThread.start();
            }
            final EventConsumer consumer = events ? new EventConsumer("http://127.0.0.1:" +
                server.httpAddress().getPort(), System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup),
                System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup + duration)) : null;
            final Thread consumerThread = consumer == null ? null : new Thread(consumer, "bench-event-consumer");
            if (consumerThread != null)
            {
                consumer.startAtTheEnd();
                consumerThread.setDaemon(true);
                consumerThread.start();
            }
            final KafkaMeter kafka = server != null && server.kafkaPublisher() != null ?
                new KafkaMeter(server.kafkaPublisher(), warmup, duration) : null;
            run(clients, stats, recent, runSeed);
            if (historyThread != null)
            {
                historyThread.join();
                out.println(history.summary(queries));
            }
            if (queryClient != null)
            {
                queryClient.close();
            }

            checked = Verifier.verify(clients.get(0), accounts, batch, recent.snapshot(), stats, fresh, out) &&
                checkRejections(stats);
            if (server != null && server.node().record() != null)
            {
                reportRecordCatchUp(server);
            }
            if (consumer != null)
            {
                out.println(consumer.summary(consumer.finish(consumerThread)));
            }
            if (kafka != null)
            {
                out.println(kafka.summary(server.node().record().position()));
            }
            final Path report = reportDirectory != null ? reportDirectory : Path.of("bench-reports",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            writeReport(report, stats, runSeed);
            final Histogram total = stats.total();
            out.printf("summary: %d transfers answered in the measured %.1f s (%d rejected for insufficient funds " +
                "as asked, %d errors; %d errors in the whole run%s); request latency p50 %d us, p90 %d us, p99 %d us, " +
                "p99.9 %d us, max %d us; report in %s%n",
                stats.measuredTransfers(), stats.measuredSeconds(), stats.measuredRejected(), stats.measuredErrors(),
                stats.errors(), stats.recordBehind() == 0 ? "" : "; " + stats.recordBehind() + " refused " +
                    "RECORD_BEHIND in the whole run, not applied: ids older than the window that the record had not " +
                    "reached yet", total.getValueAtPercentile(50), total.getValueAtPercentile(90),
                total.getValueAtPercentile(99), total.getValueAtPercentile(99.9), total.getMaxValue(),
                report.toAbsolutePath());
            result = String.format("RESULT transfers_per_sec=%d p50_us=%d p99_us=%d p999_us=%d max_us=%d errors=%d",
                stats.transfersPerSecond(), total.getValueAtPercentile(50), total.getValueAtPercentile(99),
                total.getValueAtPercentile(99.9), total.getMaxValue(), stats.errors());
        }
        finally
        {
            cleanUp(clients, server, data);
        }
        // The very last line, after every log line of the shutdown.
        System.err.flush();
        out.println(result);
        out.flush();
        return checked ? 0 : 1;
    }

    /**
     * Waits until the embedded server's record holds every command its engine applied, and says how long that took
     * after the measured run (the record's lag at the end).
     */
    private void reportRecordCatchUp(final WalletServer server)
    {
        final long start = System.nanoTime();
        final long target = server.node().appliedSequence();
        final long deadline = start + TimeUnit.MINUTES.toNanos(10);
        while (server.node().record().position() < target && System.nanoTime() < deadline)
        {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        final long position = server.node().record().position();
        out.printf("record: %s journal sequence %d %d ms after the run%n",
            position >= target ? "caught up with" : "NOT caught up, at " + position + " of", target,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    private boolean checkRejections(final LoadStats stats)
    {
        // A fail draw is one transfer, a two-phase draw two: the expected share of rejected transfers follows.
        final double expected = failShare / (1 + twoPhaseShare);
        final long answered = stats.transfersTotal();
        final double actual = answered == 0 ? 0 : (double)stats.rejectedTotal() / answered;
        final double tolerance = 0.01 + 4 * Math.sqrt(expected * (1 - expected) / Math.max(1, answered / batch));
        if (Math.abs(actual - expected) > tolerance)
        {
            out.printf("CHECK FAILED: %.4f of the transfers were rejected for insufficient funds, expected %.4f%n",
                actual, expected);
            return false;
        }
        return true;
    }

    private void writeReport(final Path report, final LoadStats stats, final long runSeed)
    {
        try
        {
            Report.write(report, stats, describe(runSeed));
        }
        catch (final IOException | RuntimeException ex)
        {
            // The report is an extra: the measurement and the RESULT line stand without it.
            out.println("warning: could not write the report to " + report + ": " + ex);
        }
    }

    private void cleanUp(final List<WalletClient> clients, final WalletServer server, final Path data)
    {
        for (final WalletClient client : clients)
        {
            try
            {
                client.close();
            }
            catch (final RuntimeException ex)
            {
                out.println("warning: closing a client failed: " + ex);
            }
        }
        if (jitGuard != null)
        {
            jitGuard.close();
        }
        try
        {
            if (server != null)
            {
                server.close();
            }
        }
        catch (final RuntimeException ex)
        {
            out.println("warning: closing the embedded server failed: " + ex);
        }
        if (tlsFiles != null)
        {
            try
            {
                deleteRecursively(tlsFiles);
            }
            catch (final IOException | UncheckedIOException ex)
            {
                out.println("warning: could not delete the throw-away certificate in " + tlsFiles + ": " + ex);
            }
        }
        if (data != null && keepData == null)
        {
            try
            {
                deleteRecursively(data);
            }
            catch (final IOException | UncheckedIOException ex)
            {
                out.println("warning: could not delete the temporary data directory " + data + ": " + ex);
            }
        }
    }

    private static boolean isEmpty(final Path directory) throws IOException
    {
        if (!Files.exists(directory))
        {
            return true;
        }
        try (Stream<Path> entries = Files.list(directory))
        {
            return entries.findAny().isEmpty();
        }
    }

    private void validate()
    {
        if (accounts < 2 || connections < 1 || batch < 1 || batch > 65_535 || inFlight < 1 || duration < 1 ||
            warmup < 0 ||
            rate < 0 || zipf < 0 || failShare < 0 || twoPhaseShare < 0 || failShare + twoPhaseShare > 1)
        {
            throw new CommandLine.ParameterException(new CommandLine(this), "invalid load: accounts >= 2, " +
                "connections, batch (at most 65535), in-flight, duration >= 1, warmup, rate, zipf >= 0, shares in " +
                "0..1 summing " +
                "to at most 1");
        }
        if (realtimePriority < 0 || realtimePriority > 99)
        {
            throw new CommandLine.ParameterException(new CommandLine(this), "--realtime-priority must be 0..99");
        }
        if (realtimePriority > 0)
        {
            try
            {
                RealtimeScheduling.check(realtimePriority);
            }
            catch (final IllegalStateException ex)
            {
                throw new CommandLine.ParameterException(new CommandLine(this), "--realtime-priority: " +
                    ex.getMessage());
            }
        }
        if (tlsTrust != null && (!tls || host == null))
        {
            throw new CommandLine.ParameterException(new CommandLine(this), "--tls-trust needs --tls and --host");
        }
        if (queries < 0 || (queries > 0 && host != null))
        {
            throw new CommandLine.ParameterException(new CommandLine(this),
                "--queries must be 0 or more, and needs the embedded server");
        }
        if (events && (host != null || noRecord))
        {
            throw new CommandLine.ParameterException(new CommandLine(this),
                "--events needs the embedded server and its record (no --host, no --no-record)");
        }
        if (!queriesOver.equals("binary") && !queriesOver.equals("http"))
        {
            throw new CommandLine.ParameterException(new CommandLine(this), "--queries-over must be binary or http");
        }
        if (!ids.equals("time-ordered") && !ids.equals("random"))
        {
            throw new CommandLine.ParameterException(new CommandLine(this), "--ids must be time-ordered or random");
        }
        if (durability != null && !durability.equals("none") && !durability.equals("batch"))
        {
            throw new CommandLine.ParameterException(new CommandLine(this), "--durability must be none or batch");
        }
    }

    private WalletSettings embeddedSettings(final Path data)
    {
        final Map<String, Object> overrides = new LinkedHashMap<>();
        overrides.put("wallet.data-dir", data.toString());
        overrides.put("wallet.server.port", 0);
        overrides.put("wallet.server.http-port", 0);
        // The embedded server is the load generator's own, on loopback: no keys to manage.
        overrides.put("wallet.security.mode", "development");
        if (durability != null)
        {
            overrides.put("wallet.journal.durability", durability);
        }
        overrides.put("wallet.record.enabled", !noRecord);
        overrides.put("wallet.ledger.accounts-max", Math.max(accounts + 1, 1 << 20));
        overrides.put("wallet.ledger.batch-events-max", Math.max(batch, 8190));
        overrides.put("wallet.ledger.idempotency-window", idempotencyWindow);
        if (realtimePriority != 0)
        {
            overrides.put("wallet.pipeline.realtime-priority", realtimePriority);
        }
        if (embeddedTls != null)
        {
            overrides.put("wallet.server.tls.enabled", true);
            overrides.put("wallet.server.tls.certificate", embeddedTls.certificate().toString());
            overrides.put("wallet.server.tls.private-key", embeddedTls.privateKey().toString());
        }
        return WalletSettings.load().withOverrides(overrides);
    }

    /**
     * Creates the settlement account and the wallets, and funds every wallet from the settlement account.
     */
    private void setUp(final WalletClient client)
    {
        final TransferIds fundingIds = new TransferIds();
        final long start = System.nanoTime();
        final List<Account> created = new ArrayList<>();
        created.add(Account.unrestricted(Workload.SETTLEMENT, Workload.USD));
        for (long id = 2; id <= accounts + 1; id++)
        {
            created.add(Account.wallet(id, Workload.USD));
        }
        requireAllOk("accounts", client.createAccountsSync(created));
        final List<Transfer> funding = new ArrayList<>(accounts);
        for (long id = 2; id <= accounts + 1; id++)
        {
            funding.add(Transfer.of(fundingIds.next(), Workload.SETTLEMENT, id, Workload.FUNDING, Workload.USD));
        }
        requireAllOk("funding", client.createTransfersSync(funding));
        out.printf("set up %d wallets, each funded with %d cents, in %d ms%n", accounts, Workload.FUNDING,
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    private static void requireAllOk(final String what, final List<ResultCode> results)
    {
        for (final ResultCode result : results)
        {
            if (result != ResultCode.OK && result != ResultCode.EXISTS)
            {
                throw new IllegalStateException("setting up " + what + " failed: " + result);
            }
        }
    }

    private void run(
        final List<WalletClient> clients,
        final LoadStats stats,
        final RecentTransfers recent,
        final long runSeed) throws InterruptedException
    {
        final long start = System.nanoTime();
        final long end = start + TimeUnit.SECONDS.toNanos(warmup + duration);
        final long interval = rate == 0 ? 0 : Math.max(1, Math.round(1e9 * batch * connections / rate));
        final List<Thread> senders = new ArrayList<>();
        final List<Sender> work = new ArrayList<>();
        for (int c = 0; c < clients.size(); c++)
        {
            final Workload workload = new Workload(accounts, zipf, failShare, twoPhaseShare,
                ids.equals("random") ? Workload.Ids.RANDOM : Workload.Ids.TIME_ORDERED, c, runSeed);
            // Open-loop senders are staggered over one interval, so requests do not leave in bursts.
            final Sender senderWork = new Sender(clients.get(c), workload, stats, recent, batch, inFlight,
                interval, start + interval * c / clients.size(), end, realtimePriority > 0);
            work.add(senderWork);
            final Thread sender = new Thread(senderWork, "bench-sender-" + c);
            sender.setDaemon(true);
            senders.add(sender);
            sender.start();
        }
        long next = start + TimeUnit.SECONDS.toNanos(1);
        long lastTick = start;
        int second = 1;
        while (next <= end)
        {
            TimeUnit.NANOSECONDS.sleep(Math.max(0, next - System.nanoTime()));
            final long now = System.nanoTime();
            progress(stats.tick(second, second <= warmup, (now - lastTick) / 1e9));
            if (second == Math.max(1, warmup) && realtimePriority > 0)
            {
                raiseLoadThreads(work);
            }
            lastTick = now;
            second++;
            next += TimeUnit.SECONDS.toNanos(1);
        }
        for (final Thread sender : senders)
        {
            sender.join();
        }
        // The answers to requests sent before the end (every one is awaited), counted in a last, shorter period.
        final double tail = (System.nanoTime() - lastTick) / 1e9;
        if (tail > 0.001)
        {
            progress(stats.tick(second, false, tail));
        }
    }

    /**
     * Puts the senders and the clients' I/O threads under {@code SCHED_FIFO} once the warm-up is over, from this
     * thread, by thread id, with the JVM's VM thread and a {@link JitStarvationGuard} for its compiler threads
     * (an embedded server has done that already). At that priority from the start, or raised by a branch in their
     * own hot code taken for the first time, they kept the JIT compiler (a normal thread) off both vCPUs while
     * running code it had not compiled yet: runs stalled for ~1 s, the kernel's real-time throttling
     * (docs/performance.md).
     */
    private void raiseLoadThreads(final List<Sender> work)
    {
        if (host != null)
        {
            RealtimeScheduling.applyToVmThread(realtimePriority);
            jitGuard = JitStarvationGuard.start(realtimePriority);
        }
        for (int c = 0; c < work.size(); c++)
        {
            final int[] ids = work.get(c).threadIds();
            final String[] names = {"bench-sender-" + c, "the I/O thread of client " + c};
            for (int t = 0; t < ids.length; t++)
            {
                if (ids[t] == 0)
                {
                    out.println("warning: " + names[t] + " has not run yet; it stays at normal priority");
                }
                else
                {
                    RealtimeScheduling.applyOrWarn(ids[t], names[t], realtimePriority);
                }
            }
        }
    }

    private void progress(final LoadStats.Second s)
    {
        out.printf("%s %3d s  transfers/s %,10d  p50 %,8d us  p99 %,8d us  max %,8d us  rejected %d  errors %d%n",
            s.warmup() ? "warmup" : "      ", s.second(), s.transfers(), s.p50Micros(), s.p99Micros(),
            s.maxMicros(), s.rejected(), s.errors());
    }

    private String describe(final long runSeed)
    {
        return "host=" + (host == null ? "embedded (journal " + ranDurability + ", record " + !noRecord + ")" :
            host + ":" + port) +
            "\ntls=" + tls +
            "\naccounts=" + accounts + "\nconnections=" + connections + "\nbatch=" + batch +
            "\nin-flight=" + inFlight + "\nduration=" + duration + "\nwarmup=" + warmup + "\nrate=" + rate +
            "\nzipf=" + zipf + "\nfail-share=" + failShare + "\ntwo-phase-share=" + twoPhaseShare +
            "\nseed=" + runSeed + "\n";
    }

    private static void deleteRecursively(final Path directory) throws IOException
    {
        try (Stream<Path> paths = Files.walk(directory))
        {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(path);
            }
        }
    }
}
