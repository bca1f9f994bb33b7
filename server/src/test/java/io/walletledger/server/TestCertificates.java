package io.walletledger.server;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * Certificates made at test time with BouncyCastle, written as the PEM files the server reads: a certificate
 * authority, and a server certificate it signed for {@code localhost} and {@code 127.0.0.1}. Nothing is kept in
 * the repository, so nothing expires there.
 */
public final class TestCertificates
{
    private static final Duration VALIDITY = Duration.ofDays(2);

    private TestCertificates()
    {
    }

    /**
     * The files of one issued server certificate.
     *
     * @param chain      the server's certificate then the authority's, PEM: {@code wallet.server.tls.certificate}.
     * @param privateKey the server's private key, PKCS#8 PEM: {@code wallet.server.tls.private-key}.
     * @param authority  the authority's certificate, PEM: what a client trusts.
     */
    public record Issued(Path chain, Path privateKey, Path authority)
    {
        /**
         * @return a JDK client context trusting only {@link #authority()}.
         */
        public SSLContext clientContext() throws IOException, GeneralSecurityException
        {
            final KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            try (var in = Files.newInputStream(authority))
            {
                trusted.setCertificateEntry("authority",
                    java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            final TrustManagerFactory trust =
                TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            final SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), new SecureRandom());
            return context;
        }
    }

    /**
     * Makes a new authority and a server certificate for {@code localhost} and {@code 127.0.0.1} signed by it, and
     * writes them to {@code directory} with names starting with {@code name}.
     */
    public static Issued issue(final Path directory, final String name) throws IOException, GeneralSecurityException
    {
        final KeyPair authorityKeys = keyPair();
        final X500Name authorityName = new X500Name("CN=" + name + " test authority");
        final X509Certificate authority = sign(authorityName, authorityName, authorityKeys.getPublic(),
            authorityKeys.getPrivate(), true);

        final KeyPair serverKeys = keyPair();
        final X509Certificate server = sign(authorityName, new X500Name("CN=localhost"), serverKeys.getPublic(),
            authorityKeys.getPrivate(), false);

        final Path chain = Files.writeString(directory.resolve(name + "-chain.pem"), pem(server) + pem(authority));
        final Path key = Files.writeString(directory.resolve(name + "-key.pem"), pem(serverKeys.getPrivate()));
        final Path trusted = Files.writeString(directory.resolve(name + "-authority.pem"), pem(authority));
        return new Issued(chain, key, trusted);
    }

    private static KeyPair keyPair() throws GeneralSecurityException
    {
        final KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(
        final X500Name issuer,
        final X500Name subject,
        final java.security.PublicKey subjectKey,
        final PrivateKey issuerKey,
        final boolean authority) throws IOException, GeneralSecurityException
    {
        final Instant now = Instant.now();
        final X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
            new BigInteger(64, new SecureRandom()).add(BigInteger.ONE), Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(VALIDITY)), subject, subjectKey);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
        if (authority)
        {
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        }
        else
        {
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1") }));
        }
        try
        {
            return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
        }
        catch (final OperatorCreationException ex)
        {
            throw new GeneralSecurityException(ex);
        }
    }

    static String pem(final X509Certificate certificate) throws GeneralSecurityException
    {
        return pem("CERTIFICATE", certificate.getEncoded());
    }

    static String pem(final PrivateKey key)
    {
        return pem("PRIVATE KEY", key.getEncoded()); // getEncoded() of a JDK private key is PKCS#8
    }

    private static String pem(final String type, final byte[] der)
    {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der) +
            "\n-----END " + type + "-----\n";
    }
}
