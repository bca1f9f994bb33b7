package io.walletledger.snapshot;

import java.nio.file.Path;

/**
 * A snapshot file that cannot be trusted: cut short, not a snapshot, a checksum that does not match, or a
 * state whose hash is not the one its header promises. Recovery then falls back to an older snapshot.
 */
public final class SnapshotCorruptedException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final transient Path file;

    public SnapshotCorruptedException(final Path file, final String problem)
    {
        this(file, problem, null);
    }

    public SnapshotCorruptedException(final Path file, final String problem, final Throwable cause)
    {
        super("snapshot " + file + " is unusable: " + problem, cause);
        this.file = file;
    }

    public Path file()
    {
        return file;
    }
}
