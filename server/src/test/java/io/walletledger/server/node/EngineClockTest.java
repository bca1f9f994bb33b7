package io.walletledger.server.node;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link EngineClock} with a wall clock and a monotonic clock the test moves: engine time is the wall clock while it
 * keeps time, walks towards it at the slew after a jump either way, never goes back, and grows by a nanosecond per
 * command when no time passes.
 */
class EngineClockTest
{
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);
    private static final long START = 1_796_000_000L * SECOND;

    private long wall = START;
    private long monotonic = 42;

    private EngineClock clock(final long lastTimestamp)
    {
        return new EngineClock(() -> wall, () -> monotonic, 10, lastTimestamp);
    }

    private void pass(final long nanos)
    {
        wall += nanos;
        monotonic += nanos;
    }

    @Test
    void aWallClockThatKeepsTimeIsEngineTime()
    {
        final EngineClock clock = clock(START - HOUR);
        assertEquals(START, clock.next(), "after a start, the wall clock as it is: the node was down an hour");
        pass(SECOND);
        assertEquals(START + SECOND, clock.next());
        assertEquals(START + SECOND + 1, clock.next(), "no time passed: one nanosecond more");
        pass(3 * SECOND);
        assertEquals(START + 4 * SECOND, clock.next(), "the wall clock again once it is ahead");
        assertEquals(0, clock.jumps());
    }

    @Test
    void aForwardJumpIsFollowedAtTheSlewAndABackwardOneWaitedFor()
    {
        final EngineClock clock = clock(0);
        assertEquals(START, clock.next());
        wall += HOUR;
        pass(10 * SECOND);
        assertEquals(START + 11 * SECOND, clock.next(), "10 s passed: engine time moves 11 s, not an hour");
        assertEquals(1, clock.jumps());
        assertEquals(HOUR - SECOND, clock.offsetNanos());

        wall -= HOUR; // undone a minute later: the wall clock is right again, and engine time is behind it by 49 s
        pass(50 * SECOND);
        assertEquals(START + 60 * SECOND, clock.next(), "within 50 s ± 10% of engine time: the wall clock at once");

        wall -= 30 * SECOND; // now it goes back
        long last = START + 60 * SECOND;
        for (int i = 0; i < 400; i++)
        {
            pass(SECOND);
            final long next = clock.next();
            assertTrue(next > last, "never back");
            assertTrue(next - last >= SECOND * 9 / 10, "never slower than 90%");
            last = next;
        }
        assertEquals(wall, last, "caught up with the wall clock again");
        assertEquals(0, clock.offsetNanos());
    }

    @Test
    void aForwardJumpThatStaysIsReachedInTenTimesItsLength()
    {
        final EngineClock clock = clock(0);
        clock.next();
        wall += HOUR;
        long engine = 0;
        for (int i = 0; i < 10 * 3600 - 10; i++)
        {
            pass(SECOND);
            engine = clock.next();
        }
        assertTrue(engine < wall, "not yet: ten hours at 10% make up one hour");
        for (int i = 0; i < 20; i++)
        {
            pass(SECOND);
            engine = clock.next();
        }
        assertEquals(wall, engine);
        assertEquals(1, clock.jumps(), "one jump, counted once");
    }

    @Test
    void aWallClockBehindTheJournalNeverTakesEngineTimeBack()
    {
        final EngineClock clock = clock(START + HOUR);
        assertEquals(START + HOUR + 1, clock.next(), "started with the wall clock an hour behind the journal");
        pass(10 * SECOND);
        assertEquals(START + HOUR + 1 + 9 * SECOND, clock.next(), "runs at 90%, towards the wall clock");
        assertEquals(1, clock.jumps());
    }
}
