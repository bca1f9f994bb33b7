package io.walletledger.server.os;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Puts threads under Linux's real-time scheduler, {@code SCHED_FIFO} ({@code wallet.pipeline.realtime-priority}).
 * <p>
 * Under the normal scheduler a thread that wakes with work may wait for a CPU while another thread finishes its
 * share: on a machine with two cores, measured beside a load generator, that queueing set the open loop's p99
 * (docs/performance.md). A {@code SCHED_FIFO} thread takes a CPU from any normal thread as soon as it wakes, and
 * keeps it until it blocks. That is safe only for threads that block when idle: the node refuses a real-time
 * priority with any wait strategy but blocking ({@code WalletSettings}), and Linux's real-time throttling
 * ({@code /proc/sys/kernel/sched_rt_runtime_us}) keeps 5 % of each second for normal threads regardless.
 * <p>
 * Through JNA's binding of the C library's {@code sched_setscheduler}, which with pid 0 applies to the calling
 * thread only.
 */
public final class RealtimeScheduling
{
    static final int SCHED_OTHER = 0;
    static final int SCHED_FIFO = 1;
    public static final int PRIORITY_MAX = 99;

    private static final Logger LOG = LoggerFactory.getLogger(RealtimeScheduling.class);
    private static final int EPERM = 1;
    private static final int EINVAL = 22;
    static final String VM_THREAD = "VM Thread";

    /**
     * The C library's scheduling calls; {@code param} is a {@code struct sched_param}, one {@code int}.
     */
    interface CLibrary extends Library
    {
        int sched_setscheduler(int pid, int policy, int[] param) throws LastErrorException;

        int sched_getscheduler(int pid) throws LastErrorException;

        int sched_getparam(int pid, int[] param) throws LastErrorException;

        int gettid();
    }

    private RealtimeScheduling()
    {
    }

    /**
     * Puts the calling thread under {@code SCHED_FIFO} at {@code priority}.
     *
     * @throws IllegalStateException saying why and what would allow it, if the system refuses.
     */
    static void applyToCurrentThread(final int priority)
    {
        if (priority < 1 || priority > PRIORITY_MAX)
        {
            throw new IllegalArgumentException("a real-time priority is 1.." + PRIORITY_MAX + ", not " + priority);
        }
        if (!Platform.isLinux())
        {
            throw new IllegalStateException("wallet.pipeline.realtime-priority = " + priority +
                " needs Linux; this is " + System.getProperty("os.name") + ". Set it to 0");
        }
        try
        {
            library().sched_setscheduler(0, SCHED_FIFO, new int[] {priority});
        }
        catch (final LastErrorException ex)
        {
            throw new IllegalStateException(refusal(priority, ex.getErrorCode()), ex);
        }
    }

    /**
     * @return the calling thread's scheduling policy and priority, as {@code {policy, priority}}.
     */
    static int[] currentThreadPolicy()
    {
        final CLibrary library = library();
        final int[] param = new int[1];
        final int policy = library.sched_getscheduler(0);
        library.sched_getparam(0, param);
        return new int[] {policy, param[0]};
    }

    /**
     * Checks, on a thread of its own, that threads of this process may run at {@code priority}, so that a server
     * configured for it refuses to start rather than run without it.
     *
     * @throws IllegalStateException saying why and what would allow it, if the system refuses.
     */
    public static void check(final int priority)
    {
        final AtomicReference<RuntimeException> refused = new AtomicReference<>();
        final Thread probe = new Thread(() ->
        {
            try
            {
                applyToCurrentThread(priority);
            }
            catch (final RuntimeException | LinkageError ex)
            {
                refused.set(ex instanceof RuntimeException ? (RuntimeException)ex :
                    new IllegalStateException("wallet.pipeline.realtime-priority = " + priority +
                        ": JNA cannot reach the C library (" + ex + ")", ex));
            }
        }, "wallet-realtime-check");
        probe.start();
        try
        {
            probe.join();
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking real-time scheduling", ex);
        }
        if (refused.get() != null)
        {
            throw refused.get();
        }
    }

    /**
     * @param priority 0 for threads as {@code delegate} makes them, else their {@code SCHED_FIFO} priority.
     * @return a factory whose threads first put themselves under {@code SCHED_FIFO} ({@link #runAt}).
     */
    public static ThreadFactory threadFactory(final ThreadFactory delegate, final int priority)
    {
        return priority == 0 ? delegate : (runnable) -> delegate.newThread(runAt(priority, runnable));
    }

