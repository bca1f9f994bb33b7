/**
 * The network edge: the binary SBE protocol over TCP ({@link io.walletledger.gateway.BinaryGateway}) and the
 * HTTP/JSON API, both in front of a {@link io.walletledger.protocol.RequestSubmitter} (the ledger node).
 */
package io.walletledger.gateway;
