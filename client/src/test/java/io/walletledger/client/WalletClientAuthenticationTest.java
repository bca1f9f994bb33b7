package io.walletledger.client;

import io.walletledger.gateway.security.ApiKey;
import io.walletledger.gateway.security.GatewaySecurity;
import io.walletledger.gateway.security.KeysFile;
import io.walletledger.protocol.Role;
import io.walletledger.gateway.security.KeyRateLimits;
import io.walletledger.protocol.ScramSha256;
import io.walletledger.protocol.sbe.ErrorCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.walletledger.client.LoopbackLedger.USD;
import static io.walletledger.protocol.sbe.ResultCode.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client's authentication exchange against a real gateway that requires keys: good credentials work and
 * survive a reconnect, bad ones fail {@code connect} saying so, and a role the key lacks is a {@code FORBIDDEN}.
 */
class WalletClientAuthenticationTest
{
    @TempDir
    Path directory;

    private final TransferIds ids = new TransferIds();
    private final KeysFile.NewKey admin = KeysFile.create("admin", EnumSet.of(Role.ADMIN), new long[0],
        ScramSha256.ITERATIONS_MIN, 0, 0);
    private final KeysFile.NewKey reader = KeysFile.create("reader", EnumSet.of(Role.READ), new long[0],
        ScramSha256.ITERATIONS_MIN, 0, 0);

    private LoopbackLedger start()
    {
        final Map<String, ApiKey> keys = Map.of("admin", admin.key(), "reader", reader.key());
        return LoopbackLedger.start(directory.resolve("data"), WalletClientOptions.BATCH_EVENTS_MAX_DEFAULT, 0, null,
            GatewaySecurity.required(keys, KeyRateLimits.transfers(0, 0), 0));
    }

    @Test
    void goodCredentialsAuthenticateOnEveryConnection() throws Exception
    {
        try (LoopbackLedger ledger = start();
             WalletClient client = WalletClient.connect(WalletClientOptions.builder("127.0.0.1", ledger.port())
                 .credentials("admin", admin.secret())
                 .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200)).build()))
        {
            assertEquals(List.of(OK, OK), client.createAccountsSync(
                List.of(Account.unrestricted(1, USD), Account.wallet(2, USD))));
            assertEquals(OK, client.createTransferSync(Transfer.of(ids.next(), 1, 2, 25, USD)));

            ledger.stopGateway();
            ledger.restartGateway();
            assertEquals(OK, client.createTransfer(Transfer.of(ids.next(), 1, 2, 15, USD)).get(10, TimeUnit.SECONDS));
            assertEquals(40, client.lookupAccountsSync(2).get(0).balance());
            assertEquals(2, client.connectionsEstablished());
        }
    }

    @Test
    void aWrongSecretFailsConnectWithAClearException()
    {
        try (LoopbackLedger ledger = start())
        {
            final WalletAuthenticationException ex = assertThrows(WalletAuthenticationException.class,
                () -> WalletClient.connect(WalletClientOptions.builder("127.0.0.1", ledger.port())
                    .credentials("admin", reader.secret()).build()));
            assertTrue(ex.getMessage().contains("the server refused key admin: the key id or the secret is wrong"),
                ex.getMessage());
            assertThrows(WalletAuthenticationException.class,
                () -> WalletClient.connect(WalletClientOptions.builder("127.0.0.1", ledger.port())
                    .credentials("nobody", admin.secret()).build()));
        }
    }

    @Test
    void noCredentialsAgainstAServerThatRequiresThemFailTheFirstRequest() throws Exception
    {
        try (LoopbackLedger ledger = start();
             WalletClient client = WalletClient.connect(WalletClientOptions.builder("127.0.0.1", ledger.port())
                 .reconnect(false).build()))
        {
            final ExecutionException ex = assertThrows(ExecutionException.class,
                () -> client.lookupAccounts(1).get(10, TimeUnit.SECONDS));
            assertInstanceOf(WalletException.class, ex.getCause());
            assertEquals(ErrorCode.UNAUTHENTICATED, ((WalletException)ex.getCause()).code());
        }
    }

    @Test
    void aRoleTheKeyLacksIsForbiddenAndTheConnectionGoesOn() throws Exception
    {
        try (LoopbackLedger ledger = start();
             WalletClient client = WalletClient.connect(WalletClientOptions.builder("127.0.0.1", ledger.port())
                 .credentials(new WalletClientCredentials("reader", reader.secret())).build()))
        {
            final ExecutionException ex = assertThrows(ExecutionException.class,
                () -> client.createAccounts(List.of(Account.wallet(3, USD))).get(10, TimeUnit.SECONDS));
            assertEquals(ErrorCode.FORBIDDEN, ((WalletException)ex.getCause()).code());
            assertTrue(client.lookupAccountsSync(3).isEmpty(), "nothing was applied");
            assertEquals(1, client.connectionsEstablished());
        }
    }

    @Test
    void credentialsAgainstADevelopmentServerFailConnectSayingSo()
    {
        try (LoopbackLedger ledger = LoopbackLedger.start(directory.resolve("dev")))
        {
            final WalletAuthenticationException ex = assertThrows(WalletAuthenticationException.class,
                () -> WalletClient.connect(WalletClientOptions.builder("127.0.0.1", ledger.port())
                    .credentials("admin", admin.secret()).build()));
            assertTrue(ex.getMessage().contains("development"), ex.getMessage());
        }
    }

    @Test
    void credentialsNeverShowTheSecret()
    {
        final WalletClientOptions options = WalletClientOptions.builder("127.0.0.1", 7070)
            .credentials("admin", admin.secret()).build();
        assertFalse(options.toString().contains(admin.secret()), options.toString());
        assertThrows(IllegalArgumentException.class, () -> new WalletClientCredentials("with space", "s"));
    }
}
