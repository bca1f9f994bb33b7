package io.walletledger.client;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * How a {@link WalletClient} speaks TLS to a server whose listeners have {@code wallet.server.tls} enabled: which
 * certificates it trusts. The server's certificate must also name the host the client connects to (a DNS name or
 * an IP address among its subject alternative names): host names are always verified. TLS 1.3 or 1.2, through the
 * JDK's provider.
 */
public final class WalletClientTls
{
    private static final String[] PROTOCOLS = { "TLSv1.3", "TLSv1.2" };

    private final SslContext context;
    private final String trust;

    private WalletClientTls(final SslContext context, final String trust)
    {
        this.context = context;
        this.trust = trust;
    }

    /**
     * @return TLS trusting the JDK's default trust store (the public certificate authorities of {@code cacerts}, or
     * the store named by {@code -Djavax.net.ssl.trustStore}).
     */
    public static WalletClientTls trustingDefaultAuthorities()
    {
        return new WalletClientTls(build(SslContextBuilder.forClient(), "the JDK's default trust store"),
            "the JDK's default trust store");
    }

    /**
     * @param pemCertificates a PEM file of one or more {@code BEGIN CERTIFICATE} blocks: the certificate authority
     *                        that signed the server's certificate, or the server's own (self-signed) certificate.
     * @return TLS trusting exactly those certificates.
     * @throws IllegalArgumentException if the file cannot be read or holds no certificate.
     */
    public static WalletClientTls trusting(final Path pemCertificates)
    {
        Objects.requireNonNull(pemCertificates, "pemCertificates");
        final Path file = pemCertificates.toAbsolutePath();
        final X509Certificate[] certificates;
        try (InputStream in = Files.newInputStream(file))
        {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in)
                .toArray(new X509Certificate[0]);
        }
        catch (final IOException | CertificateException ex)
        {
            throw new IllegalArgumentException("cannot read trusted certificates from " + file + ": " + ex.getMessage(),
                ex);
        }
        if (certificates.length == 0)
        {
            throw new IllegalArgumentException(file + " holds no certificate: expected PEM BEGIN CERTIFICATE blocks");
        }
        return new WalletClientTls(build(SslContextBuilder.forClient().trustManager(certificates), file.toString()),
            file.toString());
    }

    private static SslContext build(final SslContextBuilder builder, final String trust)
    {
        try
        {
            return builder.sslProvider(SslProvider.JDK)
                .protocols(PROTOCOLS)
                .endpointIdentificationAlgorithm("HTTPS")
                .build();
        }
        catch (final SSLException ex)
        {
            throw new IllegalArgumentException("cannot set up TLS trusting " + trust + ": " + ex.getMessage(), ex);
        }
    }

    SslContext context()
    {
        return context;
    }

    @Override
    public String toString()
    {
        return "TLS trusting " + trust;
    }
}
