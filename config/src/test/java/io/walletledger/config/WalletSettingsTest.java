package io.walletledger.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Loading, layering, overriding and describing valid settings, from real files.
 */
class WalletSettingsTest
{
    @TempDir
    Path directory;

    @Test
    void loadsTheDocumentedDefaults()
    {
        assertDocumentedDefaults(WalletSettings.from(referenceWithEnvironment(Map.of())));
    }

    @Test
    void loadsTheDocumentedDefaultsFromTheClasspathWhenNothingIsSet()
    {
        assumeTrue(System.getenv().keySet().stream().noneMatch((name) -> name.startsWith("WALLET_")),
            "a WALLET_ environment variable is set");
        assumeTrue(System.getProperties().stringPropertyNames().stream()
            .noneMatch((name) -> name.startsWith("wallet.")), "a wallet. system property is set");

        assertDocumentedDefaults(WalletSettings.load());
    }

    @Test
    void aFileOverridesTheDefaultsAndLeavesTheRest() throws IOException
    {
        final Path file = write("wallet.conf", """
            wallet {
              data-dir = "/var/lib/wallet"
              server { port = 9090, host = "0.0.0.0" }
              journal.durability = none
              pipeline.wait-strategy = busy-spin
              snapshot.interval = 90 seconds
              gateway.write-buffer-high-water-mark = 8 MiB
              gateway.max-frame-bytes = 64 KiB
              hash-seed = -42
            }
            """);

        final WalletSettings settings = WalletSettings.load(file, ConfigFactory.empty());

        assertEquals(Path.of("/var/lib/wallet"), settings.dataDirectory());
        assertEquals(9090, settings.port());
        assertEquals("0.0.0.0", settings.host());
        assertEquals(JournalDurabilitySetting.NONE, settings.journalDurability());
        assertEquals(WaitStrategySetting.BUSY_SPIN, settings.waitStrategy());
        assertEquals(Duration.ofSeconds(90), settings.snapshotInterval());
        assertEquals(8 << 20, settings.writeBufferHighWaterMark());
        assertEquals(64 * 1024, settings.frameBytesMax());
        assertEquals(OptionalLong.of(-42), settings.hashSeed());
        assertEquals(8080, settings.httpPort());
        assertEquals(TornTailSetting.REFUSE, settings.tornTail());
        assertTrue(settings.journalWriteBehind(), "the default");
        assertEquals(1 << 20, settings.writeBufferLowWaterMark());
    }

    @Test
    void systemPropertiesOverrideTheFile() throws IOException
    {
        final Path file = write("wallet.conf", "wallet.server.port = 9090\nwallet.snapshot.retain = 5\n");
        final Config systemProperties = ConfigFactory.parseMap(
            Map.of("wallet.server.port", "9191", "wallet.journal.torn-tail", "truncate",
                "wallet.journal.write-behind", "false"), "system properties");

        final WalletSettings settings = WalletSettings.load(file, systemProperties);

        assertEquals(9191, settings.port());
        assertEquals(TornTailSetting.TRUNCATE, settings.tornTail());
        assertFalse(settings.journalWriteBehind());
        assertEquals(5, settings.snapshotRetain());
    }

    @Test
    void aPropertiesFileLoadsLikeAHoconOne() throws IOException
    {
        final Path file = write("wallet.properties", "wallet.server.port=9090\nwallet.snapshot.interval=1 minute\n");

        final WalletSettings settings = WalletSettings.load(file, ConfigFactory.empty());

        assertEquals(9090, settings.port());
        assertEquals(Duration.ofMinutes(1), settings.snapshotInterval());
    }

