package io.walletledger.protocol;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScramSha256Test
{
    /** RFC 7677, section 3: user "user", password "pencil". */
    @Test
    void reproducesTheExampleExchangeOfRfc7677()
    {
        final byte[] salt = Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ==");
        final byte[] authMessage = ("n=user,r=rOprNGfwEbeRWgbNEkqO," +
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096," +
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0").getBytes(StandardCharsets.US_ASCII);

        final byte[] saltedPassword = ScramSha256.saltedPassword("pencil", salt, 4096);
        final byte[] clientKey = ScramSha256.clientKey(saltedPassword);
        final byte[] proof = ScramSha256.clientProof(clientKey, authMessage);

        assertEquals("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", Base64.getEncoder().encodeToString(proof));
        assertEquals("6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=", Base64.getEncoder().encodeToString(
            ScramSha256.serverSignature(ScramSha256.serverKey(saltedPassword), authMessage)));
        assertTrue(ScramSha256.verifyClientProof(ScramSha256.storedKey(clientKey), authMessage, proof));
    }

    @Test
    void aProofIsGoodForItsOwnNoncesOnly()
    {
        final byte[] salt = AuthGoldenFrames.counting(16, 1);
        final byte[] clientKey = ScramSha256.clientKey(ScramSha256.saltedPassword("secret", salt, 4096));
        final byte[] storedKey = ScramSha256.storedKey(clientKey);
        final byte[] clientNonce = AuthGoldenFrames.counting(32, 7);
        final byte[] first = ScramSha256.authMessage("k1", clientNonce, AuthGoldenFrames.counting(32, 50), salt, 4096);
        final byte[] second = ScramSha256.authMessage("k1", clientNonce, AuthGoldenFrames.counting(32, 51), salt, 4096);
        final byte[] proof = ScramSha256.clientProof(clientKey, first);

        assertTrue(ScramSha256.verifyClientProof(storedKey, first, proof));
        assertFalse(ScramSha256.verifyClientProof(storedKey, second, proof), "a replayed proof on a new nonce");
        final byte[] wrongSecret = ScramSha256.clientKey(ScramSha256.saltedPassword("secreT", salt, 4096));
        assertFalse(ScramSha256.verifyClientProof(storedKey, first, ScramSha256.clientProof(wrongSecret, first)));
        assertFalse(ScramSha256.verifyClientProof(storedKey, first, new byte[31]));
    }

    @Test
    void theAuthMessageHasTheDocumentedLayout()
    {
        final byte[] message = ScramSha256.authMessage("ab", AuthGoldenFrames.counting(32, 0),
            AuthGoldenFrames.counting(32, 32), AuthGoldenFrames.counting(16, 64), 0x01020304);

        assertEquals(20 + 1 + 2 + 32 + 32 + 16 + 4, message.length);
        assertEquals("wallet-scram-sha256", new String(message, 0, 19, StandardCharsets.US_ASCII));
        assertEquals(0, message[19]);
        assertEquals(2, message[20]);
        assertEquals('a', message[21]);
        assertEquals(0, message[23]);
        assertEquals(32, message[55]);
        assertEquals(64, message[87]);
        assertArrayEquals(new byte[] {4, 3, 2, 1}, java.util.Arrays.copyOfRange(message, 103, 107));
    }

    @Test
    void keyIdsArePrintableAsciiOfOneToSixtyFourCharacters()
    {
        assertTrue(ScramSha256.isValidKeyId("payments-eu~1"));
        assertTrue(ScramSha256.isValidKeyId("x".repeat(64)));
        assertFalse(ScramSha256.isValidKeyId(""));
        assertFalse(ScramSha256.isValidKeyId("x".repeat(65)));
        assertFalse(ScramSha256.isValidKeyId("with space"));
        assertFalse(ScramSha256.isValidKeyId("caf\u00e9"));
        assertThrows(IllegalArgumentException.class, () -> ScramSha256.saltedPassword("s", new byte[16], 4095));
    }
}
