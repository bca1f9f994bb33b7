package io.walletledger.server.os;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Gives the JVM's JIT compiler threads real-time priority only while real-time threads keep them off every CPU.
 * <p>
 * Real-time threads can need the compiler: when the JIT throws away a method's compiled code, every call to it goes
 * through the runtime ({@code SharedRuntime::handle_wrong_method}) until a compiler thread has installed new code.
 * On two vCPUs two real-time threads doing that kept a normal-priority compiler off both for ~1 s, until the
 * kernel's real-time throttling (docs/performance.md). A compiler at real-time priority all the time ends that, but
 * then every compilation of code run for the first time (the snapshot code at the first snapshot) takes a vCPU from
 * the request path for as long as it lasts, tens of milliseconds.
 * <p>
 * So the compiler threads stay under the normal scheduler, where they get the CPU time real-time threads leave, and
 * this guard, a real-time thread that sleeps between checks, looks at each every {@link #CHECK_INTERVAL_NANOS}: a
 * compiler thread that stayed runnable for {@link #STARVED_INTERVALS} intervals while running less than
 * {@link #STARVED_RUN_NANOS} in all is starving (under the normal scheduler alone, sharing with other normal
 * threads, it would have run far more), and runs under {@code SCHED_FIFO} at the pipeline's priority until it has
 * slept (its queue empty) for {@link #RELEASE_CHECKS} checks in a row. It reads {@code /proc/self/task/<tid>/stat}
 * (the state) and {@code schedstat} (time on a CPU) of each compiler thread, and looks for new compiler threads once
 * a second. Those reads allocate a few hundred bytes each, on this thread only: about 100 KB a second.
 */
public final class JitStarvationGuard implements AutoCloseable
{
    static final long CHECK_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** Intervals a compiler thread must stay runnable, running less than {@link #STARVED_RUN_NANOS} in all. */
    static final int STARVED_INTERVALS = 2;
    static final long STARVED_RUN_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /**
     * Checks a raised compiler thread must be found asleep in a row before it goes back to normal: compilations come
     * in bursts (a deoptimized method, then its callers), and each new starvation would take two intervals to see.
     */
    static final int RELEASE_CHECKS = 100;
    private static final int CHECKS_PER_SCAN = 100;
    private static final Logger LOG = LoggerFactory.getLogger(JitStarvationGuard.class);

    private final int priority;
    private final Map<Integer, Compiler> compilers = new HashMap<>();
    private final Thread thread;
    private volatile boolean closed;
    private long boosts;

    private JitStarvationGuard(final int priority)
    {
        this.priority = priority;
        this.thread = new Thread(this::run, "wallet-jitguard");
        this.thread.setDaemon(true);
    }

    /**
     * Starts a guard on a thread of its own, which runs under {@code SCHED_FIFO} at {@code priority} (a refusal is
     * logged, and it runs at normal priority, which makes it useless but harmless).
     */
    public static JitStarvationGuard start(final int priority)
    {
        final JitStarvationGuard guard = new JitStarvationGuard(priority);
        guard.thread.start();
        return guard;
    }

    /**
     * @return how many times a starving compiler thread was raised so far.
     */
    public synchronized long boosts()
    {
        return boosts;
    }

    /**
     * What a compiler thread looked like at the last check, and what the guard did to it.
     */
    static final class Compiler
    {
        final int threadId;
        final String name;
        /** Consecutive checks that found the thread runnable, and its time on a CPU at the first of them. */
        int runnableChecks;
        long runNanosSince;
        /** Consecutive checks that found the thread asleep while raised. */
        int sleepingChecks;
        boolean raised;

        Compiler(final int threadId, final String name)
        {
            this.threadId = threadId;
            this.name = name;
        }

        /**
         * @return +1 to raise the thread, -1 to put it back under the normal scheduler, 0 to leave it, given what it
         * looks like now; and remembers that.
         */
        int observe(final char state, final long runNanos)
        {
            if (state != 'R')
            {
                runnableChecks = 0;
                return raised && ++sleepingChecks >= RELEASE_CHECKS ? -1 : 0;
            }
            sleepingChecks = 0;
            if (runnableChecks++ == 0)
            {
                runNanosSince = runNanos;
                return 0;
            }
            if (!raised && runnableChecks > STARVED_INTERVALS && runNanos - runNanosSince < STARVED_RUN_NANOS)
            {
                return 1;
            }
            if (runNanos - runNanosSince >= STARVED_RUN_NANOS)
            {
                // It runs: start a new window from here.
                runnableChecks = 1;
                runNanosSince = runNanos;
            }
            return 0;
        }
    }

    private void run()
    {
        RealtimeScheduling.applyOrWarn(priority);
        int checks = 0;
        while (!closed)
        {
            if (checks++ % CHECKS_PER_SCAN == 0)
            {
                scan();
            }
            for (final Compiler compiler : compilers.values())
            {
                check(compiler);
            }
            LockSupport.parkNanos(CHECK_INTERVAL_NANOS);
        }
        for (final Compiler compiler : compilers.values())
        {
            if (compiler.raised)
            {
                RealtimeScheduling.applyOrWarn(compiler.threadId, compiler.name, 0);
            }
        }
    }

    private void check(final Compiler compiler)
    {
        final Path task = Path.of("/proc/self/task", Integer.toString(compiler.threadId));
        final char state;
        final long runNanos;
        try
        {
            final String stat = Files.readString(task.resolve("stat"));
            state = stat.charAt(stat.lastIndexOf(')') + 2);
            final String schedstat = Files.readString(task.resolve("schedstat"));
            runNanos = Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
        }
        catch (final IOException | RuntimeException ex)
        {
            return; // the thread ended; the next scan forgets it
        }
        final int decision = compiler.observe(state, runNanos);
        if (decision > 0 && RealtimeScheduling.applyOrWarn(compiler.threadId, compiler.name, priority))
        {
            compiler.raised = true;
            synchronized (this)
            {
                boosts++;
            }
            LOG.debug("{} starved behind real-time threads: SCHED_FIFO {} until it sleeps", compiler.name, priority);
        }
        else if (decision < 0 && RealtimeScheduling.applyOrWarn(compiler.threadId, compiler.name, 0))
        {
            compiler.raised = false;
        }
    }

    private void scan()
    {
        final Map<Integer, Compiler> found = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task")))
        {
            for (final Path task : tasks)
            {
                final String name;
                try
                {
                    name = Files.readString(task.resolve("comm")).strip();
                }
                catch (final IOException ex)
                {
                    continue; // ended since the listing
                }
                if (RealtimeScheduling.isCompilerThread(name))
                {
                    final int threadId = Integer.parseInt(task.getFileName().toString());
                    final Compiler known = compilers.get(threadId);
                    found.put(threadId, known != null ? known : new Compiler(threadId, name));
                }
            }
        }
        catch (final IOException ex)
        {
            LOG.warn("cannot list this process's threads: {}", ex.toString());
            return;
        }
        compilers.clear();
        compilers.putAll(found);
    }

    /**
     * Stops the guard and puts any compiler thread it raised back under the normal scheduler.
     */
    @Override
    public void close()
    {
        closed = true;
        LockSupport.unpark(thread);
        try
        {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
        }
        LOG.info("JIT compiler threads raised {} times while real-time threads starved them", boosts());
    }
}
