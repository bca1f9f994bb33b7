package io.walletledger.gateway.security;

import io.walletledger.protocol.Role;
import io.walletledger.protocol.ScramSha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parts of the gateway's security, one by one: roles, the keys file, the rate limits, the bearer check and its
 * cache, the decoy challenge, connection counting and the audit log's bounded failure counting.
 */
class SecurityPartsTest
{
    @TempDir
    Path directory;

    private static KeysFile.NewKey key(final String id, final Role role, final long... accounts)
    {
        return KeysFile.create(id, EnumSet.of(role), accounts, ScramSha256.ITERATIONS_MIN, 0, 0);
    }

    @Test
    void higherRolesIncludeLowerOnes()
    {
        assertTrue(Role.ADMIN.grants(Role.TRANSFER) && Role.ADMIN.grants(Role.READ));
        assertTrue(Role.TRANSFER.grants(Role.READ));
        assertFalse(Role.TRANSFER.grants(Role.ADMIN) || Role.READ.grants(Role.TRANSFER));
        assertEquals(Role.TRANSFER, Role.of(" Transfer "));
        assertThrows(IllegalArgumentException.class, () -> Role.of("root"));
    }

    @Test
    void theKeysFileRoundTripsAndRefusesWhatIsNotAKey() throws IOException
    {
        final Path file = directory.resolve("keys.json");
        final KeysFile.NewKey payments = key("payments", Role.TRANSFER, 7, 3);
        KeysFile.save(file, List.of(payments.key(), key("ops", Role.ADMIN).key()));

        final Map<String, ApiKey> loaded = KeysFile.load(file);
        assertEquals(payments.key(), loaded.get("payments"));
        assertArrayEquals(new long[] {3, 7}, loaded.get("payments").accounts());
        assertFalse(Files.readString(file).contains(payments.secret()));
        assertFalse(payments.toString().contains(payments.secret()));

        Files.writeString(file, "{\"version\":1,\"keys\":[{\"id\":\"a\",\"roles\":[\"read\"],\"colour\":\"red\"}]}");
        assertTrue(assertThrows(IOException.class, () -> KeysFile.load(file)).getMessage()
            .contains("unknown field 'colour'"));
        Files.writeString(file, "{\"keys\":[]}");
        assertThrows(IOException.class, () -> KeysFile.load(file));
        Files.writeString(file, "{nope");
        assertTrue(assertThrows(IOException.class, () -> KeysFile.load(file)).getMessage().contains("not valid JSON"));
    }

    @Test
    void aTokenBucketPerKeyTakesAllOfARequestOrNone()
    {
        final KeyRateLimits limits = KeyRateLimits.transfers(10, 0);
        final ApiKey byDefault = key("d", Role.TRANSFER).key();
        final ApiKey own = KeysFile.create("o", EnumSet.of(Role.TRANSFER), new long[0], ScramSha256.ITERATIONS_MIN,
            1, 5).key();

        assertEquals(10, limits.burstOf(byDefault), "burst 0: one second of the rate");
        assertEquals(KeyRateLimits.ALLOWED, limits.tryTake(byDefault, 10));
        final long wait = limits.tryTake(byDefault, 5);
        assertTrue(wait > 0 && wait <= TimeUnit.SECONDS.toNanos(1), "five tokens come in about half a second");
        assertEquals(KeyRateLimits.NEVER, limits.tryTake(byDefault, 11));

        assertEquals(5, limits.burstOf(own));
        assertEquals(KeyRateLimits.ALLOWED, limits.tryTake(own, 5), "another key has its own bucket");
        assertTrue(limits.tryTake(own, 1) > 0);
        assertEquals(KeyRateLimits.ALLOWED, KeyRateLimits.transfers(0, 0).tryTake(byDefault, 60_000),
            "no rate: no limit");

        // The same key id changed in the keys file (a new object, a higher burst): a bucket of its own new limits.
        final ApiKey raised = new ApiKey(own.id(), own.roles(), own.accounts(), own.salt(), own.iterations(),
            own.storedKey(), own.serverKey(), 1, 50);
        assertEquals(KeyRateLimits.ALLOWED, limits.tryTake(raised, 50));
        assertTrue(limits.tryTake(raised, 1) > 0);
    }

