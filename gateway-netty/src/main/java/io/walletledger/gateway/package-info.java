/**
 * The Netty binary TCP gateway and the HTTP/JSON API.
 * <p>
 * This module is part of the layout from DESIGN.md; it is filled by a later issue and holds no code yet.
 */
package io.walletledger.gateway;