    /**
     * @param priority 0 for {@code runnable} itself, else its {@code SCHED_FIFO} priority.
     * @return {@code runnable}, preceded by putting its thread under {@code SCHED_FIFO}. A thread the system refuses
     * (after {@link #check} allowed it) logs why and runs at normal priority: it must run either way.
     */
    public static Runnable runAt(final int priority, final Runnable runnable)
    {
        if (priority == 0)
        {
            return runnable;
        }
        return () ->
        {
            applyOrWarn(priority);
            runnable.run();
        };
    }

    /**
     * @return the calling thread's Linux thread id, for {@link #applyOrWarn(int, String, int)} from another thread.
     */
    public static int currentThreadId()
    {
        return library().gettid();
    }

    /**
     * Puts thread {@code threadId} of this process under {@code SCHED_FIFO} at {@code priority}, from any thread:
     * the thread itself runs on undisturbed, with no new branch in its own code. A refusal is logged, and the thread
     * goes on at normal priority.
     *
     * @param name     of the thread, for the log.
     * @param priority 1..99, or 0 to put the thread back under the normal scheduler ({@code SCHED_OTHER}).
     * @return whether the system made the change.
     */
    public static boolean applyOrWarn(final int threadId, final String name, final int priority)
    {
        try
        {
            library().sched_setscheduler(threadId, priority == 0 ? SCHED_OTHER : SCHED_FIFO, new int[] {priority});
            return true;
        }
        catch (final LastErrorException ex)
        {
            LOG.warn("thread {} runs at normal priority: {}", name, refusal(priority, ex.getErrorCode()));
        }
        catch (final RuntimeException | LinkageError ex)
        {
            LOG.warn("thread {} runs at normal priority: {}", name, ex.getMessage());
        }
        return false;
    }

    /**
     * Puts the JVM's VM thread, which brings every thread to a safepoint and runs VM operations (a garbage
     * collection starts there), under {@code SCHED_FIFO} at {@code priority}, found by its Linux name in
     * {@code /proc/self/task}, so that real-time threads never wait for it behind normal threads. It blocks when
     * idle. The JIT compiler threads are the {@link JitStarvationGuard}'s.
     *
     * @param priority 1..99, or 0 to put it back under the normal scheduler.
     * @return whether its scheduling changed; a refusal is logged.
     */
    public static boolean applyToVmThread(final int priority)
    {
        final Path tasks = Path.of("/proc/self/task");
        boolean changed = false;
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks))
        {
            for (final Path thread : threads)
            {
                final String name = threadName(thread);
                if (VM_THREAD.equals(name))
                {
                    changed |= applyOrWarn(Integer.parseInt(thread.getFileName().toString()), name, priority);
                }
            }
        }
        catch (final IOException ex)
        {
            LOG.warn("the JVM's VM thread runs at normal priority: cannot list {}: {}", tasks, ex.toString());
        }
        return changed;
    }

    /**
     * @param name a Linux thread name, at most 15 characters ({@code comm}).
     * @return whether it names one of the JVM's JIT compiler threads.
     */
    static boolean isCompilerThread(final String name)
    {
        return name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre");
    }

    private static String threadName(final Path thread)
    {
        try
        {
            return Files.readString(thread.resolve("comm")).strip();
        }
        catch (final IOException ex)
        {
            return null; // the thread ended since the directory was listed
        }
    }

    /**
     * {@link #applyToCurrentThread}, for a thread that must run either way: a refusal is logged, and the thread goes
     * on at normal priority.
     */
    public static void applyOrWarn(final int priority)
    {
        try
        {
            applyToCurrentThread(priority);
        }
        catch (final RuntimeException | LinkageError ex)
        {
            LOG.warn("thread {} runs at normal priority: {}", Thread.currentThread().getName(), ex.getMessage());
        }
    }

    private static String refusal(final int priority, final int errno)
    {
        final String setting = "wallet.pipeline.realtime-priority = " + priority;
        if (errno == EPERM)
        {
            return setting + ": the system refused SCHED_FIFO (EPERM). Run as root, grant the java binary " +
                "CAP_SYS_NICE, or raise RLIMIT_RTPRIO to " + priority + " or more (ulimit -r, limits.conf rtprio); " +
                "in a container, real-time scheduling must also be allowed to its cgroup. Or set it to 0";
        }
        if (errno == EINVAL)
        {
            return setting + ": the system refused SCHED_FIFO at this priority (EINVAL)";
        }
        return setting + ": sched_setscheduler failed with errno " + errno;
    }

    private static CLibrary library()
    {
        return Holder.LIBRARY;
    }

    /**
     * Loads the C library on first use only, so that a node without real-time scheduling never touches JNA.
     */
    private static final class Holder
    {
        static final CLibrary LIBRARY = Native.load("c", CLibrary.class);
    }
}
