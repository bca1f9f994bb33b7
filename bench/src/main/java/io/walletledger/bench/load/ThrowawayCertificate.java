package io.walletledger.bench.load;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/**
 * A self-signed certificate for {@code 127.0.0.1} and {@code localhost} (EC P-256, valid for a day), made when
 * {@code wallet bench --tls} starts its embedded server: the server presents it, and the bench's clients trust it
 * and nothing else. It protects nothing beyond the run; it exists so that the cost of TLS can be measured.
 *
 * @param certificate the certificate, PEM.
 * @param privateKey  its private key, PKCS#8 PEM.
 */
record ThrowawayCertificate(Path certificate, Path privateKey)
{
    /**
     * Makes the key pair and the certificate and writes both to {@code directory}.
     */
    static ThrowawayCertificate create(final Path directory) throws IOException, GeneralSecurityException
    {
        final KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        final KeyPair keys = generator.generateKeyPair();
        final X500Name name = new X500Name("CN=wallet bench");
        final Instant now = Instant.now();
        final X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
            new BigInteger(64, new SecureRandom()).add(BigInteger.ONE), Date.from(now.minus(Duration.ofHours(1))),
            Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost") }));
        final X509Certificate certificate;
        try
        {
            certificate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        }
        catch (final OperatorCreationException ex)
        {
            throw new GeneralSecurityException(ex);
        }
        return new ThrowawayCertificate(
            Files.writeString(directory.resolve("bench-certificate.pem"), pem("CERTIFICATE", certificate.getEncoded())),
            Files.writeString(directory.resolve("bench-key.pem"), pem("PRIVATE KEY", keys.getPrivate().getEncoded())));
    }

    private static String pem(final String type, final byte[] der)
    {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der) +
            "\n-----END " + type + "-----\n";
    }
}
