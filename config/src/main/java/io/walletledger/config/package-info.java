/**
 * Typed settings of the ledger server, loaded from HOCON with Typesafe Config, every default documented in
 * {@code reference.conf}.
 * <p>
 * {@link io.walletledger.config.WalletSettings} loads and checks them all at start-up, so a mistyped value or key
 * stops the server with a {@link io.walletledger.config.SettingsException} naming the setting and what it accepts,
 * rather than surfacing later. The module depends on no other module of the project: choices are this package's
 * own enums, which the server maps onto its types.
 */
package io.walletledger.config;
