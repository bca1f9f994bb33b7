/**
 * Writing and loading engine state to checksummed snapshot files, with retention.
 * <p>
 * This module is part of the layout from DESIGN.md; it is filled by a later issue and holds no code yet.
 */
package io.walletledger.snapshot;
