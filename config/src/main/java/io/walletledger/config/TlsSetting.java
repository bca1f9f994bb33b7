package io.walletledger.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * {@code wallet.server.tls} when enabled: the PEM files both listeners present to clients.
 *
 * @param certificate the server's certificate chain, leaf first, PEM ({@code BEGIN CERTIFICATE} blocks).
 * @param privateKey  the leaf certificate's private key, PEM, unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}).
 */
public record TlsSetting(Path certificate, Path privateKey)
{
    public TlsSetting
    {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
    }
}
