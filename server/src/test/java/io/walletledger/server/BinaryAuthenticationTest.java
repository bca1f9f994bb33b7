package io.walletledger.server;

import io.walletledger.server.node.LedgerNodeTest;
import io.walletledger.server.node.CrashWorkload;
import io.walletledger.config.WalletSettings;
import io.walletledger.gateway.GatewayContext;
import io.walletledger.gateway.binary.BinaryGateway;
import io.walletledger.gateway.binary.BinarySettings;
import io.walletledger.gateway.security.ApiKey;
import io.walletledger.gateway.security.GatewaySecurity;
import io.walletledger.gateway.security.KeyRateLimits;
import io.walletledger.gateway.security.KeysFile;
import io.walletledger.protocol.Role;
import io.walletledger.protocol.ScramSha256;
import io.walletledger.protocol.sbe.AccountAction;
import io.walletledger.protocol.sbe.AccountCommandsEncoder;
import io.walletledger.protocol.sbe.CommandResultsResponseDecoder;
import io.walletledger.protocol.sbe.CreateTransfersEncoder;
import io.walletledger.protocol.sbe.FreezeScope;
import io.walletledger.protocol.sbe.SetAccountLimitsEncoder;
import io.walletledger.protocol.sbe.CreateTransfersResponseDecoder;
import io.walletledger.protocol.sbe.ErrorCode;
import io.walletledger.protocol.sbe.ErrorResponseDecoder;
import io.walletledger.protocol.sbe.LookupAccountsResponseDecoder;
import io.walletledger.protocol.sbe.HistoryOrder;
import io.walletledger.protocol.sbe.LookupAccountHistoryEncoder;
import io.walletledger.protocol.sbe.LookupAccountHistoryResponseDecoder;
import io.walletledger.protocol.sbe.LookupTransfersEncoder;
import io.walletledger.protocol.sbe.LookupTransfersResponseDecoder;
import io.walletledger.protocol.sbe.MessageHeaderDecoder;
import io.walletledger.protocol.sbe.MessageHeaderEncoder;
import io.walletledger.protocol.sbe.SetFeesEncoder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Authentication, roles, account restrictions, rate limits and connection limits on the binary port of a real server
 * on loopback, with keys from a real keys file.
 */
public class BinaryAuthenticationTest
{
    public static final int ITERATIONS = ScramSha256.ITERATIONS_MIN;

    @TempDir
    static Path directory;

    static WalletServer server;
    static final Map<String, String> SECRETS = new HashMap<>();

    @BeforeAll
    static void start() throws IOException
    {
        final Path keysFile = directory.resolve("keys.json");
        writeKeys(keysFile);
        server = WalletServer.start(requiredSettings(directory.resolve("data"), keysFile, Map.of(
            "wallet.security.max-connections-per-key", 2)));
        try (RawConnection admin = connect("admin"))
        {
            BinaryRequests.createAccounts(admin);
        }
    }

    @AfterAll
    static void stop()
    {
        server.close();
    }

    /**
     * Keys: admin; payer (transfer, 100 transfers/s, burst 100); other (transfer, no limit); reader (read);
     * restricted (transfer, account 1 only); restricted-admin (admin, account 3 only); pair (read; the
     * connection-limit key).
     */
    static void writeKeys(final Path keysFile) throws IOException
    {
        final List<ApiKey> keys = new ArrayList<>();
        keys.add(key("admin", EnumSet.of(Role.ADMIN), new long[0], 0, 0));
        keys.add(key("payer", EnumSet.of(Role.TRANSFER), new long[0], 100, 100));
        keys.add(key("other", EnumSet.of(Role.TRANSFER), new long[0], 0, 0));
        keys.add(key("reader", EnumSet.of(Role.READ), new long[0], 0, 0));
        keys.add(key("restricted", EnumSet.of(Role.TRANSFER), new long[] {1}, 0, 0));
        keys.add(key("restricted-admin", EnumSet.of(Role.ADMIN), new long[] {3}, 0, 0));
        keys.add(key("pair", EnumSet.of(Role.READ), new long[0], 0, 0));
        KeysFile.save(keysFile, keys);
    }

