package io.walletledger.snapshot;

import java.nio.file.Path;

/**
 * What the header of a snapshot file says.
 *
 * @param file                the snapshot file.
 * @param sequence            the journal sequence of the last command applied to the state.
 * @param journalIndex        the Chronicle Queue index of that journal entry, or -1 if not known.
 * @param timestamp           the engine timestamp of the newest event in the state.
 * @param stateHash           the engine's state hash; loading checks the loaded state against it.
 * @param accounts            accounts in the state.
 * @param rememberedTransfers transfers in the idempotency window.
 * @param openHolds           pending transfers not yet posted, voided or expired.
 * @param length              of the whole file in bytes.
 * @param journalForced       whether the journal was on stable storage up to {@code sequence} when the snapshot was
 *                            written. When not (journal durability {@code none}), a power loss may leave the
 *                            snapshot ahead of the journal, and recovery then passes it over.
 */
public record SnapshotInfo(
    Path file,
    long sequence,
    long journalIndex,
    long timestamp,
    long stateHash,
    int accounts,
    int rememberedTransfers,
    int openHolds,
    long length,
    boolean journalForced)
{
}