    @Test
    void reloadedKeysKeepUnchangedKeysCurrentAndRetireTheOthers()
    {
        final ApiKey kept = key("kept", Role.READ).key();
        final ApiKey changed = key("changed", Role.TRANSFER).key();
        final ApiKey revoked = key("revoked", Role.TRANSFER).key();
        final GatewaySecurity security = GatewaySecurity.required(
            Map.of("kept", kept, "changed", changed, "revoked", revoked), KeyRateLimits.transfers(0, 0), 0);
        final ApiKey keptAgain = new ApiKey(kept.id(), kept.roles(), kept.accounts(), kept.salt().clone(),
            kept.iterations(), kept.storedKey().clone(), kept.serverKey().clone(), 0, 0);
        final ApiKey downgraded = new ApiKey(changed.id(), EnumSet.of(Role.READ), changed.accounts(), changed.salt(),
            changed.iterations(), changed.storedKey(), changed.serverKey(), 0, 0);

        security.replaceKeys(Map.of("kept", keptAgain, "changed", downgraded));

        assertTrue(security.isCurrent(kept), "an unchanged entry keeps its key object");
        assertSame(kept, security.key("kept"));
        assertTrue(!security.isCurrent(changed) && security.isCurrent(downgraded));
        assertTrue(!security.isCurrent(revoked) && security.key("revoked") == null);
        assertEquals(2, security.keyCount());
        assertTrue(GatewaySecurity.development().isCurrent(revoked), "development mode checks nothing");
    }

    @Test
    void bearerCredentialsVerifyOnlyWithTheRightSecretAndOnlyThoseAreRemembered() throws Exception
    {
        final KeysFile.NewKey ops = key("ops", Role.ADMIN);
        final GatewaySecurity security = GatewaySecurity.required(Map.of("ops", ops.key()),
            KeyRateLimits.transfers(0, 0), 0);
        try (BearerAuthenticator bearer = new BearerAuthenticator(security))
        {
            final BearerAuthenticator.Credentials right = BearerAuthenticator.parse("Bearer ops:" + ops.secret());
            final BearerAuthenticator.Credentials wrong = BearerAuthenticator.parse("bearer ops:" + ops.secret() + "x");
            assertNull(bearer.verify(wrong, null).get(10, TimeUnit.SECONDS));
            assertNull(bearer.cached(wrong), "a failure is never remembered");
            assertSame(ops.key(), bearer.verify(right, null).get(10, TimeUnit.SECONDS));
            assertSame(ops.key(), bearer.cached(right));
            assertNull(bearer.cached(wrong), "a wrong secret never matches what was remembered");
            assertNull(bearer.verify(BearerAuthenticator.parse("Bearer nobody:" + ops.secret()), null)
                .get(10, TimeUnit.SECONDS));
        }
        assertNull(BearerAuthenticator.parse("Basic b3BzOng="));
        assertNull(BearerAuthenticator.parse("Bearer ops"));
        assertNull(BearerAuthenticator.parse("Bearer :secret"));
        assertNull(BearerAuthenticator.parse(null));
    }

    @Test
    void anUnknownKeyGetsADecoyChallengeThatStaysTheSameAndNeverVerifies()
    {
        final KeysFile.NewKey ops = key("ops", Role.ADMIN);
        final GatewaySecurity security = GatewaySecurity.required(Map.of("ops", ops.key()),
            KeyRateLimits.transfers(0, 0), 0);
        final GatewaySecurity.Challenge decoy = security.challenge("nobody");
        assertNull(decoy.key());
        assertArrayEquals(decoy.salt(), security.challenge("nobody").salt(), "like a real key's salt, it stays");
        assertFalse(java.util.Arrays.equals(decoy.salt(), security.challenge("nobody2").salt()));
        assertEquals(ops.key().iterations(), decoy.iterations());
    }

    @Test
    void connectionsPerKeyAreCountedUpToTheLimit()
    {
        final ApiKey ops = key("ops", Role.ADMIN).key();
        final GatewaySecurity security = GatewaySecurity.required(Map.of("ops", ops), KeyRateLimits.transfers(0, 0), 2);
        assertTrue(security.connectionOpened(ops));
        assertTrue(security.connectionOpened(ops));
        assertFalse(security.connectionOpened(ops));
        security.connectionClosed(ops);
        assertTrue(security.connectionOpened(ops));
    }

    @Test
    void theAuditLogCountsFailuresInBoundedMemoryAndStartsAgainEachMinute()
    {
        final AtomicLong now = new AtomicLong();
        final AuditLog audit = new AuditLog(now::get);
        for (int i = 0; i < AuditLog.FAILURE_SOURCES_MAX + 500; i++)
        {
            audit.authenticationFailed("key" + i, "10.0.0.1", "binary");
            audit.authenticationFailed("key" + i, "10.0.0.1", "binary");
        }
        assertEquals(AuditLog.FAILURE_SOURCES_MAX + 1, audit.sourcesTracked(), "the rest counted together");
        now.addAndGet(TimeUnit.SECONDS.toNanos(61));
        audit.rollWindow();
        assertEquals(0, audit.sourcesTracked());
    }