    private static ApiKey key(
        final String id, final EnumSet<Role> roles, final long[] accounts, final long rate, final long burst)
    {
        final KeysFile.NewKey created = KeysFile.create(id, roles, accounts, ITERATIONS, rate, burst);
        SECRETS.put(id, created.secret());
        return created.key();
    }

    public static WalletSettings requiredSettings(final Path data, final Path keysFile, final Map<String, Object> more)
    {
        final Map<String, Object> overrides = new LinkedHashMap<>();
        overrides.put("wallet.data-dir", data.toString());
        overrides.put("wallet.server.port", 0);
        overrides.put("wallet.server.http-port", 0);
        overrides.put("wallet.security.mode", "required");
        overrides.put("wallet.security.keys-file", keysFile.toString());
        overrides.put("wallet.ledger.accounts-max", 1024);
        overrides.put("wallet.ledger.idempotency-window", 1 << 16);
        overrides.put("wallet.ledger.pending-transfers-max", 1024);
        overrides.put("wallet.ledger.batch-events-max", 200);
        overrides.putAll(more);
        return WalletSettings.load().withOverrides(overrides);
    }

    static RawConnection connect(final String keyId) throws IOException
    {
        final RawConnection connection = new RawConnection(server.binaryAddress());
        assertTrue(ScramTestClient.authenticate(connection, keyId, SECRETS.get(keyId)).ok(), keyId);
        return connection;
    }

    @Test
    void aGoodKeyAuthenticatesAndTransfers() throws IOException
    {
        try (RawConnection payer = connect("other"))
        {
            BinaryRequests.fundAndExpectSuccess(payer, 10_000, 5);
        }
    }

    @Test
    void aWrongSecretFailsAndTheConnectionIsClosed() throws IOException
    {
        try (RawConnection connection = new RawConnection(server.binaryAddress()))
        {
            final String wrong = SECRETS.get("other").substring(1) + "A";
            assertFalse(ScramTestClient.authenticate(connection, "other", wrong).ok());
            assertTrue(connection.isClosedByServer());
        }
    }

    @Test
    void aLongFrameBeforeAuthenticationIsRefusedAsSoonAsItsLengthArrives() throws IOException
    {
        try (RawConnection connection = new RawConnection(server.binaryAddress()))
        {
            // Only the length field of a 100,000-byte frame: the server answers without waiting for the rest.
            connection.sendRaw(new byte[] {(byte)0xA0, (byte)0x86, 0x01, 0x00});
            final byte[] reply = connection.receive();
            final ErrorResponseDecoder error = new ErrorResponseDecoder()
                .wrapAndApplyHeader(RawConnection.buffer(reply), 0, new MessageHeaderDecoder());
            assertEquals(ErrorCode.FRAME_TOO_LARGE, error.code());
            final String message = error.message();
            assertTrue(message.contains("before authentication"), message);
            assertTrue(connection.isClosedByServer());
        }
        try (RawConnection connection = connect("other"))
        {
            // Authenticated, a frame of a whole request is fine.
            connection.send(BinaryRequests.fundings(48_000, 100));
            assertEquals(CreateTransfersResponseDecoder.TEMPLATE_ID, LedgerNodeTest.templateOf(connection.receive()));
        }
    }

    @Test
    void anUnknownKeyFailsExactlyLikeAWrongSecret() throws IOException
    {
        try (RawConnection connection = new RawConnection(server.binaryAddress()))
        {
            assertFalse(ScramTestClient.authenticate(connection, "nobody", SECRETS.get("other")).ok());
            assertTrue(connection.isClosedByServer());
        }
    }

    @Test
    void aReplayedProofFailsOnANewConnection() throws IOException
    {
        final ScramTestClient.Exchange recorded;
        try (RawConnection first = new RawConnection(server.binaryAddress()))
        {
            recorded = ScramTestClient.authenticate(first, "admin", SECRETS.get("admin"));
            assertTrue(recorded.ok());
        }
        try (RawConnection replay = new RawConnection(server.binaryAddress()))
        {
            // The same hello (the client nonce is in the AuthMessage) and the recorded proof.
            final byte[] clientNonce = Arrays.copyOfRange(recorded.authMessage(), 26, 58);
            replay.send(ScramTestClient.hello("admin", clientNonce));
            replay.receive(); // a challenge with a fresh server nonce
            replay.send(recorded.proofSent());
            assertFalse(ScramTestClient.readResult(replay, null));
            assertTrue(replay.isClosedByServer());
        }
    }

