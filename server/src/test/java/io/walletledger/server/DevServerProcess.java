package io.walletledger.server;

import io.walletledger.server.cli.WalletCli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real server process in development mode ({@code wallet server --dev}) on a data directory, on free ports, for
 * the crash tests: started, asked over HTTP, killed with SIGKILL.
 */
final class DevServerProcess implements AutoCloseable
{
    private static final Pattern READY = Pattern.compile("ready: binary [0-9.]+:(\\d+), http [0-9.]+:(\\d+)");

    /** A configuration for the crash tests: small capacities, a window of 64, the record on. */
    static final String SMALL_LEDGER = "wallet.ledger.idempotency-window = 64\nwallet.ledger.batch-events-max = 64\n" +
        "wallet.ledger.accounts-max = 1024\nwallet.ledger.pending-transfers-max = 1024\n" +
        "wallet.http.max-body-bytes = 65536\nwallet.record.enabled = true\n";

    private final Process process;
    private final String httpBase;
    private final int binaryPort;

    private DevServerProcess(final Process process, final String httpBase, final int binaryPort)
    {
        this.process = process;
        this.httpBase = httpBase;
        this.binaryPort = binaryPort;
    }

    /**
     * Starts the server with this configuration (written beside the data directory) and waits until it serves.
     */
    static DevServerProcess start(final Path data, final String configuration) throws IOException
    {
        final Path config = data.resolveSibling(data.getFileName() + ".conf");
        Files.writeString(config, configuration);
        final Process process = ChildJvm.start(WalletCli.class, "server", "--dev", "--config", config.toString(),
            "--data-dir", data.toString(), "--port", "0", "--http-port", "0");
        try
        {
            final BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
            final String line = out.readLine();
            assertNotNull(line, "the server printed nothing");
            final Matcher ready = READY.matcher(line);
            assertTrue(ready.find(), line);
            return new DevServerProcess(process, "http://127.0.0.1:" + ready.group(2),
                Integer.parseInt(ready.group(1)));
        }
        catch (final IOException | RuntimeException | Error ex)
        {
            process.destroyForcibly();
            throw ex;
        }
    }

    /**
     * @return {@code http://127.0.0.1:<port>}.
     */
    String httpBase()
    {
        return httpBase;
    }

    /**
     * @return the binary port on 127.0.0.1.
     */
    int binaryPort()
    {
        return binaryPort;
    }

    /**
     * Asks the process to stop with SIGTERM, as a service manager does, without waiting.
     */
    void terminate()
    {
        process.toHandle().destroy();
    }

    /**
     * @return whether the process ended within the time, and with what status ({@code -1} if it has not).
     */
    int awaitExit(final long seconds) throws InterruptedException
    {
        return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    /**
     * Kills the process with SIGKILL and waits for it to be gone.
     */
    void kill() throws InterruptedException
    {
        process.toHandle().destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the server died");
    }

    @Override
    public void close()
    {
        process.destroyForcibly();
    }
}