    @Test
    void requestsTheGateRefusesAreAuditedInTheSameBoundedCount() throws Exception
    {
        final KeysFile.NewKey restricted = KeysFile.create("shop", java.util.EnumSet.of(io.walletledger.protocol.Role
            .TRANSFER), new long[] {7}, io.walletledger.protocol.ScramSha256.ITERATIONS_MIN, 0, 0);
        final GatewaySecurity security = GatewaySecurity.required(java.util.Map.of("shop", restricted.key()),
            KeyRateLimits.transfers(0, 0), 0);
        final io.walletledger.gateway.RequestGate gate = new io.walletledger.gateway.RequestGate(
            io.walletledger.gateway.GatewayContext.of((request, offset, length, handler) ->
                io.walletledger.protocol.Submission.ACCEPTED, security), 16, "binary");
        final org.agrona.concurrent.UnsafeBuffer fees = new org.agrona.concurrent.UnsafeBuffer(new byte[128]);
        final io.walletledger.protocol.sbe.SetFeesEncoder encoder = new io.walletledger.protocol.sbe.SetFeesEncoder()
            .wrapAndApplyHeader(fees, 0, new io.walletledger.protocol.sbe.MessageHeaderEncoder()).correlationId(1);
        encoder.feesCount(1).next().transferCode(1).currency(840).fixedAmount(1).basisPoints(0).minimum(0).maximum(0)
            .feeAccountId(7);
        final int length = io.walletledger.protocol.sbe.MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();

        assertEquals(io.walletledger.protocol.sbe.ErrorCode.FORBIDDEN, gate.admit(restricted.key(), fees, 0, length,
            "10.0.0.9"), "a restricted key may not change ledger-wide settings");
        assertEquals(1, security.audit().sourcesTracked(), "the refusal is audited");
        for (int i = 0; i < 10; i++)
        {
            gate.admit(restricted.key(), fees, 0, length, "10.0.0.9");
        }
        assertEquals(1, security.audit().sourcesTracked(), "a flood of refusals from one source is one count");
        gate.admit(restricted.key(), fees, 0, length, "10.0.0.10");
        assertEquals(2, security.audit().sourcesTracked());
    }

    @Test
    void anAdminRequestIsAuditedOnceAnsweredWithItsParametersAndOutcome() throws Exception
    {
        final KeysFile.NewKey ops = KeysFile.create("ops", java.util.EnumSet.of(io.walletledger.protocol.Role.ADMIN),
            new long[0], io.walletledger.protocol.ScramSha256.ITERATIONS_MIN, 0, 0);
        final List<String> lines = new java.util.ArrayList<>();
        final GatewaySecurity security = GatewaySecurity.required(java.util.Map.of("ops", ops.key()),
            new AuditLog(System::nanoTime, lines::add));
        // A ledger that answers at once: the command at index 0 failed with ACCOUNT_NOT_FOUND.
        final org.agrona.concurrent.UnsafeBuffer reply = new org.agrona.concurrent.UnsafeBuffer(new byte[64]);
        final io.walletledger.protocol.sbe.CommandResultsResponseEncoder results =
            new io.walletledger.protocol.sbe.CommandResultsResponseEncoder().wrapAndApplyHeader(reply, 0,
                new io.walletledger.protocol.sbe.MessageHeaderEncoder()).correlationId(5);
        results.resultsCount(1).next().index(0).result(io.walletledger.protocol.sbe.ResultCode.ACCOUNT_NOT_FOUND);
        final int replyLength = io.walletledger.protocol.sbe.MessageHeaderEncoder.ENCODED_LENGTH +
            results.encodedLength();
        final io.walletledger.gateway.RequestGate gate = new io.walletledger.gateway.RequestGate(
            io.walletledger.gateway.GatewayContext.of((request, offset, length, handler) ->
            {
                handler.onReply(reply, 0, replyLength);
                return io.walletledger.protocol.Submission.ACCEPTED;
            }, security), 16, "http");
        final org.agrona.concurrent.UnsafeBuffer freeze = new org.agrona.concurrent.UnsafeBuffer(new byte[64]);
        final io.walletledger.protocol.sbe.AccountCommandsEncoder encoder =
            new io.walletledger.protocol.sbe.AccountCommandsEncoder().wrapAndApplyHeader(freeze, 0,
                new io.walletledger.protocol.sbe.MessageHeaderEncoder()).correlationId(5);
        encoder.commandsCount(1).next().accountId(4242).action(io.walletledger.protocol.sbe.AccountAction.FREEZE)
            .freezeScope(io.walletledger.protocol.sbe.FreezeScope.ALL);
        final int length = io.walletledger.protocol.sbe.MessageHeaderEncoder.ENCODED_LENGTH + encoder.encodedLength();
        final List<String> answers = new java.util.ArrayList<>();

        assertEquals(io.walletledger.protocol.Submission.ACCEPTED, gate.submit(ops.key(), freeze, 0, length,
            (buffer, offset, answerLength) -> answers.add("answered"), "10.0.0.5"));

        assertEquals(List.of("answered"), answers, "the client gets its answer too");
        assertEquals(1, lines.size());
        final String line = lines.get(0);
        for (final String part : List.of("key=ops", "request=AccountCommands", "correlationId=5", "remote=10.0.0.5",
            "accountId=4242", "action=FREEZE", "freezeScope=ALL", "result=ACCOUNT_NOT_FOUND"))
        {
            assertTrue(line.contains(part), part + " in " + line);
        }
    }
}