    @Test
    void aRequestBeforeAuthenticationIsRefusedAndTheConnectionClosed() throws IOException
    {
        try (RawConnection connection = new RawConnection(server.binaryAddress()))
        {
            connection.send(BinaryRequests.fundings(20_000, 1));
            BinaryRequests.assertError(connection.receive(), ErrorCode.UNAUTHENTICATED, 20_000);
            assertTrue(connection.isClosedByServer());
        }
    }

    @Test
    void eachRoleMayDoItsOwnAndNothingMore() throws IOException
    {
        try (RawConnection reader = connect("reader"); RawConnection payer = connect("other");
             RawConnection admin = connect("admin"))
        {
            // read: lookups yes, transfers no (nothing applied, the connection stays open).
            reader.send(BinaryRequests.fundings(30_000, 1));
            BinaryRequests.assertError(reader.receive(), ErrorCode.FORBIDDEN, 30_000);
            reader.send(lookup(1, 2));
            assertEquals(LookupAccountsResponseDecoder.TEMPLATE_ID, LedgerNodeTest.templateOf(reader.receive()));
            reader.send(lookupTransfer(30_000));
            assertEquals(8, LedgerNodeTest.templateOf(reader.receive()));

            // transfer: transfers and lookups yes, admin requests no.
            payer.send(setFee(31_000));
            BinaryRequests.assertError(payer.receive(), ErrorCode.FORBIDDEN, 31_000);
            payer.send(lookup(1));
            assertEquals(LookupAccountsResponseDecoder.TEMPLATE_ID, LedgerNodeTest.templateOf(payer.receive()));
            BinaryRequests.fundAndExpectSuccess(payer, 32_000, 1);

            // admin: everything.
            admin.send(setFee(33_000));
            assertEquals(10, LedgerNodeTest.templateOf(admin.receive()));
            BinaryRequests.fundAndExpectSuccess(admin, 34_000, 1);
        }
        // The refused transfer was never applied.
        try (RawConnection reader = connect("reader"))
        {
            reader.send(lookupTransfer(30_000));
            final byte[] reply = reader.receive();
            assertEquals(8, LedgerNodeTest.templateOf(reply));
            assertEquals(0, new io.walletledger.protocol.sbe.LookupTransfersResponseDecoder()
                .wrapAndApplyHeader(RawConnection.buffer(reply), 0, new io.walletledger.protocol.sbe.MessageHeaderDecoder())
                .transfers().count());
        }
    }

    @Test
    void aRestrictedKeyMayNameOnlyItsAccounts() throws IOException
    {
        try (RawConnection restricted = connect("restricted"))
        {
            BinaryRequests.fundAndExpectSuccess(restricted, 40_000, 2); // debits account 1: its own
            restricted.send(BinaryRequests.transfers(41_000, 3));      // debits other wallets
            BinaryRequests.assertError(restricted.receive(), ErrorCode.FORBIDDEN, 41_000);
            restricted.send(lookup(1, 2));
            BinaryRequests.assertError(restricted.receive(), ErrorCode.FORBIDDEN, 7);
            restricted.send(lookup(1));
            assertEquals(LookupAccountsResponseDecoder.TEMPLATE_ID, LedgerNodeTest.templateOf(restricted.receive()));
        }
    }

    @Test
    void aRestrictedKeyLooksUpOnlyTransfersOfItsAccounts() throws IOException
    {
        try (RawConnection restricted = connect("restricted"); RawConnection admin = connect("admin"))
        {
            BinaryRequests.fundAndExpectSuccess(restricted, 45_000, 1); // account 1 to wallet 2
            admin.send(eurTransfer(46_000));                          // EUR settlement 101 to wallet 102
            assertEquals(CreateTransfersResponseDecoder.TEMPLATE_ID, LedgerNodeTest.templateOf(admin.receive()));

            admin.send(lookupTransfers(45_000, 46_000));
            assertEquals(List.of(45_000L, 46_000L), transferIds(admin.receive()), "an unrestricted key sees both");
            restricted.send(lookupTransfers(45_000, 46_000));
            assertEquals(List.of(45_000L), transferIds(restricted.receive()),
                "a restricted key sees only transfers of its accounts; the others read as not found");
        }
    }

