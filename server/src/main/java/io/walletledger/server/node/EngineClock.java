package io.walletledger.server.node;

import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.NanoClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Engine time, which the journal stamps on every command: the wall clock, followed at a bounded rate.
 * <p>
 * Between two commands engine time advances by the time the monotonic clock measured, give or take
 * {@code slewPercent} of it, in the direction of the wall clock; within that window it is the wall clock itself,
 * which is what happens while the wall clock keeps time. So a jump of the wall clock (an operator's mistake, a
 * virtual machine resumed, an NTP step) is not journaled for good: engine time walks towards the new wall time
 * (at 10%, a one-hour jump takes ten hours), holds do not all expire at once, and if the jump is undone soon
 * engine time has moved only a little. A wall clock that goes back makes engine time run slower, never stop or go
 * back. Engine time always grows by at least one nanosecond per command. The first command after a start takes the
 * wall clock as it is (if it is ahead): the time the node was down has passed.
 * <p>
 * When engine and wall time are more than {@link #ALARM_NANOS} apart the clock logs a warning and counts a jump;
 * {@link #offsetNanos()} (wall minus engine time at the last command) is a metric. Used by the journal's thread
 * only; the metrics are read from any thread.
 */
final class EngineClock
{
    private static final Logger LOG = LoggerFactory.getLogger(EngineClock.class);
    /** Engine time this far from the wall clock is a jump: warned about and counted. */
    static final long ALARM_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final EpochNanoClock wall;
    private final NanoClock monotonic;
    private final int slewPercent;
    private long last;
    private long lastMonotonic;
    private boolean started;
    private boolean apart;
    /** Written once per command: an ordered store, no fence on the journal's thread; read by the metrics. */
    private final AtomicLong offsetNanos = new AtomicLong();
    private volatile long jumps;

    /**
     * @param wall          the wall clock (nanoseconds since the epoch).
     * @param monotonic     a clock that never jumps (System.nanoTime).
     * @param slewPercent   how much faster or slower than the monotonic clock engine time may run to reach the wall
     *                      clock, 1..100.
     * @param lastTimestamp the newest engine time in the journal: engine time only grows.
     */
    EngineClock(final EpochNanoClock wall, final NanoClock monotonic, final int slewPercent, final long lastTimestamp)
    {
        if (slewPercent < 1 || slewPercent > 100)
        {
            throw new IllegalArgumentException("slewPercent must be in 1..100, was " + slewPercent);
        }
        this.wall = wall;
        this.monotonic = monotonic;
        this.slewPercent = slewPercent;
        this.last = lastTimestamp;
    }

    /**
     * @return the engine time of the next command: greater than the last one.
     */
    long next()
    {
        final long wallNow = wall.nanoTime();
        final long monotonicNow = monotonic.nanoTime();
        long time = wallNow;
        if (started)
        {
            final long elapsed = Math.max(0, monotonicNow - lastMonotonic);
            final long slew = elapsed / 100 * slewPercent + elapsed % 100 * slewPercent / 100;
            time = Math.max(last + elapsed - slew, Math.min(wallNow, last + elapsed + slew));
        }
        started = true;
        lastMonotonic = monotonicNow;
        time = Math.max(time, last + 1);
        last = time;
        watch(wallNow - time);
        return time;
    }

    private void watch(final long offset)
    {
        offsetNanos.lazySet(offset);
        final long distance = Math.abs(offset);
        if (!apart && distance > ALARM_NANOS)
        {
            apart = true;
            jumps++;
            LOG.warn("the wall clock jumped: it is {} ms {} engine time; engine time walks towards it at most {}% " +
                "faster or slower than the monotonic clock (wallet.journal.clock-slew-percent)",
                TimeUnit.NANOSECONDS.toMillis(distance), offset > 0 ? "ahead of" : "behind", slewPercent);
        }
        else if (apart && distance <= ALARM_NANOS / 2)
        {
            apart = false;
            LOG.info("engine time has caught up with the wall clock");
        }
    }

    /**
     * @return wall clock minus engine time at the last command, in nanoseconds.
     */
    long offsetNanos()
    {
        return offsetNanos.get();
    }

    /**
     * @return how many times engine and wall time came more than {@link #ALARM_NANOS} apart.
     */
    long jumps()
    {
        return jumps;
    }
}
