/**
 * The Java client of the wallet ledger's binary protocol: {@link io.walletledger.client.WalletClient} (one
 * connection, futures, automatic batching of single transfers, time-outs, {@code BUSY} retries and reconnecting),
 * the values it sends and receives, and {@link io.walletledger.client.TransferIds} for time-ordered idempotency keys.
 */
package io.walletledger.client;