    @Test
    void aRestrictedKeyReadsTheHistoryOfItsAccountsOnlyAndABadQueryIsRefused() throws IOException
    {
        try (RawConnection restricted = connect("restricted"))
        {
            BinaryRequests.fundAndExpectSuccess(restricted, 47_000, 3); // account 1 to wallet 2
            restricted.send(history(1, 2, 1));
            final byte[] reply = restricted.receive();
            assertEquals(LookupAccountHistoryResponseDecoder.TEMPLATE_ID, LedgerNodeTest.templateOf(reply));
            final LookupAccountHistoryResponseDecoder page = new LookupAccountHistoryResponseDecoder()
                .wrapAndApplyHeader(RawConnection.buffer(reply), 0, new MessageHeaderDecoder());
            assertEquals(12, page.correlationId());
            final long next = page.nextCursor();
            final List<Long> newest = new ArrayList<>();
            for (final LookupAccountHistoryResponseDecoder.EntriesDecoder entry : page.entries())
            {
                assertTrue(entry.parts().debit(), "account 1 paid");
                newest.add(entry.id().lo());
            }
            assertEquals(List.of(47_002L, 47_001L), newest, "newest first, two per page");
            assertTrue(next >= 0, "there is a next page");

            restricted.send(history(2, 2, 1));
            BinaryRequests.assertError(restricted.receive(), ErrorCode.FORBIDDEN, 12);
            restricted.send(history(1, 0, 1));
            BinaryRequests.assertError(restricted.receive(), ErrorCode.MALFORMED, 12);
            restricted.send(history(1, 1001, 1));
            BinaryRequests.assertError(restricted.receive(), ErrorCode.MALFORMED, 12);
            restricted.send(history(1, 5, 2));
            BinaryRequests.assertError(restricted.receive(), ErrorCode.BATCH_TOO_LARGE, 12);
        }
    }

    @Test
    void aRestrictedAdminKeyAddsControlsToItsAccountsButNeverLiftsThem() throws IOException
    {
        try (RawConnection restricted = connect("restricted-admin"); RawConnection admin = connect("admin"))
        {
            restricted.send(accountCommand(3, AccountAction.FREEZE, FreezeScope.DEBITS));
            assertEquals(CommandResultsResponseDecoder.TEMPLATE_ID, LedgerNodeTest.templateOf(restricted.receive()),
                "it may freeze its own account");
            restricted.send(accountCommand(3, AccountAction.UNFREEZE, FreezeScope.NONE));
            BinaryRequests.assertError(restricted.receive(), ErrorCode.FORBIDDEN, 13);
            restricted.send(accountLimits(3));
            BinaryRequests.assertError(restricted.receive(), ErrorCode.FORBIDDEN, 13);
            restricted.send(accountCommand(4, AccountAction.FREEZE, FreezeScope.ALL));
            BinaryRequests.assertError(restricted.receive(), ErrorCode.FORBIDDEN, 13);

            admin.send(accountLimits(3));
            assertEquals(CommandResultsResponseDecoder.TEMPLATE_ID, LedgerNodeTest.templateOf(admin.receive()),
                "a key that is not restricted may");
            admin.send(accountCommand(3, AccountAction.UNFREEZE, FreezeScope.NONE));
            assertEquals(CommandResultsResponseDecoder.TEMPLATE_ID, LedgerNodeTest.templateOf(admin.receive()));
        }
    }