    @Test
    void environmentVariablesReplaceTheDefaults()
    {
        final WalletSettings settings = WalletSettings.from(referenceWithEnvironment(Map.of(
            "WALLET_DATA_DIR", "/srv/wallet",
            "WALLET_HOST", "0.0.0.0",
            "WALLET_PORT", "7171",
            "WALLET_HTTP_PORT", "8181",
            "WALLET_JOURNAL_DURABILITY", "none")));

        assertEquals(Path.of("/srv/wallet"), settings.dataDirectory());
        assertEquals("0.0.0.0", settings.host());
        assertEquals(7171, settings.port());
        assertEquals(8181, settings.httpPort());
        assertEquals(JournalDurabilitySetting.NONE, settings.journalDurability());
    }

    @Test
    void overridesWinOverSystemPropertiesAndLeaveTheOriginalUnchanged() throws IOException
    {
        final Path file = write("wallet.conf", "wallet.server.port = 9090\n");
        final WalletSettings loaded = WalletSettings.load(
            file, ConfigFactory.parseMap(Map.of("wallet.server.port", "9191"), "system properties"));

        final WalletSettings overridden = loaded.withOverrides(Map.of(
            SettingPaths.PORT, 0,
            SettingPaths.DATA_DIR, Path.of("/tmp/wallet-data"),
            SettingPaths.JOURNAL_DURABILITY, JournalDurabilitySetting.NONE,
            SettingPaths.WAIT_STRATEGY, WaitStrategySetting.BUSY_SPIN,
            SettingPaths.SNAPSHOT_INTERVAL, Duration.ofSeconds(30),
            SettingPaths.HASH_SEED, 7L));

        assertEquals(0, overridden.port());
        assertEquals(Path.of("/tmp/wallet-data"), overridden.dataDirectory());
        assertEquals(JournalDurabilitySetting.NONE, overridden.journalDurability());
        assertEquals(WaitStrategySetting.BUSY_SPIN, overridden.waitStrategy());
        assertEquals(Duration.ofSeconds(30), overridden.snapshotInterval());
        assertEquals(OptionalLong.of(7), overridden.hashSeed());
        assertEquals(8080, overridden.httpPort());
        assertEquals(9191, loaded.port());
        assertEquals(JournalDurabilitySetting.BATCH, loaded.journalDurability());
    }

    @Test
    void parsesExtraCurrenciesInOrder() throws IOException
    {
        final Path file = write("wallet.conf", """
            wallet.ledger.currencies = [
              { code = "BTC", numeric = 1001, exponent = 8 }
              { code = "ETH", numeric = 1002, exponent = 18 }
              { code = "PTS", numeric = 65534, exponent = 0 }
            ]
            """);

        final WalletSettings settings = WalletSettings.load(file, ConfigFactory.empty());

        assertEquals(List.of(
            new CurrencySetting("BTC", 1001, 8),
            new CurrencySetting("ETH", 1002, 18),
            new CurrencySetting("PTS", 65534, 0)), settings.extraCurrencies());
    }

    @Test
    void acceptsChoicesInAnyCaseAndNumbersWrittenAsStrings() throws IOException
    {
        final Path file = write("wallet.conf", """
            wallet.journal.durability = "NONE"
            wallet.pipeline.wait-strategy = "Busy-Spin"
            wallet.server.port = "7071"
            wallet.hash-seed = "123"
            wallet.gateway.idle-timeout = 250
            """);

        final WalletSettings settings = WalletSettings.load(file, ConfigFactory.empty());

        assertEquals(JournalDurabilitySetting.NONE, settings.journalDurability());
        assertEquals(WaitStrategySetting.BUSY_SPIN, settings.waitStrategy());
        assertEquals(7071, settings.port());
        assertEquals(OptionalLong.of(123), settings.hashSeed());
        assertEquals(Duration.ofMillis(250), settings.idleTimeout());
    }

