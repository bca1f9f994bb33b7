/**
 * A runnable example of the client: {@link io.walletledger.client.example.WalletExample}.
 */
package io.walletledger.client.example;
