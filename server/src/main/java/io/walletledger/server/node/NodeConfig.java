package io.walletledger.server.node;

import org.agrona.concurrent.EpochNanoClock;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemEpochNanoClock;
import org.agrona.concurrent.SystemNanoClock;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import io.walletledger.server.os.RealtimeScheduling;
import io.walletledger.server.os.WaitStrategyName;
import io.walletledger.engine.LedgerConfig;
import io.walletledger.journal.CommandJournal;
import io.walletledger.journal.JournalDurability;
import io.walletledger.journal.TornTailPolicy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a {@link LedgerNode} needs: where its data lives, the engine's limits, durability and the pipeline's
 * shape. Built with {@link #builder(Path)}; every setting has a default.
 */
public final class NodeConfig
{
    public static final int RING_SIZE_DEFAULT = 1024;
    public static final long SNAPSHOT_EVERY_COMMANDS_DEFAULT = 50_000;
    public static final Duration SNAPSHOT_INTERVAL_DEFAULT = Duration.ofMinutes(5);
    public static final int SNAPSHOT_RETAIN_DEFAULT = 3;
    /** How much faster or slower than the monotonic clock engine time may run towards the wall clock, in percent. */
    public static final int CLOCK_SLEW_PERCENT_DEFAULT = 10;

    private final Path dataDirectory;
    private final LedgerConfig ledger;
    private final JournalDurability durability;
    private final TornTailPolicy tornTailPolicy;
    private final boolean journalWriteBehind;
    private final TimeProvider journalClock;
    private final EpochNanoClock wallClock;
    private final NanoClock monotonicClock;
    private final int clockSlewPercent;
    private final int ringSize;
    private final WaitStrategyName waitStrategy;
    private final int realtimePriority;
    private final long snapshotEveryCommands;
    private final Duration snapshotInterval;
    private final int snapshotRetain;
    private final boolean finalSnapshot;
    private final boolean record;
    private final long diskMinFree;

    private NodeConfig(final Builder builder)
    {
        this.dataDirectory = builder.dataDirectory;
        this.ledger = builder.ledger;
        this.durability = builder.durability;
        this.tornTailPolicy = builder.tornTailPolicy;
        this.journalWriteBehind = builder.journalWriteBehind;
        this.journalClock = builder.journalClock;
        this.wallClock = builder.wallClock;
        this.monotonicClock = builder.monotonicClock;
        this.clockSlewPercent = builder.clockSlewPercent;
        this.ringSize = builder.ringSize;
        this.waitStrategy = builder.waitStrategy;
        this.realtimePriority = builder.realtimePriority;
        this.snapshotEveryCommands = builder.snapshotEveryCommands;
        this.snapshotInterval = builder.snapshotInterval;
        this.snapshotRetain = builder.snapshotRetain;
        this.finalSnapshot = builder.finalSnapshot;
        this.record = builder.record;
        this.diskMinFree = builder.diskMinFree;
    }

    /**
     * @param dataDirectory holding {@code journal/} and {@code snapshots/}; created if missing.
     */
    public static Builder builder(final Path dataDirectory)
    {
        return new Builder(dataDirectory);
    }

    public Path dataDirectory()
    {
        return dataDirectory;
    }

    public Path journalDirectory()
    {
        return dataDirectory.resolve("journal");
    }

    public Path snapshotDirectory()
    {
        return dataDirectory.resolve("snapshots");
    }

    public Path recordDirectory()
    {
        return dataDirectory.resolve("record");
    }

    /**
     * @return whether the node keeps the permanent record of every transfer ({@link #recordDirectory()}).
     */
    public boolean record()
    {
        return record;
    }

    /**
     * @return the free bytes on the data directory's file system below which requests that change the ledger are
     * refused {@code DISK_FULL}; 0 for no watch.
     */
    public long diskMinFree()
    {
        return diskMinFree;
    }

    /**
     * @return whether a follower engine replays the journal beside the primary one: for periodic snapshots, for the
     * record, or both.
     */
    public boolean follows()
    {
        return periodicSnapshots() || record;
    }

    public LedgerConfig ledger()
    {
        return ledger;
    }

    public JournalDurability durability()
    {
        return durability;
    }

    public TornTailPolicy tornTailPolicy()
    {
        return tornTailPolicy;
    }

    /**
     * @return whether a journal in {@link JournalDurability#NONE} writes itself back to disk behind its writer.
     */
    public boolean journalWriteBehind()
    {
        return journalWriteBehind;
    }

    /**
     * @return the clock that decides which hourly file the journal writes (the system clock but in tests).
     */
    public TimeProvider journalClock()
    {
        return journalClock;
    }

    /**
     * @return the wall clock engine time follows (the system's but in tests).
     */
    public EpochNanoClock wallClock()
    {
        return wallClock;
    }

    /**
     * @return the clock that measures time between commands without jumping (System.nanoTime but in tests).
     */
    public NanoClock monotonicClock()
    {
        return monotonicClock;
    }

    /**
     * @return how much faster or slower than the monotonic clock engine time may run towards the wall clock, in
     * percent ({@link EngineClock}).
     */
    public int clockSlewPercent()
    {
        return clockSlewPercent;
    }

    public int ringSize()
    {
        return ringSize;
    }

    public WaitStrategyName waitStrategy()
    {
        return waitStrategy;
    }

    /**
     * @return the {@code SCHED_FIFO} priority of the pipeline's stage threads, or 0 for normal scheduling.
     */
    public int realtimePriority()
    {
        return realtimePriority;
    }

    /**
     * @return journaled commands between periodic snapshots; 0 if only the interval decides.
     */
    public long snapshotEveryCommands()
    {
        return snapshotEveryCommands;
    }

    /**
     * @return the longest time between periodic snapshots while commands arrive; zero if only the count decides.
     */
    public Duration snapshotInterval()
    {
        return snapshotInterval;
    }

    /**
     * @return whether a follower engine takes periodic snapshots (else only the final one at shutdown).
     */
    public boolean periodicSnapshots()
    {
        return snapshotEveryCommands > 0 || !snapshotInterval.isZero();
    }

    public int snapshotRetain()
    {
        return snapshotRetain;
    }

    /**
     * @return whether {@link LedgerNode#close()} writes a snapshot of the final state, so the next start replays
     * nothing.
     */
    public boolean finalSnapshot()
    {
        return finalSnapshot;
    }

    @Override
    public String toString()
    {
        return "NodeConfig{dataDirectory=" + dataDirectory + ", durability=" + durability + ", tornTailPolicy=" +
            tornTailPolicy + ", journalWriteBehind=" + journalWriteBehind + ", clockSlewPercent=" + clockSlewPercent +
            ", ringSize=" + ringSize +
            ", waitStrategy=" + waitStrategy + ", realtimePriority=" +
            realtimePriority + ", snapshotEveryCommands=" + snapshotEveryCommands + ", snapshotInterval=" +
            snapshotInterval + ", snapshotRetain=" + snapshotRetain + ", finalSnapshot=" + finalSnapshot +
            ", ledger=" + ledger + "}";
    }

    public static final class Builder
    {
        private final Path dataDirectory;
        private LedgerConfig ledger = LedgerConfig.builder().build();
        private JournalDurability durability = JournalDurability.BATCH;
        private TornTailPolicy tornTailPolicy = TornTailPolicy.REFUSE;
        private boolean journalWriteBehind = CommandJournal.WRITE_BEHIND_DEFAULT;
        private TimeProvider journalClock = SystemTimeProvider.INSTANCE;
        private EpochNanoClock wallClock = SystemEpochNanoClock.INSTANCE;
        private NanoClock monotonicClock = SystemNanoClock.INSTANCE;
        private int clockSlewPercent = CLOCK_SLEW_PERCENT_DEFAULT;
        private int ringSize = RING_SIZE_DEFAULT;
        private WaitStrategyName waitStrategy = WaitStrategyName.BLOCKING;
        private int realtimePriority;
        private long snapshotEveryCommands = SNAPSHOT_EVERY_COMMANDS_DEFAULT;
        private Duration snapshotInterval = SNAPSHOT_INTERVAL_DEFAULT;
        private int snapshotRetain = SNAPSHOT_RETAIN_DEFAULT;
        private boolean finalSnapshot = true;
        private boolean record;
        private long diskMinFree;

        private Builder(final Path dataDirectory)
        {
            this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
        }

        public Builder ledger(final LedgerConfig ledger)
        {
            this.ledger = Objects.requireNonNull(ledger, "ledger");
            return this;
        }

        /**
         * @param durability what an acknowledged command survives; {@link JournalDurability#BATCH} unless told
         *                   otherwise.
         */
        public Builder durability(final JournalDurability durability)
        {
            this.durability = Objects.requireNonNull(durability, "durability");
            return this;
        }

        public Builder tornTailPolicy(final TornTailPolicy policy)
        {
            this.tornTailPolicy = Objects.requireNonNull(policy, "tornTailPolicy");
            return this;
        }

        /**
         * @param clock the clock that names the journal's hourly files: tests move one to fill several files without
         *              waiting hours.
         */
        public Builder journalClock(final TimeProvider clock)
        {
            this.journalClock = java.util.Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * @param wall      the wall clock engine time follows.
         * @param monotonic the clock that measures time between commands: tests move both to jump the wall clock.
         */
        public Builder engineClocks(final EpochNanoClock wall, final NanoClock monotonic)
        {
            this.wallClock = Objects.requireNonNull(wall, "wall");
            this.monotonicClock = Objects.requireNonNull(monotonic, "monotonic");
            return this;
        }

        /**
         * @param percent how much faster or slower than the monotonic clock engine time may run towards the wall
         *                clock, 1..100; {@value #CLOCK_SLEW_PERCENT_DEFAULT} unless told otherwise.
         */
        public Builder clockSlewPercent(final int percent)
        {
            if (percent < 1 || percent > 100)
            {
                throw new IllegalArgumentException("the clock slew must be 1..100 percent, was " + percent);
            }
            this.clockSlewPercent = percent;
            return this;
        }

        /**
         * @param writeBehind whether a journal in {@link JournalDurability#NONE} starts writing itself back to disk
         *                    behind its writer ({@link CommandJournal#open(Path, JournalDurability, TornTailPolicy,
         *                    boolean)}).
         */
        public Builder journalWriteBehind(final boolean writeBehind)
        {
            this.journalWriteBehind = writeBehind;
            return this;
        }

        /**
         * @param ringSize slots in the ring, one per request in flight: a power of two from 2 to 65536.
         */
        public Builder ringSize(final int ringSize)
        {
            if (ringSize < 2 || ringSize > 65536 || Integer.bitCount(ringSize) != 1)
            {
                throw new IllegalArgumentException("ringSize must be a power of two from 2 to 65536, was " + ringSize);
            }
            this.ringSize = ringSize;
            return this;
        }

        public Builder waitStrategy(final WaitStrategyName waitStrategy)
        {
            this.waitStrategy = Objects.requireNonNull(waitStrategy, "waitStrategy");
            return this;
        }

        /**
         * @param priority 0 (the default) for normal scheduling, or 1..99: the stage threads run under
         *                 {@code SCHED_FIFO} at this priority (Linux; needs the blocking wait strategy and the right
         *                 to use it, which {@link LedgerNode#start} checks).
         */
        public Builder realtimePriority(final int priority)
        {
            if (priority < 0 || priority > RealtimeScheduling.PRIORITY_MAX)
            {
                throw new IllegalArgumentException("realtimePriority must be 0..99, was " + priority);
            }
            this.realtimePriority = priority;
            return this;
        }

        /**
         * @param record whether to keep the permanent record of every transfer (off unless asked for here; the
         *               server's setting {@code wallet.record.enabled} is on by default).
         */
        public Builder record(final boolean record)
        {
            this.record = record;
            return this;
        }

        /**
         * @param bytes free space on the data directory's file system below which requests that change the ledger are
         *              refused {@code DISK_FULL}; 0 (the default here; the server's {@code wallet.disk.min-free} is
         *              512 MiB) for no watch.
         */
        public Builder diskMinFree(final long bytes)
        {
            if (bytes < 0)
            {
                throw new IllegalArgumentException("diskMinFree must be 0 or more, was " + bytes);
            }
            this.diskMinFree = bytes;
            return this;
        }

        /**
         * @param commands journaled commands between periodic snapshots, 0 to let only the interval decide.
         */
        public Builder snapshotEveryCommands(final long commands)
        {
            if (commands < 0)
            {
                throw new IllegalArgumentException("snapshotEveryCommands must not be negative, was " + commands);
            }
            this.snapshotEveryCommands = commands;
            return this;
        }

        /**
         * @param interval longest time between periodic snapshots, zero to let only the command count decide.
         *                 Both zero: no periodic snapshots, only the final one at shutdown.
         */
        public Builder snapshotInterval(final Duration interval)
        {
            if (interval.isNegative())
            {
                throw new IllegalArgumentException("snapshotInterval must not be negative, was " + interval);
            }
            this.snapshotInterval = interval;
            return this;
        }

        public Builder snapshotRetain(final int retain)
        {
            if (retain < 1)
            {
                throw new IllegalArgumentException("snapshotRetain must be at least 1, was " + retain);
            }
            this.snapshotRetain = retain;
            return this;
        }

        /**
         * @param finalSnapshot whether closing the node writes a snapshot (default true; benchmarks of recovery
         *                      turn it off to start from the same files every time).
         */
        public Builder finalSnapshot(final boolean finalSnapshot)
        {
            this.finalSnapshot = finalSnapshot;
            return this;
        }

        public NodeConfig build()
        {
            if (realtimePriority > 0 && waitStrategy != WaitStrategyName.BLOCKING)
            {
                // A real-time thread that spins or yields while it waits keeps ordinary threads off its CPU.
                throw new IllegalArgumentException("realtimePriority " + realtimePriority +
                    " needs the BLOCKING wait strategy, not " + waitStrategy);
            }
            return new NodeConfig(this);
        }
    }
}