    @Test
    void securitySettingsAreReadFromAFileAndDescribed() throws IOException
    {
        final Path file = write("wallet.conf", "wallet.security { mode = development, keys-file = \"/etc/wallet/k.json\"," +
            " default-transfers-per-second = 500, default-burst = 50, max-connections-per-key = 4 }\n");

        final WalletSettings settings = WalletSettings.load(file);

        assertEquals(SecurityModeSetting.DEVELOPMENT, settings.securityMode());
        assertEquals(Path.of("/etc/wallet/k.json"), settings.keysFile());
        assertEquals(500, settings.defaultTransfersPerSecond());
        assertEquals(50, settings.defaultBurst());
        assertEquals(4, settings.connectionsPerKeyMax());
        assertTrue(settings.describe().contains("wallet.security.mode = \"development\"\n"), settings.describe());
        assertTrue(settings.describe().contains("wallet.security.keys-file = \"/etc/wallet/k.json\"\n"));
    }

    @Test
    void theKafkaPublisherIsReadWithItsPropertiesAndDescribedWithoutTheirValues() throws IOException
    {
        final Path file = write("wallet.conf", """
            wallet.events.kafka {
              enabled = true
              bootstrap-servers = "k1:9092,k2:9092"
              properties {
                "security.protocol" = "SASL_SSL"
                sasl { mechanism = "SCRAM-SHA-512", jaas.config = "secret-here" }
                "linger.ms" = 10
              }
            }
            """);

        final WalletSettings settings = WalletSettings.load(file, ConfigFactory.empty());

        assertEquals(Optional.of(new KafkaEventsSetting("k1:9092,k2:9092", "wallet-events", Map.of(
            "security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512", "sasl.jaas.config", "secret-here",
            "linger.ms", "10"))), settings.kafkaEvents());
        assertTrue(settings.describe().contains("\"sasl.jaas.config\" = (set)"), settings.describe());
        assertFalse(settings.describe().contains("secret-here"), "a property's value may be a secret");
        assertEquals(Optional.empty(), WalletSettings.load().kafkaEvents(), "off by default");
    }

    @Test
    void theKeysFileDefaultsToOneInTheDataDirectory()
    {
        final WalletSettings settings = WalletSettings.load().withOverrides(Map.of("wallet.data-dir", "/srv/w"));

        assertEquals(Path.of("/srv/w", "keys.json"), settings.keysFile());
    }

    @Test
    void tlsEnabledNamesBothFilesAsGiven() throws IOException
    {
        final Path certificate = write("chain.pem", "not parsed here");
        final Path key = write("key.pem", "not parsed here");
        final Path file = write("wallet.conf", "wallet.server.tls { enabled = true, certificate = " +
            SettingsFormat.quote(certificate.toString()) + ", private-key = " + SettingsFormat.quote(key.toString()) +
            " }\n");

        final WalletSettings settings = WalletSettings.load(file, ConfigFactory.empty());

        assertEquals(Optional.of(new TlsSetting(certificate, key)), settings.tls());
        assertTrue(settings.describe().contains("wallet.server.tls.enabled = true\n"), settings.describe());
    }

    @Test
    void tlsDisabledIgnoresTheFilesEvenIfTheyAreMissing() throws IOException
    {
        final Path file = write("wallet.conf",
            "wallet.server.tls { enabled = \"false\", certificate = \"/nowhere/chain.pem\", private-key = \"\" }\n");

        final WalletSettings settings = WalletSettings.load(file, ConfigFactory.empty());

        assertEquals(Optional.empty(), settings.tls());
        assertTrue(settings.describe().contains("wallet.server.tls.certificate = \"/nowhere/chain.pem\"\n"),
            settings.describe());
    }

    @Test
    void tlsCanBeEnabledByOverridesWithStringsAndPaths() throws IOException
    {
        final Path certificate = write("chain.pem", "-");
        final Path key = write("key.pem", "-");

        final WalletSettings settings = WalletSettings.from(referenceWithEnvironment(Map.of())).withOverrides(Map.of(
            SettingPaths.TLS_ENABLED, "true",
            SettingPaths.TLS_CERTIFICATE, certificate,
            SettingPaths.TLS_PRIVATE_KEY, key.toString()));

        assertEquals(Optional.of(new TlsSetting(certificate, key)), settings.tls());
    }

