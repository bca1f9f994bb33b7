/**
 * The Chronicle Queue command journal: append, tail, replay and integrity checks.
 * <p>
 * This module is part of the layout from DESIGN.md; it is filled by a later issue and holds no code yet.
 */
package io.walletledger.journal;
