package io.walletledger.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The idempotency window against a plain list of the ids it must remember, under random appends, evictions
 * ({@code reserve}) and rollbacks ({@code removeNewest}). Ids are drawn from a small range, so the same id comes
 * back after it was evicted. Weak hashes put every id in one home bucket (so ids pass full buckets and lookups
 * follow the headers' notes, across the end of the table) or give different ids the same fingerprint (so the
 * id comparison through the record decides). The sequence numbers start just before they wrap around 2^32.
 */
class TransferHistoryTest
{
    private static final long SEED = Long.getLong("wallet.test.seed", 20261130L);

    @ParameterizedTest(name = "window {0}, batch {1}, hash {2}")
    @CsvSource({
        "8, 4, seeded",
        "8, 4, one-bucket",
        "8, 4, few-fingerprints",
        "40, 24, seeded",
        "40, 24, one-bucket",
        "40, 24, few-fingerprints",
        "1000, 100, seeded",
        "1000, 100, few-fingerprints"})
    void remembersExactlyTheRingUnderRandomAppendsEvictionsAndRollbacks(
        final int window, final int batch, final String hashKind)
    {
        final Random random = new Random(SEED);
        final TransferHistory history = new TransferHistory(window, batch, SEED, -3 * (window + batch));
        final List<Long> remembered = new ArrayList<>();
        final long idRange = 3L * (window + batch);
        int appendsLeftInBatch = 0;

        for (int step = 0; step < 60_000; step++)
        {
            final String context = "seed " + SEED + ", step " + step;
            final int choice = random.nextInt(10);
            if (appendsLeftInBatch == 0 || choice == 0)
            {
                final int events = 1 + random.nextInt(batch);
                history.reserve(events);
                final int evicted = Math.max(0, remembered.size() + events - (window + batch));
                remembered.subList(0, evicted).clear();
                appendsLeftInBatch = events;
            }
            else if (choice == 1 && !remembered.isEmpty())
            {
                history.removeNewest();
                remembered.remove(remembered.size() - 1);
                appendsLeftInBatch++;
            }
            else
            {
                final long lo = 1 + random.nextLong(idRange);
                final long hash = hash(hashKind, lo);
                if (history.find(lo, 0, hash) < 0)
                {
                    final int slot = history.nextSlot();
                    TestRecords.writeId(history.records(), slot, lo, 0, step, 1, hash);
                    history.commitAppend(slot);
                    remembered.add(lo);
                    appendsLeftInBatch--;
                }
            }

            assertEquals(remembered.size(), history.count(), context);
            for (int probe = 0; probe < 4; probe++)
            {
                final long lo = 1 + random.nextLong(idRange);
                final int age = remembered.indexOf(lo);
                assertEquals(age < 0 ? -1 : history.slotAt(age), history.find(lo, 0, hash(hashKind, lo)),
                    context + ", id " + lo);
            }
        }
        assertTrue(remembered.size() >= window, "the test filled the window");
        for (int age = 0; age < remembered.size(); age++)
        {
            final long lo = remembered.get(age);
            assertEquals(history.slotAt(age), history.find(lo, 0, hash(hashKind, lo)), "id " + lo);
        }
    }

    @Test
    void alwaysRemembersTheLastWindowOfIdsAndForgetsOlderOnesOnceEvicted()
    {
        final int window = 16;
        final int batch = 4;
        final TransferHistory history = new TransferHistory(window, batch, SEED);
        for (long id = 1; id <= 100; id++)
        {
            history.reserve(1);
            final int slot = history.nextSlot();
            TestRecords.writeId(history.records(), slot, id, 7, id, 1, history.idHash(id, 7));
            history.commitAppend(slot);
            // The ring holds window + batch records; reserve(1) evicts only what one more append needs.
            final long oldestRemembered = Math.max(1, id - (window + batch) + 1);
            for (long past = 1; past <= id; past++)
            {
                assertEquals(past >= oldestRemembered, history.find(past, 7) >= 0, "after " + id + ", id " + past);
            }
        }
    }

    @Test
    void refusesAnAppendWithoutReserveAndARollbackOfNothing()
    {
        final TransferHistory history = new TransferHistory(2, 1, SEED);
        assertThrows(IllegalStateException.class, history::removeNewest);
        for (long id = 1; id <= 3; id++)
        {
            final int slot = history.nextSlot();
            TestRecords.writeId(history.records(), slot, id, 0, id, 1, history.idHash(id, 0));
            history.commitAppend(slot);
        }
        assertThrows(IllegalStateException.class, history::nextSlot);
        assertThrows(IllegalArgumentException.class, () -> history.reserve(2));
    }

    @Test
    void sizesTheIndexAtMostTwoRecordsPerBucket()
    {
        assertEquals(1, TransferHistory.bucketCount(1));
        assertEquals(1, TransferHistory.bucketCount(2));
        assertEquals(2, TransferHistory.bucketCount(3));
        assertEquals(1 << 19, TransferHistory.bucketCount(1 << 20));
        assertEquals(1 << 20, TransferHistory.bucketCount((1 << 20) + 8190));
        assertEquals(64L << 20, TransferHistory.indexBytes((1 << 20) + 8190));
    }

    private static long hash(final String kind, final long lo)
    {
        switch (kind)
        {
            case "seeded":
                return TransferIdIndex.hash(lo, 0, SEED);
            case "one-bucket":
                // Home bucket 0 for every id, fingerprints from a few values.
                return (lo % 5) << 40;
            case "few-fingerprints":
                // Spread over buckets, but only three distinct fingerprints.
                return ((lo % 3) << 40) | (lo * 0x9E3779B9L & 0xFFFF_FFFFL);
            default:
                throw new IllegalArgumentException(kind);
        }
    }
}
