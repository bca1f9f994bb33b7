package io.walletledger.server.os;

import org.junit.jupiter.api.Test;

import static io.walletledger.server.os.JitStarvationGuard.STARVED_RUN_NANOS;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * When the guard raises a compiler thread and when it puts it back, from what it sees at each check. (Starving a
 * compiler thread for real takes real-time threads that keep every CPU busy; docs/performance.md has those runs.)
 */
class JitStarvationGuardTest
{
    private static final long MS = 1_000_000L;

    @Test
    void aThreadRunnableForTwoIntervalsThatBarelyRanIsRaisedUntilItSleeps()
    {
        final JitStarvationGuard.Compiler compiler = new JitStarvationGuard.Compiler(7, "C2 CompilerThre");
        assertEquals(0, compiler.observe('R', 100 * MS), "runnable once: too soon to tell");
        assertEquals(0, compiler.observe('R', 100 * MS), "one interval without running");
        assertEquals(1, compiler.observe('R', 100 * MS + STARVED_RUN_NANOS - 1), "two intervals: starving");
        compiler.raised = true;
        assertEquals(0, compiler.observe('R', 140 * MS), "it runs, raised, while it is runnable");
        for (int check = 1; check < JitStarvationGuard.RELEASE_CHECKS; check++)
        {
            assertEquals(0, compiler.observe('S', 150 * MS), "asleep, but compilations come in bursts");
        }
        assertEquals(0, compiler.observe('R', 160 * MS), "woken: the count of sleeping checks starts again");
        for (int check = 1; check < JitStarvationGuard.RELEASE_CHECKS; check++)
        {
            assertEquals(0, compiler.observe('S', 170 * MS));
        }
        assertEquals(-1, compiler.observe('S', 170 * MS), "asleep long enough: back to normal");
        compiler.raised = false;
        assertEquals(0, compiler.observe('S', 170 * MS));
    }

    @Test
    void aThreadThatRunsOrSleepsIsLeftAlone()
    {
        final JitStarvationGuard.Compiler compiler = new JitStarvationGuard.Compiler(7, "C2 CompilerThre");
        long run = 0;
        for (int check = 0; check < 50; check++)
        {
            run += STARVED_RUN_NANOS;
            assertEquals(0, compiler.observe('R', run), "runnable and getting a CPU, as under the normal scheduler");
        }
        assertEquals(0, compiler.observe('R', run));
        assertEquals(0, compiler.observe('S', run), "a sleep starts the count again");
        assertEquals(0, compiler.observe('R', run));
        assertEquals(0, compiler.observe('R', run));
        assertEquals(1, compiler.observe('R', run), "and two intervals without running are enough again");
    }
}
