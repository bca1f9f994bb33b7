package io.walletledger.server.cli;

import io.walletledger.gateway.security.ApiKey;
import io.walletledger.gateway.security.AuditLog;
import io.walletledger.gateway.security.KeysFile;
import io.walletledger.protocol.Role;
import io.walletledger.protocol.ScramSha256;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code wallet keys create|list|revoke}: the API keys in a keys file. A new key's secret is printed once and kept
 * nowhere; the file holds only values derived from it. A running server follows the file (it looks every 2 s), so a
 * change applies without a restart.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
    description = "Create, list and revoke API keys (a running server follows the keys file: no restart needed).",
    subcommands = { KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class })
final class KeysCommand implements Callable<Integer>
{
    static final String FILE_DEFAULT = "data/keys.json";

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    private static Map<String, ApiKey> loadOrEmpty(final Path file) throws IOException
    {
        try
        {
            return new LinkedHashMap<>(KeysFile.load(file));
        }
        catch (final NoSuchFileException ex)
        {
            return new LinkedHashMap<>();
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
        description = "Create a key and print its secret, once.")
    static final class Create implements Callable<Integer>
    {
        @Option(names = "--id", required = true, description = "Key id: 1 to 64 printable ASCII characters, no spaces.")
        String id;

        @Option(names = "--roles", required = true, split = ",", description = "read, transfer and/or admin " +
            "(transfer includes read; admin includes everything).")
        String[] roles;

        @Option(names = "--accounts", split = ",", description = "Restrict the key to these account ids (default: all).")
        String[] accounts;

        @Option(names = "--transfers-per-second", defaultValue = "0", description = "Rate limit of this key " +
            "(0: the server's wallet.security.default-transfers-per-second).")
        long transfersPerSecond;

        @Option(names = "--burst", defaultValue = "0", description = "Transfers at once above the rate " +
            "(0: the server's default, or one second's worth of this key's rate).")
        long burst;

        @Option(names = "--iterations", defaultValue = "" + ScramSha256.ITERATIONS_DEFAULT, description = "PBKDF2 " +
            "iterations, " + ScramSha256.ITERATIONS_MIN + ".." + ScramSha256.ITERATIONS_MAX + " (default: ${DEFAULT-VALUE}).")
        int iterations;

        @Option(names = "--file", defaultValue = FILE_DEFAULT, description = "The keys file (default: ${DEFAULT-VALUE}).")
        Path file;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call()
        {
            final PrintWriter out = spec.commandLine().getOut();
            final PrintWriter err = spec.commandLine().getErr();
            final KeysFile.NewKey created;
            final Map<String, ApiKey> keys;
            try (KeysFile.Lock ignored = KeysFile.lock(file))
            {
                keys = loadOrEmpty(file);
                if (keys.containsKey(id))
                {
                    err.println("wallet: key " + id + " exists in " + file + "; revoke it first or choose another id");
                    return 1;
                }
                final Set<Role> roleSet = EnumSet.noneOf(Role.class);
                for (final String role : roles)
                {
                    roleSet.add(Role.of(role));
                }
                final long[] accountIds = accounts == null ? new long[0] :
                    Arrays.stream(accounts).map(String::trim).mapToLong(Long::parseUnsignedLong).toArray();
                created = KeysFile.create(id, roleSet, accountIds, iterations, transfersPerSecond, burst);
                keys.put(id, created.key());
                KeysFile.save(file, keys.values());
            }
            catch (final IllegalArgumentException ex)
            {
                err.println("wallet: cannot create key " + id + ": " + ex.getMessage());
                return 2;
            }
            catch (final IOException ex)
            {
                err.println("wallet: cannot create key " + id + ": " + ex.getMessage());
                return 1;
            }
            AuditLog.keyCreated(created.key(), file.toString());
            out.println("created key " + id + " (" + describe(created.key()) + ") in " + file);
            out.println("secret: " + created.secret());
            out.println("This secret is shown once and stored nowhere. HTTP: Authorization: Bearer " + id +
                ":<secret>; Java client: WalletClientOptions.builder(...).credentials(\"" + id + "\", secret).");
            out.println("A running server that uses this keys file takes the key within about 2 seconds; no restart.");
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the keys (never a secret).")
    static final class ListKeys implements Callable<Integer>
    {
        @Option(names = "--file", defaultValue = FILE_DEFAULT, description = "The keys file (default: ${DEFAULT-VALUE}).")
        Path file;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call()
        {
            if (!Files.exists(file))
            {
                spec.commandLine().getErr().println("wallet: no keys file " + file +
                    "; create a key with ./wallet keys create");
                return 1;
            }
            try
            {
                for (final ApiKey key : KeysFile.load(file).values())
                {
                    spec.commandLine().getOut().println(key.id() + "\t" + describe(key));
                }
                return 0;
            }
            catch (final IOException ex)
            {
                spec.commandLine().getErr().println("wallet: " + ex.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Remove a key from the keys file.")
    static final class Revoke implements Callable<Integer>
    {
        @Option(names = "--id", required = true, description = "The key to remove.")
        String id;

        @Option(names = "--file", defaultValue = FILE_DEFAULT, description = "The keys file (default: ${DEFAULT-VALUE}).")
        Path file;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call()
        {
            try (KeysFile.Lock ignored = KeysFile.lock(file))
            {
                final Map<String, ApiKey> keys = loadOrEmpty(file);
                if (keys.remove(id) == null)
                {
                    spec.commandLine().getErr().println("wallet: no key " + id + " in " + file);
                    return 1;
                }
                KeysFile.save(file, keys.values());
            }
            catch (final IOException ex)
            {
                spec.commandLine().getErr().println("wallet: " + ex.getMessage());
                return 1;
            }
            AuditLog.keyRevoked(id, file.toString());
            spec.commandLine().getOut().println("revoked key " + id + " in " + file +
                "; a running server that uses this keys file refuses it within about 2 seconds (its open binary " +
                "connections are closed at their next request)");
            return 0;
        }
    }

    static String describe(final ApiKey key)
    {
        return "roles " + key.roles().stream().sorted().map(Role::label).collect(Collectors.joining(",")) +
            ", accounts " + (key.restricted() ? Arrays.stream(key.accounts()).mapToObj(Long::toUnsignedString)
            .collect(Collectors.joining(",")) : "all") +
            ", transfers/s " + (key.transfersPerSecond() == 0 ? "default" : key.transfersPerSecond()) +
            ", burst " + (key.burst() == 0 ? "default" : key.burst());
    }
}
