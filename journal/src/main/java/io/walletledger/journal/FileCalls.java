package io.walletledger.journal;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import org.slf4j.LoggerFactory;

/**
 * The file calls the journal's early write-back makes ({@link JournalPager}): open a file read-only, start the
 * write-back of a range of it, close it. An interface so that tests can watch the calls; {@link #linux()} makes
 * them through JNA.
 */
interface FileCalls
{
    /** {@code sync_file_range}'s flag: start writing the range's dirty pages, without waiting for any of it. */
    int SYNC_FILE_RANGE_WRITE = 2;

    /**
     * @return a file descriptor of {@code path} opened read-only, or -1 with {@link #lastError()} set.
     */
    int openReadOnly(String path);

    /**
     * {@code sync_file_range(fd, offset, length, SYNC_FILE_RANGE_WRITE)}: queues the dirty pages of the range for
     * writing and returns; it waits only when the device's queue is full.
     *
     * @return 0, or -1 with {@link #lastError()} set.
     */
    int startWriteBack(int fd, long offset, long length);

    /**
     * @return 0, or -1 with {@link #lastError()} set.
     */
    int close(int fd);

    /**
     * @return the calling thread's {@code errno} after its last call that failed.
     */
    int lastError();

    /**
     * @return the calls through the C library, or null where there is none to bind them to (not Linux, or JNA
     *         cannot load); the reason is logged.
     */
    static FileCalls linux()
    {
        if (!Platform.isLinux())
        {
            return null;
        }
        try
        {
            return LinuxFileCalls.load();
        }
        catch (final RuntimeException | LinkageError ex)
        {
            LoggerFactory.getLogger(FileCalls.class).warn("cannot bind sync_file_range through JNA; the journal " +
                "leaves writing its pages back to the kernel's flusher", ex);
            return null;
        }
    }

    /**
     * Through JNA's direct mapping: the calls take and return primitives, so they allocate nothing and box nothing.
     */
    final class LinuxFileCalls implements FileCalls
    {
        private static final int O_RDONLY = 0;
        private static LinuxFileCalls instance;

        private LinuxFileCalls()
        {
        }

        static synchronized LinuxFileCalls load()
        {
            if (instance == null)
            {
                Native.register(C.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
                instance = new LinuxFileCalls();
            }
            return instance;
        }

        @Override
        public int openReadOnly(final String path)
        {
            return C.open(path, O_RDONLY);
        }

        @Override
        public int startWriteBack(final int fd, final long offset, final long length)
        {
            return C.sync_file_range(fd, offset, length, SYNC_FILE_RANGE_WRITE);
        }

        @Override
        public int close(final int fd)
        {
            return C.close(fd);
        }

        @Override
        public int lastError()
        {
            return Native.getLastError();
        }

        /** The C library's functions, bound by {@link #load()}. */
        private static final class C
        {
            static native int open(String path, int flags);

            static native int sync_file_range(int fd, long offset, long length, int flags);

            static native int close(int fd);
        }
    }
}
