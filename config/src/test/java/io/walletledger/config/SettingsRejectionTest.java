package io.walletledger.config;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Every kind of unusable setting stops loading with a {@link SettingsException} that names the setting, the value
 * given and what is allowed.
 */
class SettingsRejectionTest
{
    @TempDir
    Path directory;

    static Stream<Arguments> invalidSettings()
    {
        return Stream.of(
            arguments("wallet.server.port = abc",
                "wallet.server.port = \"abc\" is not allowed: use an integer in 0..65535"),
            arguments("wallet.server.port = 70000",
                "wallet.server.port = 70000 is not allowed: use an integer in 0..65535"),
            arguments("wallet.server.port = 7070.5",
                "wallet.server.port = 7070.5 is not allowed: use an integer in 0..65535"),
            arguments("wallet.server.http-port = -1",
                "wallet.server.http-port = -1 is not allowed: use an integer in 0..65535"),
            arguments("wallet.server.http-port = 7070",
                "wallet.server.http-port = 7070 is not allowed: use a port other than wallet.server.port's"),
            arguments("wallet.server.host = \"  \"",
                "wallet.server.host = \"  \" is not allowed: use a non-empty string such as \"127.0.0.1\""),
            arguments("wallet.data-dir { x = 1 }",
                "wallet.data-dir = {\"x\":1} is not allowed: use a non-empty string such as \"data\""),
            arguments("wallet.journal.durability = sometimes",
                "wallet.journal.durability = \"sometimes\" is not allowed: use none or batch"),
            arguments("wallet.journal.torn-tail = ignore",
                "wallet.journal.torn-tail = \"ignore\" is not allowed: use refuse or truncate"),
            arguments("wallet.journal.write-behind = sometimes",
                "wallet.journal.write-behind = \"sometimes\" is not allowed: use true or false"),
            arguments("wallet.pipeline.wait-strategy = spin",
                "wallet.pipeline.wait-strategy = \"spin\" is not allowed: " +
                "use blocking, sleeping, yielding or busy-spin"),
            arguments("wallet.pipeline.realtime-priority = 100",
                "wallet.pipeline.realtime-priority = 100 is not allowed: use an integer in 0..99"),
            arguments("wallet.pipeline { realtime-priority = 10, wait-strategy = yielding }",
                "wallet.pipeline.realtime-priority = 10 is not allowed: use 0 while wallet.pipeline.wait-strategy " +
                    "is \"yielding\": a real-time priority needs the blocking wait strategy"),
            arguments("wallet.pipeline.ring-size = 1000",
                "wallet.pipeline.ring-size = 1000 is not allowed: use a power of two in 2..65536"),
            arguments("wallet.pipeline.ring-size = 131072",
                "wallet.pipeline.ring-size = 131072 is not allowed: use a power of two in 2..65536"),
            arguments("wallet.pipeline.ring-size = 1",
                "wallet.pipeline.ring-size = 1 is not allowed: use a power of two in 2..65536"),
            arguments("wallet.snapshot.every-commands = -1",
                "wallet.snapshot.every-commands = -1 is not allowed: use an integer in 0..9223372036854775807"),
            arguments("wallet.snapshot.interval = -1 second",
                "wallet.snapshot.interval = \"-1 second\" is not allowed: use a duration of 0 or more"),
            arguments("wallet.snapshot.interval = soon",
                "wallet.snapshot.interval = \"soon\" is not allowed: use a duration of 0 or more, such as 5 minutes"),
            arguments("wallet.snapshot.interval = 200000 days",
                "wallet.snapshot.interval = \"200000 days\" is not allowed: use a duration of 0 or more"),
            arguments("wallet.snapshot.retain = 0",
                "wallet.snapshot.retain = 0 is not allowed: use an integer in 1..2147483647"),
            arguments("wallet.ledger.accounts-max = 0",
                "wallet.ledger.accounts-max = 0 is not allowed: use an integer in 1..2147483647"),
            arguments("wallet.ledger.idempotency-window = 3000000000",
                "wallet.ledger.idempotency-window = 3000000000 is not allowed: use an integer in 1..2147483647"),
            arguments("wallet.ledger.pending-transfers-max = 0",
                "wallet.ledger.pending-transfers-max = 0 is not allowed: use an integer in 1..2147483647"),
            arguments("wallet.ledger.batch-events-max = 65536",
                "wallet.ledger.batch-events-max = 65536 is not allowed: use an integer in 1..65535"),
            arguments("wallet.gateway.max-frame-bytes = 512",
                "wallet.gateway.max-frame-bytes = 512 is not allowed: " +
                "use 0 (derived from wallet.ledger.batch-events-max) or a size of 1024..2147483647 bytes"),
            arguments("wallet.gateway.max-frame-bytes = 4 GiB",
                "wallet.gateway.max-frame-bytes = \"4 GiB\" is not allowed: " +
                "use 0 (derived from wallet.ledger.batch-events-max) or a size of 1024..2147483647 bytes"),
            arguments("wallet.gateway.max-in-flight-per-connection = 0",
                "wallet.gateway.max-in-flight-per-connection = 0 is not allowed: use an integer in 1..2147483647"),
            arguments("wallet.gateway.write-buffer-low-water-mark = 4 MiB",
                "wallet.gateway.write-buffer-high-water-mark = \"4 MiB\" is not allowed: " +
                "use a size greater than wallet.gateway.write-buffer-low-water-mark (4 MiB)"),
            arguments("wallet.gateway.write-buffer-high-water-mark = 512 KiB",
                "wallet.gateway.write-buffer-high-water-mark = \"512 KiB\" is not allowed: " +
                "use a size greater than wallet.gateway.write-buffer-low-water-mark (1 MiB)"),
            arguments("wallet.gateway.write-buffer-high-water-mark = lots",
                "wallet.gateway.write-buffer-high-water-mark = \"lots\" is not allowed: " +
                "use a size of 2..2147483647 bytes, such as 4 MiB"),
            arguments("wallet.gateway.write-buffer-low-water-mark = 0",
                "wallet.gateway.write-buffer-low-water-mark = 0 is not allowed: use a size of 1..2147483646 bytes"),
            arguments("wallet.gateway.slow-consumer-timeout = 0",
                "wallet.gateway.slow-consumer-timeout = 0 is not allowed: use a duration greater than 0"),
            arguments("wallet.gateway.idle-timeout = -5 seconds",
                "wallet.gateway.idle-timeout = \"-5 seconds\" is not allowed: use a duration of 0 or more"),
            arguments("wallet.gateway.max-connections = 0",
                "wallet.gateway.max-connections = 0 is not allowed: use an integer in 1..2147483647"),
            arguments("wallet.http.max-body-bytes = 100",
                "wallet.http.max-body-bytes = 100 is not allowed: use a size of 1024..2147483647 bytes"),
            arguments("wallet.http.request-timeout = 0 seconds",
                "wallet.http.request-timeout = \"0 seconds\" is not allowed: use a duration greater than 0"),
            arguments("wallet.hash-seed = often",
                "wallet.hash-seed = \"often\" is not allowed: " +
                "use random or a decimal integer in -9223372036854775808..9223372036854775807"),
            arguments("wallet.ledger.currencies = BTC",
                "wallet.ledger.currencies = \"BTC\" is not allowed: use a list of currencies such as " +
                "[ { code = \"BTC\", numeric = 1001, exponent = 8 } ]"),
            arguments("wallet.ledger.currencies = [ BTC ]",
                "wallet.ledger.currencies[0] = \"BTC\" is not allowed: use a currency such as " +
                "{ code = \"BTC\", numeric = 1001, exponent = 8 }"),
            arguments("wallet.ledger.currencies = [ { numeric = 1001, exponent = 8 } ]",
                "wallet.ledger.currencies[0].code is missing: use 3 to 10 upper-case letters or digits starting with a letter"),
            arguments("wallet.ledger.currencies = [ { code = btc, numeric = 1001, exponent = 8 } ]",
                "wallet.ledger.currencies[0].code = \"btc\" is not allowed: " +
                "use 3 to 10 upper-case letters or digits starting with a letter"),
            arguments("wallet.ledger.currencies = [ { code = ABCDEFGHIJK, numeric = 1001, exponent = 8 } ]",
                "wallet.ledger.currencies[0].code = \"ABCDEFGHIJK\" is not allowed: " +
                "use 3 to 10 upper-case letters or digits starting with a letter"),
            arguments("wallet.ledger.currencies = [ { code = BTC, numeric = 65535, exponent = 8 } ]",
                "wallet.ledger.currencies[0].numeric = 65535 is not allowed: use an integer in 1..65534"),
            arguments("wallet.ledger.currencies = [ { code = BTC, numeric = 1001, exponent = 19 } ]",
                "wallet.ledger.currencies[0].exponent = 19 is not allowed: use an integer in 0..18"),
            arguments("wallet.ledger.currencies = [ { code = BTC, numeric = 1001, exponent = 8, decimals = 8 } ]",
                "wallet.ledger.currencies[0].decimals is not a setting: a currency has code, numeric, exponent"),
            arguments("wallet.ledger.currencies = [ { code = BTC, numeric = 1001, exponent = 8 }, " +
                "{ code = BTC, numeric = 1002, exponent = 8 } ]",
                "wallet.ledger.currencies[1] = {\"code\":\"BTC\",\"exponent\":8,\"numeric\":1002} is not allowed: " +
                "code BTC is already defined by wallet.ledger.currencies[0]"),
            arguments("wallet.ledger.currencies = [ { code = BTC, numeric = 1001, exponent = 8 }, " +
                "{ code = ETH, numeric = 1001, exponent = 18 } ]",
                "is not allowed: numeric 1001 is already used by wallet.ledger.currencies[0]"),
            arguments("wallet.policies.day-start = \"24:00\"",
                "wallet.policies.day-start = \"24:00\" is not allowed: use a time of day \"HH:MM\""),
            arguments("wallet.policies.day-start = 3600",
                "wallet.policies.day-start = 3600 is not allowed: use a time of day \"HH:MM\""),
            arguments("wallet.policies.fees = [ { transfer-code = 1, currency = \"USD\", fixed-amount = 0, " +
                "basis-points = 10001, minimum = 0, maximum = 0, fee-account = 3 } ]",
                "wallet.policies.fees[0].basis-points = 10001 is not allowed: use an integer in 0..10000"),
            arguments("wallet.policies.fees = [ { transfer-code = 1, currency = \"USD\", fixed-amount = 0, " +
                "basis-points = 1, minimum = 9, maximum = 8, fee-account = 3 } ]",
                "wallet.policies.fees[0].maximum = 8 is not allowed: use 0 (no maximum) or at least the minimum, 9"),
            arguments("wallet.policies.fees = [ { transfer-code = 1, currency = \"usd\", fixed-amount = 0, " +
                "basis-points = 1, minimum = 0, maximum = 0, fee-account = 3 } ]",
                "wallet.policies.fees[0].currency = \"usd\" is not allowed: use 3 to 10 upper-case letters"),
            arguments("wallet.policies.fees = [ { transfer-code = 1, currency = \"USD\", fixed-amount = 0, " +
                "basis-points = 1, minimum = 0, maximum = 0, fee-account = 0 } ]",
                "wallet.policies.fees[0].fee-account = 0 is not allowed: use an integer in 1.."),
            arguments("wallet.policies.fees = [ { transfer-code = 1, currency = \"USD\", fixed-amount = 0, " +
                "basis-points = 1, minimum = 0, maximum = 0, fee-account = 3, rate = 2 } ]",
                "wallet.policies.fees[0].rate is not a setting: a fee has transfer-code, currency, fixed-amount, " +
                "basis-points, minimum, maximum, fee-account"),
            arguments("wallet.policies.fees = [ { transfer-code = 1, currency = \"USD\", fixed-amount = 0, " +
                "basis-points = 1, minimum = 0, maximum = 0, fee-account = 3 }, { transfer-code = 1, currency = " +
                "\"USD\", fixed-amount = 5, basis-points = 0, minimum = 0, maximum = 0, fee-account = 3 } ]",
                "is not allowed: transfer code 1 in USD already has a fee in wallet.policies.fees[0]"),
            arguments("wallet.policies.review-thresholds = [ { currency = \"USD\", threshold = 0 } ]",
                "wallet.policies.review-thresholds[0].threshold = 0 is not allowed: use an integer in 1.."),
            arguments("wallet.policies.review-thresholds = [ { currency = \"USD\", threshold = 5 }, " +
                "{ currency = \"USD\", threshold = 6 } ]",
                "is not allowed: USD already has a threshold in wallet.policies.review-thresholds[0]"),
            arguments("wallet.policies.code-limits = [ { code = 1, transfer-amount-limit = 0, daily-debit-limit = 0, " +
                "velocity-debit-limit = 17, velocity-window = 1 minute } ]",
                "wallet.policies.code-limits[0].velocity-debit-limit = 17 is not allowed: use an integer in 0..16"),
            arguments("wallet.policies.code-limits = [ { code = 1, transfer-amount-limit = 0, daily-debit-limit = 0, " +
                "velocity-debit-limit = 2, velocity-window = 1500 ms } ]",
                "wallet.policies.code-limits[0].velocity-window = \"1500 ms\" is not allowed: use whole seconds, at least"),
            arguments("wallet.policies.code-limits = [ { code = 1, transfer-amount-limit = -1, daily-debit-limit = 0, " +
                "velocity-debit-limit = 0, velocity-window = 0 } ]",
                "wallet.policies.code-limits[0].transfer-amount-limit = -1 is not allowed: use an integer in 0.."),
            arguments("wallet.ledger.velocity-debits-max = 1025",
                "wallet.ledger.velocity-debits-max = 1025 is not allowed: use an integer in 0..1024"),
            arguments("wallet.server.prot = 7071",
                "wallet.server.prot is not a setting: wallet.server has host, port, http-port, tls"),
            arguments("wallet.srever.port = 7071",
                "wallet.srever is not a setting: wallet has data-dir, server, security, journal, pipeline, snapshot, " +
                "record, events, disk, log, ledger, policies, gateway, http, hash-seed"),
            arguments("wallet.log.format = \"xml\"",
                "wallet.log.format = \"xml\" is not allowed: use text or json"),
            arguments("wallet.log.level = \"verbose\"",
                "wallet.log.level = \"verbose\" is not allowed: use one of error, warn, info, debug, trace"),
            arguments("wallet.gateway.max-frame-size = 1 MiB",
                "wallet.gateway.max-frame-size is not a setting: wallet.gateway has max-frame-bytes, " +
                "max-in-flight-per-connection, write-buffer-low-water-mark, write-buffer-high-water-mark, " +
                "slow-consumer-timeout, idle-timeout, max-connections, max-connections-per-address"),
            arguments("wallet.server = 7070",
                "wallet.server = 7070 is not allowed: it is a section holding host, port, http-port, tls"),
            arguments("wallet.server.tls.enable = true",
                "wallet.server.tls.enable is not a setting: wallet.server.tls has enabled, certificate, private-key"),
            arguments("wallet.server.tls.enabled = yes",
                "wallet.server.tls.enabled = \"yes\" is not allowed: use true or false"),
            arguments("wallet.server.tls.certificate = 42",
                "wallet.server.tls.certificate = 42 is not allowed: use a string such as"),
            arguments("wallet.server.tls.enabled = true\nwallet.server.tls.private-key = \"/etc/hosts\"",
                "wallet.server.tls.certificate = \"\" is not allowed: use the path of a PEM file holding the " +
                "server's certificate chain, leaf first (wallet.server.tls.enabled is true)"),
            arguments("wallet.security.mode = off",
                "wallet.security.mode = \"off\" is not allowed: use required or development"),
            arguments("wallet.security.default-transfers-per-second = -1",
                "wallet.security.default-transfers-per-second = -1 is not allowed: use an integer in 0..1000000000"),
            arguments("wallet.security.default-burst = 1000000001",
                "wallet.security.default-burst = 1000000001 is not allowed: use an integer in 0..1000000000"),
            arguments("wallet.security.max-connections-per-key = -2",
                "wallet.security.max-connections-per-key = -2 is not allowed: use an integer in 0.."),
            arguments("wallet.security.key-file = \"k.json\"",
                "wallet.security.key-file is not a setting: wallet.security has mode, " +
                "unsafe-development-mode-on-network, keys-file, default-transfers-per-second, default-burst, " +
                "reads-per-second, reads-burst, max-connections-per-key"),
            arguments("wallet.security.reads-per-second = -1",
                "wallet.security.reads-per-second = -1 is not allowed: use an integer in 0..1000000000"),
            arguments("wallet.journal.clock-slew-percent = 0",
                "wallet.journal.clock-slew-percent = 0 is not allowed: use an integer in 1..100"),
            arguments("wallet.policies.holds-per-account-max = -1",
                "wallet.policies.holds-per-account-max = -1 is not allowed: use an integer in 0..2147483647"),
            arguments("wallet.policies.hold-timeout-max = 1500 ms",
                "use whole seconds, at most 4294967295 seconds (about 136 years), or 0"),
            arguments("wallet.server.port = null",
                "wallet.server.port is null: use an integer in 0..65535"),
            arguments("wallet.events.kafka.enabled = true",
                "wallet.events.kafka.bootstrap-servers = \"\" is not allowed: name the brokers, such as " +
                "\"kafka1:9092,kafka2:9092\" (wallet.events.kafka.enabled is true)"),
            arguments("wallet.events.kafka { enabled = true, bootstrap-servers = \"k:9092\" }\n" +
                "wallet.record.enabled = false",
                "wallet.events.kafka.enabled = true is not allowed: the change stream is read from the permanent " +
                "record: set wallet.record.enabled = true too"),
            arguments("wallet.events.kafka.properties = \"acks=1\"",
                "wallet.events.kafka.properties = \"acks=1\" is not allowed: use an object of names and values"),
            arguments("wallet.events.kafka.properties { \"sasl.mechanism\" = [a, b] }",
                "wallet.events.kafka.properties.\"sasl.mechanism\" = [\"a\",\"b\"] is not allowed: use a string, " +
                "a number or a boolean"),
            arguments("wallet.events.kafka.topic = \"\"",
                "wallet.events.kafka.topic = \"\" is not allowed: use a non-empty string such as \"wallet-events\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidSettings")
    void rejectsAnInvalidSettingNamingItAndWhatIsAllowed(final String setting, final String expected)
        throws IOException
    {
        final Path file = Files.writeString(directory.resolve("wallet.conf"), setting + "\n");

        final SettingsException ex = assertThrows(
            SettingsException.class, () -> WalletSettings.load(file, ConfigFactory.empty()));

        assertEquals(1, ex.problems().size(), ex.getMessage());
        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
    }

    @Test
    void tlsEnabledWithFilesThatCannotBeReadNamesBothSettings() throws IOException
    {
        final Path missing = directory.resolve("missing-chain.pem");
        final Path file = Files.writeString(directory.resolve("wallet.conf"), "wallet.server.tls {\n" +
            "  enabled = true\n" +
            "  certificate = " + SettingsFormat.quote(missing.toString()) + "\n" +
            "  private-key = " + SettingsFormat.quote(directory.toString()) + "\n" +
            "}\n");

        final SettingsException ex = assertThrows(
            SettingsException.class, () -> WalletSettings.load(file, ConfigFactory.empty()));

        assertEquals(2, ex.problems().size(), ex.getMessage());
        assertTrue(ex.problems().get(0).startsWith("wallet.server.tls.certificate = \"" + missing +
            "\" is not allowed: there is no file " + missing.toAbsolutePath() + "; use the path of a PEM file"),
            ex.getMessage());
        assertTrue(ex.problems().get(0).endsWith("(from " + file.toAbsolutePath() + ": 3)"), ex.getMessage());
        assertTrue(ex.problems().get(1).startsWith("wallet.server.tls.private-key = \"" + directory +
            "\" is not allowed: " + directory.toAbsolutePath() + " is not a regular file; use the path of a PEM file " +
            "holding the server's unencrypted PKCS#8 private key"), ex.getMessage());
    }

    @Test
    void namesTheFileAndLineAValueCameFrom() throws IOException
    {
        final Path file = Files.writeString(directory.resolve("wallet.conf"), "\n\nwallet.server.port = abc\n");

        final SettingsException ex = assertThrows(
            SettingsException.class, () -> WalletSettings.load(file, ConfigFactory.empty()));

        assertTrue(ex.getMessage().endsWith("(from " + file.toAbsolutePath() + ": 3)"), ex.getMessage());
    }

    @Test
    void reportsEveryProblemAtOnce() throws IOException
    {
        final Path file = Files.writeString(directory.resolve("wallet.conf"), """
            wallet.server.port = 70000
            wallet.journal.durability = sometimes
            wallet.snapshot.retian = 3
            """);

        final SettingsException ex = assertThrows(
            SettingsException.class, () -> WalletSettings.load(file, ConfigFactory.empty()));

        assertEquals(3, ex.problems().size(), ex.getMessage());
        assertTrue(ex.getMessage().startsWith("3 settings are not allowed:\n"), ex.getMessage());
        assertTrue(ex.getMessage().contains("wallet.server.port = 70000"), ex.getMessage());
        assertTrue(ex.getMessage().contains("wallet.journal.durability = \"sometimes\""), ex.getMessage());
        assertTrue(ex.getMessage().contains("wallet.snapshot.retian is not a setting"), ex.getMessage());
    }

    @Test
    void rejectsAFileThatDoesNotExist()
    {
        final Path missing = directory.resolve("missing.conf");

        final SettingsException ex = assertThrows(SettingsException.class, () -> WalletSettings.load(missing));

        assertEquals("settings file " + missing.toAbsolutePath() + " does not exist or is not a regular file",
            ex.getMessage());
    }

    @Test
    void rejectsAFileThatDoesNotParseNamingTheFileAndTheError() throws IOException
    {
        final Path file = Files.writeString(directory.resolve("broken.conf"), "wallet {\n  server { port = 7071\n");

        final SettingsException ex = assertThrows(SettingsException.class, () -> WalletSettings.load(file));

        assertTrue(ex.getMessage().startsWith("settings file " + file.toAbsolutePath() + " does not parse: "),
            ex.getMessage());
        assertTrue(ex.getMessage().contains(file.toAbsolutePath() + ": 3: "), ex.getMessage());
    }

    @Test
    void rejectsAFileWithAnUndefinedSubstitution() throws IOException
    {
        final Path file = Files.writeString(directory.resolve("wallet.conf"), "wallet.server.port = ${PORT_NOWHERE}\n");

        final SettingsException ex = assertThrows(
            SettingsException.class, () -> WalletSettings.load(file, ConfigFactory.empty()));

        assertTrue(ex.getMessage().contains(file.toAbsolutePath() + " cannot be resolved"), ex.getMessage());
        assertTrue(ex.getMessage().contains("PORT_NOWHERE"), ex.getMessage());
    }

    @Test
    void rejectsSettingsMissingFromAConfigWithoutTheReference()
    {
        final SettingsException ex = assertThrows(SettingsException.class,
            () -> WalletSettings.from(ConfigFactory.parseString("wallet.server.port = 7070")));

        assertEquals(SettingPaths.ALL.size() - 1, ex.problems().size(), ex.getMessage());
        assertTrue(ex.getMessage().contains("wallet.server.host is missing: use a non-empty string"), ex.getMessage());
    }

    @Test
    void rejectsAnInvalidOverrideNamingItsOrigin()
    {
        final WalletSettings settings = WalletSettings.from(WalletSettingsTest.referenceWithEnvironment(Map.of()));

        final SettingsException ex = assertThrows(
            SettingsException.class, () -> settings.withOverrides(Map.of(SettingPaths.PORT, "abc")));

        assertEquals(List.of("wallet.server.port = \"abc\" is not allowed: use an integer in 0..65535 " +
            "(from command-line overrides)"), ex.problems());
    }

    @Test
    void rejectsAnOverrideOfAnUnknownSetting()
    {
        final WalletSettings settings = WalletSettings.from(WalletSettingsTest.referenceWithEnvironment(Map.of()));

        final SettingsException typo = assertThrows(
            SettingsException.class, () -> settings.withOverrides(Map.of("wallet.server.prot", 1)));
        final SettingsException outside = assertThrows(
            SettingsException.class, () -> settings.withOverrides(Map.of("server.port", 1)));
        final SettingsException badPath = assertThrows(
            SettingsException.class, () -> settings.withOverrides(Map.of("wallet..port", 1)));
        final SettingsException badValue = assertThrows(
            SettingsException.class, () -> settings.withOverrides(Map.of(SettingPaths.PORT, new Object())));

        assertTrue(typo.getMessage().startsWith("wallet.server.prot is not a setting: wallet.server has host, port"),
            typo.getMessage());
        assertTrue(outside.getMessage().startsWith("override server.port is not a setting: use one of [wallet."),
            outside.getMessage());
        assertTrue(badPath.getMessage().contains("wallet..port"), badPath.getMessage());
        assertTrue(badValue.getMessage().contains(SettingPaths.PORT), badValue.getMessage());
    }
}
