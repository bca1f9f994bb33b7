/**
 * Wiring: {@link io.walletledger.server.WalletServer} builds the node and both listeners from the settings, applies
 * the configured policies and follows the keys file. Beneath it:
 * <ul>
 *   <li>{@code server.node}: the ledger in one process, without a network ({@code LedgerNode}), its pipeline stages
 *       (journaler, engine, responder), recovery and the snapshot follower;</li>
 *   <li>{@code server.cli}: {@code main} and the command-line tools ({@code wallet server}, {@code keys},
 *       {@code verify}, {@code journal dump});</li>
 *   <li>{@code server.os}: what the node asks of the operating system and the JVM: thread scheduling and real-time
 *       priority, the JIT starvation guard, the pipeline's wait strategy.</li>
 * </ul>
 */
package io.walletledger.server;
