package io.walletledger.server.os;

import io.walletledger.server.HttpApiTest;
import io.walletledger.server.WalletServer;
import io.walletledger.server.node.NodeConfig;
import io.walletledger.config.WalletSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whether this machine lets the test JVM use {@code SCHED_FIFO} depends on how it runs (root, CAP_SYS_NICE,
 * RLIMIT_RTPRIO). Each test checks the outcome that applies: where the system allows it, that the threads really
 * run under it; where it refuses, that nothing starts and the refusal says what would allow it.
 */
class RealtimeSchedulingTest
{
    /** Threads that were there before the server under test started. */
    private static List<String> earlierTasks = List.of();

    @TempDir
    Path directory;

    @Test
    void aThreadRunsUnderSchedFifoOrTheRefusalSaysWhy() throws Exception
    {
        final AtomicReference<int[]> policy = new AtomicReference<>();
        final AtomicReference<IllegalStateException> refused = new AtomicReference<>();
        final Thread thread = new Thread(() ->
        {
            try
            {
                RealtimeScheduling.applyToCurrentThread(3);
                policy.set(RealtimeScheduling.currentThreadPolicy());
            }
            catch (final IllegalStateException ex)
            {
                refused.set(ex);
            }
        });
        thread.start();
        thread.join();

        if (realtimeAllowed())
        {
            assertArrayEquals(new int[] {RealtimeScheduling.SCHED_FIFO, 3}, policy.get());
            assertEquals(RealtimeScheduling.SCHED_OTHER, RealtimeScheduling.currentThreadPolicy()[0],
                "only the thread that asked changes");
        }
        else
        {
            assertRefusalExplained(refused.get().getMessage(), 3);
        }
    }

    @Test
    void anotherThreadCanRaiseAThreadByItsIdOrTheThreadStaysAsItWas() throws Exception
    {
        final java.util.concurrent.CountDownLatch raised = new java.util.concurrent.CountDownLatch(1);
        final AtomicReference<Integer> id = new AtomicReference<>();
        final AtomicReference<int[]> policy = new AtomicReference<>();
        final Thread thread = new Thread(() ->
        {
            id.set(RealtimeScheduling.currentThreadId());
            try
            {
                raised.await();
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            policy.set(RealtimeScheduling.currentThreadPolicy());
        }, "raised-by-id");
        thread.start();
        while (id.get() == null)
        {
            Thread.sleep(1);
        }
        assertTrue(Files.isDirectory(Path.of("/proc/self/task/" + id.get())), "a thread of this process: " + id.get());

        RealtimeScheduling.applyOrWarn(id.get(), "raised-by-id", 4);
        raised.countDown();
        thread.join();

        if (realtimeAllowed())
        {
            assertArrayEquals(new int[] {RealtimeScheduling.SCHED_FIFO, 4}, policy.get());
            assertEquals(RealtimeScheduling.SCHED_OTHER, RealtimeScheduling.currentThreadPolicy()[0],
                "only the thread named changes");
        }
        else
        {
            assertEquals(RealtimeScheduling.SCHED_OTHER, policy.get()[0], "a refusal is logged, the thread runs on");
        }
    }

    @Test
    void aPriorityOutsideOneToNinetyNineIsRefusedBeforeTheSystemIsAsked()
    {
        assertThrows(IllegalArgumentException.class, () -> RealtimeScheduling.applyToCurrentThread(0));
        assertThrows(IllegalArgumentException.class, () -> RealtimeScheduling.applyToCurrentThread(100));
        assertThrows(IllegalArgumentException.class, () -> NodeConfig.builder(directory).realtimePriority(100));
    }

    @Test
    void aRealtimePriorityNeedsTheBlockingWaitStrategy()
    {
        final IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () ->
            NodeConfig.builder(directory).realtimePriority(5).waitStrategy(WaitStrategyName.YIELDING).build());
        assertEquals("realtimePriority 5 needs the BLOCKING wait strategy, not YIELDING", refused.getMessage());
    }

    @Test
    void priorityZeroLeavesThreadsAsTheyAre()
    {
        final ThreadFactory delegate = Thread::new;
        assertSame(delegate, RealtimeScheduling.threadFactory(delegate, 0));
        final Runnable runnable = () -> { };
        assertSame(runnable, RealtimeScheduling.runAt(0, runnable));
    }

