package io.walletledger.server;

import io.walletledger.gateway.security.ApiKey;
import io.walletledger.gateway.security.GatewaySecurity;
import io.walletledger.gateway.security.KeysFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Gives a running server the keys {@code ./wallet keys create} and {@code revoke} write: looks at the keys file's
 * modification time and size every {@link #INTERVAL} and, when they change, loads it and replaces the server's keys.
 * A new key works from then on; a revoked or changed key's binary connections are cut at their next request and its
 * cached HTTP credentials are verified again. A file that does not load (half written by another tool, say) is
 * logged and the keys stay as they were. The audit log records every reload.
 */
final class KeysFileWatcher implements AutoCloseable
{
    static final Duration INTERVAL = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(KeysFileWatcher.class);
    private static final Logger AUDIT = LoggerFactory.getLogger("wallet.audit");

    private final Path file;
    private final GatewaySecurity security;
    private final ScheduledExecutorService executor;
    private String seen;

    private KeysFileWatcher(final Path file, final GatewaySecurity security)
    {
        this.file = file;
        this.security = security;
        this.seen = version();
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable ->
        {
            final Thread thread = new Thread(runnable, "wallet-keys-watcher");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::check, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * @param file     the keys file the server loaded at start.
     * @param security the server's security, whose keys are replaced.
     */
    static KeysFileWatcher start(final Path file, final GatewaySecurity security)
    {
        return new KeysFileWatcher(file, security);
    }

    private String version()
    {
        try
        {
            final BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return attributes.lastModifiedTime().toMillis() + "/" + attributes.size() + "/" + attributes.fileKey();
        }
        catch (final IOException ex)
        {
            return "missing";
        }
    }

    private void check()
    {
        final String now = version();
        if (now.equals(seen))
        {
            return;
        }
        try
        {
            final Map<String, ApiKey> keys = KeysFile.load(file);
            security.replaceKeys(keys);
            seen = now;
            LOG.info("keys file {} changed: {} keys now", file, keys.size());
            AUDIT.info("keys reloaded from {}: {} keys ({})", file, keys.size(), String.join(", ", keys.keySet()));
        }
        catch (final IOException | RuntimeException ex)
        {
            // Not marked seen: the next look tries again, in case the file was caught half written.
            LOG.error("keys file {} changed but does not load, keeping the {} keys in use: {}", file,
                security.keyCount(), ex.getMessage());
        }
    }

    @Override
    public void close()
    {
        executor.shutdownNow();
    }
}
