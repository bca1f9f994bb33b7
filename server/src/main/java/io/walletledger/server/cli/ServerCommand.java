package io.walletledger.server.cli;

import io.walletledger.server.WalletServer;
import io.walletledger.config.SettingsException;
import io.walletledger.config.WalletSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code wallet server}: recovers the ledger and serves the binary protocol and the HTTP API until SIGTERM or
 * Ctrl-C, which shut it down gracefully (drain, final snapshot).
 */
@Command(name = "server", mixinStandardHelpOptions = true,
    description = "Start the ledger server: recover, then serve the binary protocol and the HTTP/JSON API.")
final class ServerCommand implements Callable<Integer>
{
    @Option(names = "--config", description = "A HOCON file of settings (see reference.conf); optional.")
    Path configFile;

    @Option(names = "--data-dir", description = "Data directory (default: the setting wallet.data-dir, \"data\").")
    Path dataDirectory;

    @Option(names = "--port", description = "Binary protocol port (default: wallet.server.port, 7070; 0: any).")
    Integer port;

    @Option(names = "--http-port", description = "HTTP port (default: wallet.server.http-port, 8080; 0: any).")
    Integer httpPort;

    @Option(names = "--host", description = "Address to bind (default: wallet.server.host, 127.0.0.1).")
    String host;

    @Option(names = "--dev", description = "Development mode: no authentication, every client may do anything " +
        "(wallet.security.mode = development). For your own machine only.")
    boolean development;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException
    {
        final WalletSettings settings;
        try
        {
            settings = settings();
        }
        catch (final SettingsException ex)
        {
            spec.commandLine().getErr().println("wallet: invalid settings: " + ex.getMessage());
            return 2;
        }
        final WalletServer server;
        try
        {
            LogSetup.apply(settings.logFormat(), LogSetup.level(settings.logLevel()), settings.auditLogFile());
            server = WalletServer.start(settings);
        }
        catch (final RuntimeException ex)
        {
            spec.commandLine().getErr().println("wallet: cannot start: " + ex.getMessage());
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "wallet-shutdown"));
        spec.commandLine().getOut().println(server.readyLine());
        spec.commandLine().getOut().flush();
        // Serve until the JVM is told to stop; the shutdown hook closes the server, then the JVM exits.
        Thread.currentThread().join();
        return 0;
    }

    WalletSettings settings()
    {
        final WalletSettings loaded = configFile == null ? WalletSettings.load() : WalletSettings.load(configFile);
        final Map<String, Object> overrides = new LinkedHashMap<>();
        if (dataDirectory != null)
        {
            overrides.put("wallet.data-dir", dataDirectory.toString());
        }
        if (port != null)
        {
            overrides.put("wallet.server.port", port);
        }
        if (httpPort != null)
        {
            overrides.put("wallet.server.http-port", httpPort);
        }
        if (host != null)
        {
            overrides.put("wallet.server.host", host);
        }
        if (development)
        {
            overrides.put("wallet.security.mode", "development");
        }
        return overrides.isEmpty() ? loaded : loaded.withOverrides(overrides);
    }
}
