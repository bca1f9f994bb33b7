package io.walletledger.server;

import io.walletledger.server.node.LedgerNodeTest;
import io.walletledger.protocol.ScramSha256;
import io.walletledger.protocol.sbe.AuthChallengeDecoder;
import io.walletledger.protocol.sbe.AuthHelloEncoder;
import io.walletledger.protocol.sbe.AuthProofEncoder;
import io.walletledger.protocol.sbe.AuthResultDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The client's side of the authentication exchange, spelled out with the codecs for the tests that speak raw
 * frames; the Java client has its own.
 */
final class ScramTestClient
{
    private static final SecureRandom RANDOM = new SecureRandom();

    private ScramTestClient()
    {
    }

    static byte[] hello(final String keyId, final byte[] clientNonce)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final AuthHelloEncoder encoder = new AuthHelloEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .correlationId(1).putClientNonce(clientNonce, 0, 32).keyId(keyId);
        return Arrays.copyOf(buffer.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    static byte[] proof(final byte[] clientProof)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final AuthProofEncoder encoder = new AuthProofEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder())
            .correlationId(2).putClientProof(clientProof, 0, 32);
        return Arrays.copyOf(buffer.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    /**
     * What one exchange saw.
     *
     * @param ok           what AuthResult said.
     * @param authMessage  what both sides signed.
     * @param proofSent    the AuthProof's frame.
     */
    record Exchange(boolean ok, byte[] authMessage, byte[] proofSent)
    {
    }

    /**
     * Runs the exchange; on success checks the server's signature.
     */
    static Exchange authenticate(final RawConnection connection, final String keyId, final String secret)
        throws IOException
    {
        final byte[] clientNonce = new byte[32];
        RANDOM.nextBytes(clientNonce);
        connection.send(hello(keyId, clientNonce));
        final byte[] reply = connection.receive();
        assertEquals(AuthChallengeDecoder.TEMPLATE_ID, LedgerNodeTest.templateOf(reply));
        final AuthChallengeDecoder challenge = new AuthChallengeDecoder()
            .wrapAndApplyHeader(RawConnection.buffer(reply), 0, new MessageHeaderDecoder());
        final byte[] salt = new byte[16];
        challenge.getSalt(salt, 0, 16);
        final byte[] serverNonce = new byte[32];
        challenge.getServerNonce(serverNonce, 0, 32);
        final int iterations = (int)challenge.iterations();
        final byte[] salted = ScramSha256.saltedPassword(secret, salt, iterations);
        final byte[] authMessage = ScramSha256.authMessage(keyId, clientNonce, serverNonce, salt, iterations);
        final byte[] proof = proof(ScramSha256.clientProof(ScramSha256.clientKey(salted), authMessage));
        connection.send(proof);
        final boolean ok = readResult(connection, ScramSha256.serverSignature(ScramSha256.serverKey(salted),
            authMessage));
        return new Exchange(ok, authMessage, proof);
    }

    /**
     * @return whether the AuthResult said ok; if it did, its signature must be {@code expectedSignature}.
     */
    static boolean readResult(final RawConnection connection, final byte[] expectedSignature) throws IOException
    {
        final byte[] result = connection.receive();
        assertEquals(AuthResultDecoder.TEMPLATE_ID, LedgerNodeTest.templateOf(result));
        final AuthResultDecoder decoder = new AuthResultDecoder()
            .wrapAndApplyHeader(RawConnection.buffer(result), 0, new MessageHeaderDecoder());
        final byte[] signature = new byte[32];
        decoder.getServerSignature(signature, 0, 32);
        if (decoder.ok() == 1)
        {
            assertArrayEquals(expectedSignature, signature, "the server proves it knows the key");
            return true;
        }
        assertArrayEquals(new byte[32], signature);
        return false;
    }
}
