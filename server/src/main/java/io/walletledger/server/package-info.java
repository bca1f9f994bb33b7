/**
 * Wiring: configuration, the Disruptor pipeline, the gateway, {@code main} and the command-line tools.
 * <p>
 * Filled by a later issue. Today the module only writes {@code wallet-jvm.options}, the JVM flags that
 * the {@code ./wallet} launcher passes to every JVM it starts.
 */
package io.walletledger.server;
