package io.walletledger.engine;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * A deterministic 64-bit digest of the whole ledger state, used to prove that a replay or a follower
 * reached exactly the state of the primary. Not cryptographic: it detects divergence, not forgery.
 * <p>
 * Everything is hashed except what only the process's hash seed decides (index layouts, the id hash kept
 * in transfer records). Accounts are hashed in creation order and the idempotency window oldest first (its order decides
 * eviction), as one order-sensitive stream of words, so a reordered, shifted or changed record changes
 * the hash. Policies (tables in key order) and the limits records (in creation order) follow. Open holds are hashed as a sum of per-record hashes, so their slot layout, which a snapshot
 * need not preserve, does not matter.
 */
final class StateHasher
{
    private static final long P1 = 0x9E3779B97F4A7C15L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;
    /**
     * A transfer record up to its id hash: the hash depends on the process's index seed, not on the ledger,
     * so it is left out (as it is from snapshots).
     */
    private static final int TRANSFER_STATE_LENGTH = TransferDescriptor.ID_HASH_OFFSET;

    private StateHasher()
    {
    }

    static long hash(final Ledger ledger)
    {
        long h = P3;
        h = mix(h, ledger.lastTimestamp());

        final Accounts accounts = ledger.accounts();
        final int accountCount = accounts.count();
        h = mix(h, accountCount);
        h = mixWords(h, accounts.records(), 0, accountCount * AccountDescriptor.RECORD_LENGTH);

        final TransferHistory history = ledger.history();
        final int historyCount = history.count();
        h = mix(h, historyCount);
        final UnsafeBuffer historyBuffer = history.records().buffer();
        for (int i = 0; i < historyCount; i++)
        {
            h = mixWords(h, historyBuffer, TransferRecords.offset(history.slotAt(i)), TRANSFER_STATE_LENGTH);
        }

        h = mix(h, history.forgottenTimestamp());
        h = mix(h, history.forgottenIdLo());
        h = mix(h, history.forgottenIdHi());

        final PendingTransfers pending = ledger.pending();
        h = mix(h, pending.count());
        long holds = 0;
        final UnsafeBuffer pendingBuffer = pending.records().buffer();
        for (int slot = 0, capacity = pending.capacity(); slot < capacity; slot++)
        {
            if (pending.isInUse(slot))
            {
                holds += finish(mixWords(P2, pendingBuffer, TransferRecords.offset(slot), TRANSFER_STATE_LENGTH));
            }
        }
        h = mix(h, holds);

        final Policies policies = ledger.policies();
        h = mix(h, policies.dayStartSeconds);
        h = mix(h, policies.configDigest);
        h = mix(h, policies.holdsPerAccountMax);
        h = mix(h, policies.holdTimeoutMaxSeconds);
        h = mix(h, policies.feeCount);
        for (int i = 0; i < policies.feeCount; i++)
        {
            h = mix(h, policies.feeKey[i]);
            h = mix(h, policies.feeBasisPoints[i]);
            h = mix(h, policies.feeFixed[i]);
            h = mix(h, policies.feeMinimum[i]);
            h = mix(h, policies.feeMaximum[i]);
            h = mix(h, policies.feeAccountId[i]);
        }
        h = mix(h, policies.thresholdCount);
        for (int i = 0; i < policies.thresholdCount; i++)
        {
            h = mix(h, policies.thresholdCurrency[i]);
            h = mix(h, policies.threshold[i]);
        }
        h = mix(h, policies.limitsCount);
        for (int i = 0; i < policies.limitsCount; i++)
        {
            h = mix(h, policies.limitsCode[i]);
            h = mix(h, policies.limitsTransferAmount[i]);
            h = mix(h, policies.limitsDaily[i]);
            h = mix(h, policies.limitsVelocityDebits[i]);
            h = mix(h, policies.limitsVelocityWindow[i]);
        }
        final AccountLimits limits = ledger.limits();
        h = mix(h, limits.count());
        h = mixWords(h, limits.records(), 0, limits.count() * limits.recordLength());
        return finish(h);
    }

    private static long mixWords(final long seed, final UnsafeBuffer buffer, final int offset, final int length)
    {
        long h = seed;
        for (int i = offset, end = offset + length; i < end; i += 8)
        {
            h = mix(h, buffer.getLong(i));
        }
        return h;
    }

    private static long mix(final long h, final long word)
    {
        return Long.rotateLeft(h ^ (word * P2), 31) * P1;
    }

    private static long finish(final long value)
    {
        long h = value;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }
}