    @Test
    void describeListsEverySettingOnceInTheDocumentedOrder()
    {
        final String description = WalletSettings.from(referenceWithEnvironment(Map.of())).describe();

        final List<String> paths = new ArrayList<>();
        for (final String line : description.split("\n"))
        {
            paths.add(line.substring(0, line.indexOf(" = ")));
        }
        assertEquals(SettingPaths.ALL, paths);
        assertTrue(description.contains("wallet.snapshot.interval = 5 minutes\n"), description);
        assertTrue(description.contains("wallet.gateway.write-buffer-low-water-mark = 1 MiB\n"), description);
        assertTrue(description.contains("wallet.hash-seed = \"random\"\n"), description);
    }

    @Test
    void describeLoadsBackToTheSameSettings() throws IOException
    {
        final Path file = write("wallet.conf", """
            wallet {
              data-dir = "data dir/with \\"quotes\\""
              server.port = 0
              journal { durability = none, torn-tail = truncate }
              pipeline { ring-size = 65536, realtime-priority = 99 }
              snapshot { every-commands = 0, interval = 1500 ms, retain = 10 }
              ledger.currencies = [ { code = "BTC", numeric = 1001, exponent = 8 } ]
              gateway { max-frame-bytes = 1025, idle-timeout = 2 hours, write-buffer-low-water-mark = 3 }
              hash-seed = 9223372036854775807
            }
            """);
        final WalletSettings settings = WalletSettings.load(file, ConfigFactory.empty());

        final Config described = ConfigFactory.parseString(settings.describe());
        final WalletSettings reloaded = WalletSettings.from(described.withFallback(referenceWithEnvironment(Map.of())));

        assertEquals(settings.describe(), reloaded.describe());
        assertEquals(Path.of("data dir/with \"quotes\""), reloaded.dataDirectory());
        assertEquals(Duration.ofMillis(1500), reloaded.snapshotInterval());
        assertEquals(1025, reloaded.frameBytesMax());
        assertEquals(99, reloaded.realtimePriority());
        assertEquals(OptionalLong.of(Long.MAX_VALUE), reloaded.hashSeed());
        assertNotEquals(WalletSettings.from(referenceWithEnvironment(Map.of())).describe(), settings.describe());
    }