    private static byte[] accountCommand(final long accountId, final AccountAction action, final FreezeScope scope)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        final AccountCommandsEncoder encoder = new AccountCommandsEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(13);
        encoder.commandsCount(1).next().accountId(accountId).action(action).freezeScope(scope);
        return Arrays.copyOf(buffer.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    /**
     * @return limits that remove every limit of the account: what a key could use to free its account.
     */
    private static byte[] accountLimits(final long accountId)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        final SetAccountLimitsEncoder encoder = new SetAccountLimitsEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(13);
        encoder.limitsCount(1).next().accountId(accountId).transferAmountLimit(0).dailyDebitLimit(0)
            .velocityDebitLimit(0).velocityWindowSeconds(0);
        return Arrays.copyOf(buffer.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    /**
     * @return {@code LookupAccountHistory} of the account, newest first, repeated {@code queries} times in the group.
     */
    private static byte[] history(final long accountId, final int limit, final int queries)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final LookupAccountHistoryEncoder encoder = new LookupAccountHistoryEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(12);
        final LookupAccountHistoryEncoder.QueriesEncoder group = encoder.queriesCount(queries);
        for (int i = 0; i < queries; i++)
        {
            group.next().accountId(accountId).cursor(-1).fromTimestamp(0).toTimestamp(Long.MAX_VALUE).limit(limit)
                .order(HistoryOrder.NEWEST_FIRST).parts().clear();
        }
        return Arrays.copyOf(buffer.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    private static byte[] eurTransfer(final long id)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final CreateTransfersEncoder encoder = new CreateTransfersEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(id);
        final CreateTransfersEncoder.TransfersEncoder transfer = encoder.transfersCount(1).next();
        transfer.id().lo(id).hi(0);
        transfer.debitAccountId(101).creditAccountId(102).amount(5);
        transfer.pendingId().lo(0).hi(0);
        transfer.userData128().lo(0).hi(0);
        transfer.userData64(0).userData32(0).timeout(0).currency(CrashWorkload.EUR).code(7).flags().clear();
        return Arrays.copyOf(buffer.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    private static byte[] lookupTransfers(final long... ids)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final LookupTransfersEncoder encoder = new LookupTransfersEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(11);
        final LookupTransfersEncoder.IdsEncoder group = encoder.idsCount(ids.length);
        for (final long id : ids)
        {
            group.next().id().lo(id).hi(0);
        }
        return Arrays.copyOf(buffer.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    private static List<Long> transferIds(final byte[] reply)
    {
        assertEquals(LookupTransfersResponseDecoder.TEMPLATE_ID, LedgerNodeTest.templateOf(reply));
        final LookupTransfersResponseDecoder response = new LookupTransfersResponseDecoder()
            .wrapAndApplyHeader(RawConnection.buffer(reply), 0, new MessageHeaderDecoder());
        final List<Long> ids = new ArrayList<>();
        for (final LookupTransfersResponseDecoder.TransfersDecoder transfer : response.transfers())
        {
            ids.add(transfer.id().lo());
        }
        return ids;
    }

    @Test
    void anOverLimitKeyIsRateLimitedWhileAnotherKeyIsNot() throws IOException
    {
        try (RawConnection payer = connect("payer"); RawConnection other = connect("other"))
        {
            BinaryRequests.fundAndExpectSuccess(payer, 50_000, 100); // the whole burst
            payer.send(BinaryRequests.fundings(50_100, 100));
            BinaryRequests.assertError(payer.receive(), ErrorCode.RATE_LIMITED, 50_100);
            payer.send(BinaryRequests.fundings(50_200, 101));
            BinaryRequests.assertError(payer.receive(), ErrorCode.RATE_LIMITED, 50_200); // more than the burst

            BinaryRequests.fundAndExpectSuccess(other, 51_000, 200);
            BinaryRequests.fundAndExpectSuccess(other, 52_000, 200);
        }
    }

    @Test
    void aRequestRetriedAfterAFullRingTakesItsTokensOnce() throws IOException
    {
        // A ring full for the first attempts: the connection retries the same request, which passed the rate check.
        final java.util.concurrent.atomic.AtomicInteger busy = new java.util.concurrent.atomic.AtomicInteger(3);
        final io.walletledger.protocol.RequestSubmitter congested = (request, offset, length, handler) ->
            busy.getAndDecrement() > 0 ? io.walletledger.protocol.Submission.BUSY :
            server.node().submit(request, offset, length, handler);
        final ApiKey payer = KeysFile.load(directory.resolve("keys.json")).get("payer");
        try (BinaryGateway gateway = BinaryGateway.start(GatewayContext.of(congested,
                GatewaySecurity.required(Map.of("payer", payer), KeyRateLimits.transfers(0, 0), 0)),
                BinarySettings.loopback(200), 1);
            RawConnection connection = new RawConnection(gateway.address()))
        {
            assertTrue(ScramTestClient.authenticate(connection, "payer", SECRETS.get("payer")).ok());
            BinaryRequests.fundAndExpectSuccess(connection, 70_000, 100); // the whole burst of 100
            assertTrue(busy.get() < 0, "the ring was full at first");
        }
    }

    @Test
    void aKeyHoldsAtMostItsConnections() throws IOException
    {
        try (RawConnection third = new RawConnection(server.binaryAddress());
             RawConnection first = connect("pair"); RawConnection second = connect("pair"))
        {
            final byte[] nonce = new byte[32];
            third.send(ScramTestClient.hello("pair", nonce));
            final io.walletledger.protocol.sbe.AuthChallengeDecoder challenge = new io.walletledger.protocol.sbe
                .AuthChallengeDecoder().wrapAndApplyHeader(RawConnection.buffer(third.receive()), 0,
                new io.walletledger.protocol.sbe.MessageHeaderDecoder());
            final byte[] salt = new byte[16];
            challenge.getSalt(salt, 0, 16);
            final byte[] serverNonce = new byte[32];
            challenge.getServerNonce(serverNonce, 0, 32);
            final byte[] salted = ScramSha256.saltedPassword(SECRETS.get("pair"), salt, ITERATIONS);
            third.send(ScramTestClient.proof(ScramSha256.clientProof(ScramSha256.clientKey(salted),
                ScramSha256.authMessage("pair", nonce, serverNonce, salt, ITERATIONS))));
            BinaryRequests.assertError(third.receive(), ErrorCode.RATE_LIMITED, 2);
            assertTrue(third.isClosedByServer());
            first.send(lookup(1));
            assertEquals(LookupAccountsResponseDecoder.TEMPLATE_ID, LedgerNodeTest.templateOf(first.receive()));
        }
        // Closed connections no longer count.
        try (RawConnection again = connect("pair"))
        {
            again.send(lookup(2));
            assertEquals(LookupAccountsResponseDecoder.TEMPLATE_ID, LedgerNodeTest.templateOf(again.receive()));
        }
    }

    @Test
    void aWellBehavedClientIsServedDuringAnAuthenticationFailureFlood() throws Exception
    {
        final AtomicBoolean flooding = new AtomicBoolean(true);
        final ExecutorService attackers = Executors.newFixedThreadPool(4);
        final List<Future<Integer>> attempts = new ArrayList<>();
        for (int a = 0; a < 4; a++)
        {
            attempts.add(attackers.submit(() ->
            {
                int failed = 0;
                while (flooding.get())
                {
                    try (RawConnection attacker = new RawConnection(server.binaryAddress()))
                    {
                        if (!ScramTestClient.authenticate(attacker, "admin", "guess" + failed).ok())
                        {
                            failed++;
                        }
                    }
                }
                return failed;
            }));
        }
        try (RawConnection payer = connect("other"))
        {
            for (int i = 0; i < 50; i++)
            {
                BinaryRequests.fundAndExpectSuccess(payer, 60_000 + i * 10L, 10);
            }
        }
        finally
        {
            flooding.set(false);
            attackers.shutdown();
            assertTrue(attackers.awaitTermination(30, TimeUnit.SECONDS));
        }
        int failures = 0;
        for (final Future<Integer> attempt : attempts)
        {
            failures += attempt.get();
        }
        assertTrue(failures > 0, "the flood ran");
    }

    static byte[] lookup(final long... ids)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final io.walletledger.protocol.sbe.LookupAccountsEncoder encoder = new io.walletledger.protocol.sbe
            .LookupAccountsEncoder().wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(7);
        final io.walletledger.protocol.sbe.LookupAccountsEncoder.IdsEncoder group = encoder.idsCount(ids.length);
        for (final long id : ids)
        {
            group.next().id(id);
        }
        return Arrays.copyOf(buffer.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    static byte[] lookupTransfer(final long id)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final LookupTransfersEncoder encoder = new LookupTransfersEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(9);
        encoder.idsCount(1).next().id().lo(id).hi(0);
        return Arrays.copyOf(buffer.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

    static byte[] setFee(final long correlationId)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final SetFeesEncoder encoder = new SetFeesEncoder()
            .wrapAndApplyHeader(buffer, 0, new MessageHeaderEncoder()).correlationId(correlationId);
        encoder.feesCount(1).next().transferCode(9).currency(CrashWorkload.USD).fixedAmount(1).basisPoints(0)
            .minimum(0).maximum(0).feeAccountId(0);
        return Arrays.copyOf(buffer.byteArray(), MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength());
    }

}
