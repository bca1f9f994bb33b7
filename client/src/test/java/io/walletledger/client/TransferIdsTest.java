package io.walletledger.client;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransferIdsTest
{
    private static final long SEED = Long.getLong("wallet.test.seed", System.nanoTime());

    @Test
    void idsFromManyThreadsAreStrictlyIncreasingAndUnique() throws Exception
    {
        final TransferIds generator = new TransferIds();
        final int threads = 4;
        final int perThread = 50_000;
        final List<List<TransferId>> generated = new ArrayList<>();
        final List<Thread> workers = new ArrayList<>();
        final CountDownLatch go = new CountDownLatch(1);
        for (int t = 0; t < threads; t++)
        {
            final List<TransferId> mine = new ArrayList<>(perThread);
            generated.add(mine);
            final Thread worker = new Thread(() ->
            {
                try
                {
                    go.await();
                }
                catch (final InterruptedException ex)
                {
                    Thread.currentThread().interrupt();
                    return;
                }
                for (int i = 0; i < perThread; i++)
                {
                    mine.add(generator.next());
                }
            });
            workers.add(worker);
            worker.start();
        }
        go.countDown();
        for (final Thread worker : workers)
        {
            worker.join(TimeUnit.SECONDS.toMillis(30));
        }

        final Set<TransferId> all = new HashSet<>();
        for (final List<TransferId> mine : generated)
        {
            assertEquals(perThread, mine.size());
            for (int i = 1; i < mine.size(); i++)
            {
                assertTrue(mine.get(i - 1).compareTo(mine.get(i)) < 0, "ids of one thread increase at " + i);
            }
            all.addAll(mine);
        }
        assertEquals(threads * perThread, all.size(), "no id was handed out twice");
    }

    @Test
    void aClockThatStandsStillOrStepsBackStillGivesIncreasingIds()
    {
        final long[] clock = {1_000, 1_000, 1_000, 990, 990, 1_000, 1_001, 500, 1_002};
        final int[] tick = {0};
        final TransferIds generator = new TransferIds(() -> clock[tick[0]++], new Random(SEED));
        TransferId previous = generator.next();
        for (int i = 1; i < clock.length; i++)
        {
            final TransferId next = generator.next();
            assertTrue(previous.compareTo(next) < 0, "seed " + SEED + ": id " + i + " must exceed the one before");
            previous = next;
        }
        assertEquals(1_002, previous.hi() >>> 16, "a new millisecond is taken up as soon as the clock shows one");
    }

    @Test
    void idsAreUuidVersion7WithTheTimeInFrontAndConvertBothWays()
    {
        final long before = System.currentTimeMillis();
        final TransferId id = new TransferIds().next();
        final long after = System.currentTimeMillis();

        final UUID uuid = id.toUuid();
        assertEquals(7, uuid.version());
        assertEquals(2, uuid.variant());
        final long millis = id.hi() >>> 16;
        assertTrue(millis >= before && millis <= after, "the top 48 bits are the creation time in ms");
        assertEquals(id, TransferId.fromUuid(uuid));
        assertEquals(id, TransferId.fromUuid(UUID.fromString(id.toString())));
        assertFalse(id.isZero());

        final UUID foreign = UUID.randomUUID();
        assertEquals(foreign, TransferId.fromUuid(foreign).toUuid());
    }

    @Test
    void idsCompareAsUnsigned128BitNumbers()
    {
        assertTrue(new TransferId(-1, 0).compareTo(new TransferId(1, 0)) > 0);
        assertTrue(new TransferId(0, -1).compareTo(new TransferId(0, 1)) > 0);
        assertTrue(new TransferId(1, 0).compareTo(new TransferId(0, -1)) > 0);
        assertEquals(0, TransferId.of(5).compareTo(new TransferId(0, 5)));
        assertTrue(TransferId.ZERO.isZero());
    }
}