    @Test
    void aServerRunsItsRequestPathUnderSchedFifoOrDoesNotStart() throws Exception
    {
        final Path data = directory.resolve("data");
        final WalletSettings settings = HttpApiTest.settings(data)
            .withOverrides(Map.of("wallet.pipeline.realtime-priority", 2));
        if (!realtimeAllowed())
        {
            final IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> WalletServer.start(settings).close());
            assertRefusalExplained(refused.getMessage(), 2);
            assertFalse(Files.exists(data), "nothing is opened before the check");
            return;
        }
        // Threads of servers that earlier tests closed may outlive their close by a moment: only this server's count.
        earlierTasks = taskIds();
        try (WalletServer server = WalletServer.start(settings);
             Socket connection = new Socket("127.0.0.1", server.binaryAddress().getPort()))
        {
            // The binary event loop starts its thread when the first connection arrives.
            final long deadline = System.nanoTime() + 10_000_000_000L;
            List<int[]> binaryThreads = threadPolicies("wallet-binary");
            while (binaryThreads.isEmpty() && System.nanoTime() < deadline)
            {
                Thread.sleep(10);
                binaryThreads = threadPolicies("wallet-binary");
            }
            assertFalse(binaryThreads.isEmpty(), "no binary event-loop thread");
            final List<int[]> stages = threadPolicies("wallet-node-");
            assertEquals(3, stages.size(), "journaler, engine and responder");
            final List<int[]> guard = threadPolicies("wallet-jitguard");
            assertEquals(1, guard.size(), "one guard for the JIT compiler threads");
            for (final int[] policy : concat(concat(stages, binaryThreads), concat(vmThreadPolicy(), guard)))
            {
                assertArrayEquals(new int[] {RealtimeScheduling.SCHED_FIFO, 2}, policy);
            }
            final List<int[]> follower = threadPolicies("wallet-snapshot");
            assertFalse(follower.isEmpty(), "no snapshot follower thread");
            for (final int[] policy : follower)
            {
                assertEquals(RealtimeScheduling.SCHED_OTHER, policy[0],
                    "the snapshot follower is not on the request path");
            }
            assertTrue(connection.isConnected());
        }
        final List<int[]> compilers = concat(threadPolicies("C1 CompilerThre"), threadPolicies("C2 CompilerThre"));
        assertFalse(compilers.isEmpty(), "no JIT compiler thread");
        for (final int[] policy : concat(vmThreadPolicy(), compilers))
        {
            assertArrayEquals(new int[] {RealtimeScheduling.SCHED_OTHER, 0}, policy,
                "a closed node leaves the JVM's threads under the normal scheduler");
        }
        assertTrue(threadPolicies("wallet-jitguard").isEmpty(), "the guard stopped");
    }

    @Test
    void theGuardWatchesTheJitCompilerThreads()
    {
        assertTrue(RealtimeScheduling.isCompilerThread("C2 CompilerThre"));
        assertTrue(RealtimeScheduling.isCompilerThread("C1 CompilerThre"));
        assertFalse(RealtimeScheduling.isCompilerThread("VM Thread"));
        assertFalse(RealtimeScheduling.isCompilerThread("wallet-node-0"));
    }

    private static void assertRefusalExplained(final String message, final int priority)
    {
        assertTrue(message.startsWith("wallet.pipeline.realtime-priority = " + priority + ": "), message);
        assertTrue(message.contains("CAP_SYS_NICE") || message.contains("needs Linux") ||
            message.contains("EINVAL"), message);
    }

    /**
     * Asks the system directly, on a thread of its own, whether this JVM may use {@code SCHED_FIFO}.
     */
    private static boolean realtimeAllowed() throws InterruptedException
    {
        final AtomicReference<Boolean> allowed = new AtomicReference<>(false);
        final Thread probe = new Thread(() ->
        {
            try
            {
                RealtimeScheduling.applyToCurrentThread(1);
                allowed.set(true);
            }
            catch (final RuntimeException | LinkageError ex)
            {
                allowed.set(false);
            }
        });
        probe.start();
        probe.join();
        return allowed.get();
    }

    /**
     * @return {policy, real-time priority} of each thread of this process whose name starts with {@code prefix},
     * from {@code /proc/self/task/<tid>/stat} (fields 41 and 40); of the server's threads ({@code wallet-}), only
     * those not in {@link #earlierTasks}.
     */
    private static List<String> taskIds() throws IOException
    {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task")))
        {
            return tasks.map(task -> task.getFileName().toString()).toList();
        }
    }

    private static List<int[]> threadPolicies(final String prefix) throws IOException
    {
        final List<int[]> policies = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task")))
        {
            for (final Path task : (Iterable<Path>)tasks::iterator)
            {
                final String stat;
                try
                {
                    stat = Files.readString(task.resolve("stat"));
                }
                catch (final IOException ex)
                {
                    continue; // the thread ended meanwhile
                }
                final String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (name.startsWith(prefix) &&
                    !(name.startsWith("wallet-") && earlierTasks.contains(task.getFileName().toString())))
                {
                    // Fields from the third (state) on follow the name's closing parenthesis.
                    final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
                    policies.add(new int[] {Integer.parseInt(fields[38]), Integer.parseInt(fields[37])});
                }
            }
        }
        return policies;
    }

    /**
     * @return {policy, real-time priority} of the VM thread; fails if there is none, since then nothing would be
     * checked.
     */
    private static List<int[]> vmThreadPolicy() throws IOException
    {
        final List<int[]> vm = threadPolicies(RealtimeScheduling.VM_THREAD);
        assertEquals(1, vm.size(), "one VM thread");
        return vm;
    }

    private static List<int[]> concat(final List<int[]> a, final List<int[]> b)
    {
        final List<int[]> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