    /**
     * {@code reference.conf} resolved with {@code environment} standing in for the process's environment, so the
     * test neither depends on nor changes the real one. A substitution looks in the configuration itself before the
     * environment, so variables at its root stand in for environment variables.
     */
    static Config referenceWithEnvironment(final Map<String, String> environment)
    {
        return ConfigFactory.parseMap(environment, "env variables")
            .withFallback(ConfigFactory.parseResources(WalletSettings.class.getClassLoader(), "reference.conf"))
            .resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(false))
            .withOnlyPath("wallet");
    }

    private Path write(final String name, final String content) throws IOException
    {
        return Files.writeString(directory.resolve(name), content);
    }

    private static void assertDocumentedDefaults(final WalletSettings settings)
    {
        assertEquals(Path.of("data"), settings.dataDirectory());
        assertEquals("127.0.0.1", settings.host());
        assertEquals(7070, settings.port());
        assertEquals(8080, settings.httpPort());
        assertEquals(Optional.empty(), settings.tls());
        assertEquals(SecurityModeSetting.REQUIRED, settings.securityMode());
        assertEquals(Path.of("data", "keys.json"), settings.keysFile());
        assertEquals(0, settings.defaultTransfersPerSecond());
        assertEquals(0, settings.defaultBurst());
        assertEquals(64, settings.connectionsPerKeyMax());
        assertEquals(JournalDurabilitySetting.BATCH, settings.journalDurability());
        assertEquals(TornTailSetting.REFUSE, settings.tornTail());
        assertEquals(1024, settings.ringSize());
        assertEquals(WaitStrategySetting.BLOCKING, settings.waitStrategy());
        assertEquals(0, settings.realtimePriority());
        assertEquals(50_000, settings.snapshotEveryCommands());
        assertEquals(Duration.ofMinutes(5), settings.snapshotInterval());
        assertEquals(3, settings.snapshotRetain());
        assertEquals(1_048_576, settings.accountsMax());
        assertEquals(1_048_576, settings.idempotencyWindow());
        assertEquals(262_144, settings.pendingTransfersMax());
        assertEquals(8190, settings.batchEventsMax());
        assertEquals(List.of(), settings.extraCurrencies());
        assertEquals(0, settings.frameBytesMax());
        assertEquals(64, settings.inFlightPerConnectionMax());
        assertEquals(1 << 20, settings.writeBufferLowWaterMark());
        assertEquals(4 << 20, settings.writeBufferHighWaterMark());
        assertEquals(Duration.ofSeconds(30), settings.slowConsumerTimeout());
        assertEquals(Duration.ofMinutes(5), settings.idleTimeout());
        assertEquals(1024, settings.connectionsMax());
        assertEquals(256, settings.connectionsPerAddressMax());
        assertEquals(1 << 20, settings.httpBodyBytesMax());
        assertEquals(Duration.ofSeconds(10), settings.httpRequestTimeout());
        assertEquals(Duration.ofSeconds(30), settings.httpRequestReadTimeout());
        assertEquals(OptionalLong.empty(), settings.hashSeed());
        assertEquals(65_536, settings.limitedAccountsMax());
        assertEquals(16, settings.velocityDebitsMax());
        assertEquals(0, settings.dayStartSeconds());
        assertEquals(List.of(), settings.fees());
        assertEquals(Map.of(), settings.reviewThresholds());
        assertEquals(List.of(), settings.codeLimits());
    }

    @Test
    void parsesThePolicies() throws IOException
    {
        final Path file = write("wallet.conf", """
            wallet.ledger.velocity-debits-max = 8
            wallet.policies {
              day-start = "17:30"
              fees = [
                { transfer-code = 1, currency = "USD", fixed-amount = 25, basis-points = 30, minimum = 0,
                  maximum = 500, fee-account = 3 }
                { transfer-code = 1, currency = "EUR", fixed-amount = 0, basis-points = 10000, minimum = 5,
                  maximum = 0, fee-account = 4 }
              ]
              review-thresholds = [ { currency = "USD", threshold = 1000000 }, { currency = "BTC", threshold = 7 } ]
              code-limits = [ { code = 2, transfer-amount-limit = 100, daily-debit-limit = 1000,
                                velocity-debit-limit = 8, velocity-window = 1 minute } ]
            }
            """);

        final WalletSettings settings = WalletSettings.load(file, ConfigFactory.empty());

        assertEquals(17 * 3600 + 30 * 60, settings.dayStartSeconds());
        assertEquals(List.of(new FeeSetting(1, "USD", 25, 30, 0, 500, 3), new FeeSetting(1, "EUR", 0, 10_000, 5, 0, 4)),
            settings.fees());
        assertEquals(List.of("BTC", "USD"), List.copyOf(settings.reviewThresholds().keySet()));
        assertEquals(1_000_000L, settings.reviewThresholds().get("USD"));
        assertEquals(List.of(new CodeLimitsSetting(2, 100, 1000, 8, Duration.ofMinutes(1))), settings.codeLimits());

        final WalletSettings reloaded = WalletSettings.from(
            ConfigFactory.parseString(settings.describe()).withFallback(referenceWithEnvironment(Map.of())));
        assertEquals(settings.describe(), reloaded.describe());
        assertEquals(settings.fees(), reloaded.fees());
        assertEquals(settings.codeLimits(), reloaded.codeLimits());
        assertEquals(settings.reviewThresholds(), reloaded.reviewThresholds());
        assertEquals(settings.dayStartSeconds(), reloaded.dayStartSeconds());
    }
}
