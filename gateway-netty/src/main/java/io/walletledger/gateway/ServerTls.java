package io.walletledger.gateway;

import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.ssl.SslProvider;

import javax.net.ssl.SSLException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TLS for the listeners: the server's {@link SslContext} (the JDK's provider, TLS 1.3 and 1.2, forward-secret AEAD
 * cipher suites only, {@link #CIPHER_SUITES}) from a PEM certificate
 * chain and a PEM private key, checked at start so that a wrong file stops the server with a message naming it
 * rather than failing every handshake later; and the handlers each accepted connection gets.
 */
public final class ServerTls
{
    private static final String[] PROTOCOLS = { "TLSv1.3", "TLSv1.2" };
    /**
     * Only forward-secret (ephemeral ECDH) key exchange with authenticated encryption (AES-GCM, ChaCha20-Poly1305):
     * TLS 1.3's suites all are; of TLS 1.2's, no RSA key exchange, no CBC, no SHA-1.
     */
    static final List<String> CIPHER_SUITES = List.of(
        "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    private static final Pattern PKCS8_KEY = Pattern.compile(
        "-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");
    private static final Pattern OTHER_KEY = Pattern.compile("-----BEGIN ([A-Z ]*PRIVATE KEY)-----");
    private static final byte[] PROOF = "wallet ledger: key matches certificate".getBytes(StandardCharsets.US_ASCII);

    private ServerTls()
    {
    }

    /**
     * Reads and checks the files and builds the server's context.
     *
     * @param certificateChain PEM file of {@code BEGIN CERTIFICATE} blocks, the server's own certificate first.
     * @param privateKey       PEM file holding the private key of the first certificate, unencrypted PKCS#8
     *                         ({@code BEGIN PRIVATE KEY}), RSA, EC or EdDSA.
     * @return the context, shared by every connection of both listeners.
     * @throws IllegalArgumentException naming the file and saying what is wrong with it.
     */
    public static SslContext context(final Path certificateChain, final Path privateKey)
    {
        final X509Certificate[] chain = readCertificates(certificateChain);
        final PrivateKey key = readPrivateKey(privateKey, chain[0].getPublicKey().getAlgorithm());
        if (!belongTogether(key, chain[0].getPublicKey()))
        {
            throw new IllegalArgumentException("the TLS private key " + privateKey.toAbsolutePath() + " does not " +
                "belong to the first certificate of " + certificateChain.toAbsolutePath() + " (" +
                chain[0].getSubjectX500Principal().getName() + "): the server's own certificate must come first");
        }
        try
        {
            return SslContextBuilder.forServer(key, chain)
                .sslProvider(SslProvider.JDK)
                .protocols(PROTOCOLS)
                .ciphers(CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE)
                .build();
        }
        catch (final SSLException | IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("cannot use the TLS certificate chain " +
                certificateChain.toAbsolutePath() + " with the key " + privateKey.toAbsolutePath() + ": " +
                ex.getMessage(), ex);
        }
    }

    /**
     * Puts TLS first in a new connection's pipeline, before anything that reads the application's bytes, with the
     * handler that reports failed handshakes once and quietly.
     */
    public static void addTo(final SocketChannel channel, final SslContext context, final String listener)
    {
        channel.pipeline().addLast(context.newHandler(channel.alloc()), new TlsFailureHandler(listener));
    }

    private static X509Certificate[] readCertificates(final Path file)
    {
        final byte[] pem = read(file, "TLS certificate chain");
        final Collection<? extends Certificate> certificates;
        try
        {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem));
        }
        catch (final GeneralSecurityException ex)
        {
            throw new IllegalArgumentException("the TLS certificate chain " + file.toAbsolutePath() + " is not " +
                "PEM certificates (BEGIN CERTIFICATE blocks): " + ex.getMessage(), ex);
        }
        if (certificates.isEmpty())
        {
            throw new IllegalArgumentException("the TLS certificate chain " + file.toAbsolutePath() + " holds no " +
                "certificate: expected PEM BEGIN CERTIFICATE blocks, the server's own certificate first");
        }
        return certificates.toArray(new X509Certificate[0]);
    }

    private static PrivateKey readPrivateKey(final Path file, final String algorithm)
    {
        final String pem = new String(read(file, "TLS private key"), StandardCharsets.US_ASCII);
        final Matcher pkcs8 = PKCS8_KEY.matcher(pem);
        if (!pkcs8.find())
        {
            final Matcher other = OTHER_KEY.matcher(pem);
            throw new IllegalArgumentException("the TLS private key " + file.toAbsolutePath() + " holds no " +
                "unencrypted PKCS#8 key (BEGIN PRIVATE KEY)" + (other.find() ? ", but a " + other.group(1) +
                "; convert it with: openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key.pem" : ""));
        }
        try
        {
            final byte[] der = Base64.getMimeDecoder().decode(pkcs8.group(1));
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        }
        catch (final GeneralSecurityException | IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("the TLS private key " + file.toAbsolutePath() + " is not a " +
                algorithm + " key in PKCS#8 form, as the certificate's public key is: " + ex.getMessage(), ex);
        }
    }

    /**
     * @return whether a signature made with {@code key} verifies with {@code certificateKey}; true for a key type
     * this check does not know, which the first handshake then tests.
     */
    private static boolean belongTogether(final PrivateKey key, final PublicKey certificateKey)
    {
        final String algorithm = switch (key.getAlgorithm())
        {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null;
        };
        if (algorithm == null)
        {
            return true;
        }
        try
        {
            final Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(PROOF);
            final byte[] signature = signer.sign();
            final Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificateKey);
            verifier.update(PROOF);
            return verifier.verify(signature);
        }
        catch (final GeneralSecurityException ex)
        {
            return false;
        }
    }

    private static byte[] read(final Path file, final String what)
    {
        try
        {
            return Files.readAllBytes(file);
        }
        catch (final IOException ex)
        {
            throw new IllegalArgumentException("cannot read the " + what + " " + file.toAbsolutePath() + ": " +
                ex.getMessage(), ex);
        }
    }
}
