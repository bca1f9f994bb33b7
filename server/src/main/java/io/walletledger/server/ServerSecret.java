package io.walletledger.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;

/**
 * A random secret the server keeps in its data directory ({@value #FILE_NAME}, readable by its owner only), made at
 * the first start in required mode: the challenges of unknown key ids derive from it, so they stay the same across
 * restarts, as a real key's do. It protects no money: lost, a new one is made, and unknown ids get other salts.
 */
final class ServerSecret
{
    static final String FILE_NAME = "server-secret";
    private static final int LENGTH = 32;

    private ServerSecret()
    {
    }

    /**
     * @return the data directory's secret, made now if it has none.
     * @throws UncheckedIOException if it cannot be read or written.
     */
    static byte[] of(final Path dataDirectory)
    {
        final Path file = dataDirectory.resolve(FILE_NAME);
        try
        {
            if (Files.exists(file))
            {
                final byte[] secret = Files.readAllBytes(file);
                if (secret.length == LENGTH)
                {
                    return secret;
                }
            }
            Files.createDirectories(dataDirectory);
            final byte[] secret = new byte[LENGTH];
            new SecureRandom().nextBytes(secret);
            final Path temporary = dataDirectory.resolve(FILE_NAME + ".tmp");
            Files.deleteIfExists(temporary);
            Files.createFile(temporary);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix"))
            {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
            }
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE))
            {
                channel.write(ByteBuffer.wrap(secret));
                channel.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel directory = FileChannel.open(dataDirectory, StandardOpenOption.READ))
            {
                directory.force(true);
            }
            return secret;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot read or write " + file, ex);
        }
    }
}
