/**
 * Snapshots: the whole engine state in checksummed files, written atomically, with retention
 * ({@link io.walletledger.snapshot.SnapshotStore}).
 */
package io.walletledger.snapshot;
