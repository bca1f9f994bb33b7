/**
 * The Java client: connection, automatic batching, futures and retries.
 * <p>
 * This module is part of the layout from DESIGN.md; it is filled by a later issue and holds no code yet.
 */
package io.walletledger.client;
