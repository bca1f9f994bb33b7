/**
 * The network edge: the binary SBE protocol over TCP ({@code gateway.binary}) and the HTTP/JSON API
 * ({@code gateway.http}), both in front of a {@link io.walletledger.protocol.RequestSubmitter} (the ledger node), both
 * admitting requests through the one {@link io.walletledger.gateway.RequestGate}; who may do what is
 * {@code gateway.security}.
 */
package io.walletledger.gateway;
