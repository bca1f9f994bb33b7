package io.walletledger.engine;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The open-addressing index against a plain map, under random puts and removes. Ids are drawn from a
 * small range often, so clusters form and the backward-shift deletion is exercised on wrap-around; a
 * deliberately weak hash (few distinct values) makes long clusters and equal fingerprints of different
 * ids, so the id comparison through the record is exercised too.
 */
class TransferIdIndexTest
{
    private static final long SEED = Long.getLong("wallet.test.seed", 20261123L);

    @ParameterizedTest
    @ValueSource(booleans = { false, true })
    void agreesWithAMapUnderRandomPutsAndRemoves(final boolean weakHash)
    {
        final Random random = new Random(SEED);
        final int capacity = 64;
        final TransferRecords records = new TransferRecords(capacity);
        final TransferIdIndex index = new TransferIdIndex(records);
        final Map<List<Long>, Integer> expected = new HashMap<>();
        final List<Integer> freeSlots = new ArrayList<>();
        for (int slot = 0; slot < capacity; slot++)
        {
            freeSlots.add(slot);
        }

        for (int step = 0; step < 200_000; step++)
        {
            final long lo = random.nextInt(4) == 0 ? random.nextLong() : random.nextInt(200);
            final long hi = random.nextInt(8) == 0 ? random.nextInt(3) : 0;
            final List<Long> key = List.of(lo, hi);
            final long hash = weakHash ? ((lo ^ hi) % 7) << 40 : TransferIdIndex.hash(lo, hi, SEED);
            final Integer present = expected.get(key);
            final String context = "seed " + SEED + " weak hash " + weakHash + " step " + step;
            assertEquals(present == null ? -1 : present, index.get(lo, hi, hash), context);

            if (present != null && random.nextBoolean())
            {
                index.remove(hash, present);
                expected.remove(key);
                freeSlots.add(present);
            }
            else if (present == null && !freeSlots.isEmpty())
            {
                final int slot = freeSlots.remove(freeSlots.size() - 1);
                TestRecords.writeId(records, slot, lo, hi, 0, 0, hash);
                index.put(hash, slot);
                expected.put(key, slot);
            }
            assertEquals(expected.size(), index.size(), context);
        }
        for (final Map.Entry<List<Long>, Integer> entry : expected.entrySet())
        {
            final long lo = entry.getKey().get(0);
            final long hi = entry.getKey().get(1);
            final long hash = weakHash ? ((lo ^ hi) % 7) << 40 : TransferIdIndex.hash(lo, hi, SEED);
            assertEquals(entry.getValue(), index.get(lo, hi, hash));
        }
    }
}
