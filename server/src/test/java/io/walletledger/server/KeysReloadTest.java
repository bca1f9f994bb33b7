package io.walletledger.server;

import io.walletledger.server.node.LedgerNodeTest;
import io.walletledger.gateway.security.ApiKey;
import io.walletledger.gateway.security.KeysFile;
import io.walletledger.protocol.Role;
import io.walletledger.protocol.sbe.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A running server takes the keys file as {@code ./wallet keys} leaves it: a key added works without a restart, a
 * revoked key's open connection is cut at its next request and it cannot authenticate again, and an unchanged key's
 * connection goes on.
 */
class KeysReloadTest
{
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(20);

    @TempDir
    Path directory;

    @Test
    void keysAddedAndRevokedInTheFileApplyWithoutARestart() throws Exception
    {
        final Path keysFile = directory.resolve("keys.json");
        final KeysFile.NewKey admin = newKey("admin", Role.ADMIN);
        final KeysFile.NewKey doomed = newKey("doomed", Role.TRANSFER);
        KeysFile.save(keysFile, List.of(admin.key(), doomed.key()));
        try (WalletServer server = WalletServer.start(
            BinaryAuthenticationTest.requiredSettings(directory.resolve("data"), keysFile, Map.of()));
            RawConnection adminConnection = connect(server.binaryAddress(), admin);
            RawConnection doomedConnection = connect(server.binaryAddress(), doomed))
        {
            BinaryRequests.createAccounts(adminConnection);
            BinaryRequests.fundAndExpectSuccess(doomedConnection, 1_000, 2);

            // Added while running: usable once the server has looked at the file again.
            final KeysFile.NewKey late = newKey("late", Role.TRANSFER);
            KeysFile.save(keysFile, List.of(admin.key(), doomed.key(), late.key()));
            final long deadline = System.nanoTime() + WAIT_NANOS;
            boolean lateWorks = false;
            while (!lateWorks && System.nanoTime() < deadline)
            {
                try (RawConnection connection = new RawConnection(server.binaryAddress()))
                {
                    lateWorks = ScramTestClient.authenticate(connection, "late", late.secret()).ok();
                    if (lateWorks)
                    {
                        BinaryRequests.fundAndExpectSuccess(connection, 2_000, 2);
                    }
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
            assertTrue(lateWorks, "a key added to the file was never accepted");

            // Revoked: its open connection is refused at its next request and closed; it cannot come back.
            KeysFile.save(keysFile, List.of(admin.key(), late.key()));
            final long revokeDeadline = System.nanoTime() + WAIT_NANOS;
            boolean cut = false;
            long id = 3_000;
            while (!cut && System.nanoTime() < revokeDeadline)
            {
                doomedConnection.send(BinaryRequests.transfers(id, 1));
                final byte[] reply = doomedConnection.receive();
                if (LedgerNodeTest.templateOf(reply) == io.walletledger.protocol.sbe.ErrorResponseDecoder.TEMPLATE_ID)
                {
                    BinaryRequests.assertError(reply, ErrorCode.UNAUTHENTICATED, id);
                    cut = true;
                }
                id++;
                TimeUnit.MILLISECONDS.sleep(200);
            }
            assertTrue(cut, "the revoked key's connection was never cut");
            try (RawConnection again = new RawConnection(server.binaryAddress()))
            {
                assertFalse(ScramTestClient.authenticate(again, "doomed", doomed.secret()).ok());
            }

            // The admin key did not change: its connection, open since before both reloads, still works.
            BinaryRequests.fundAndExpectSuccess(adminConnection, 4_000, 2);
            assertEquals(null, server.node().failure());
        }
    }

    private static KeysFile.NewKey newKey(final String id, final Role role)
    {
        return KeysFile.create(id, EnumSet.of(role), new long[0], BinaryAuthenticationTest.ITERATIONS, 0, 0);
    }

    private static RawConnection connect(final InetSocketAddress address, final KeysFile.NewKey key) throws IOException
    {
        final RawConnection connection = new RawConnection(address);
        final ApiKey apiKey = key.key();
        assertTrue(ScramTestClient.authenticate(connection, apiKey.id(), key.secret()).ok(), apiKey.id());
        return connection;
    }
}
