package io.walletledger.record;

import io.walletledger.engine.AppliedTransfer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.concurrent.UnsafeBuffer;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * The permanent record: every transfer the ledger decided, successful or failed, with its outcome, fee, timestamp
 * and its accounts' balances right after it ({@link AppliedTransfer}), kept on disk in RocksDB for as long as the
 * operator keeps the directory, and read back by id at any age.
 * <p>
 * It is a read side: one writer ({@code RecordWriter}, fed by an engine that replays the journal) adds each command's
 * transfers and commits them in one atomic write together with the journal sequence they reach, its
 * {@link #position()}; a restart resumes after the position on disk. RocksDB's write-ahead log is off, since the
 * journal already is one: a crash loses the writes since the last flush, in every column family to the same point
 * (atomic flush), and the writer replays them. Readers may run on any thread at the same time.
 * <p>
 * Three column families, all keys big-endian so that they sort as numbers:
 * <ul>
 *     <li>{@code transfers}: the position of a block of 64 (8 bytes) → the {@link AppliedTransfer#LENGTH} bytes
 *     of each transfer from there on, up to 64 (fewer at the end of a command). A position is the command's journal
 *     sequence times 2<sup>20</sup> plus the transfer's index among those the command decided
 *     ({@link #position(long, int)}): unique, in the order of the ledger. A block is one write of many transfers,
 *     and one read for a transfer and its neighbours.</li>
 *     <li>{@code ids}: transfer id (16 bytes, hi then lo) and position → nothing. Several positions under one id
 *     mean the ledger decided that id more than once (it forgot it); a lookup answers the first.</li>
 *     <li>{@code closes}: hold id (16 bytes) → the position of the post, void or expiry that closed it.</li>
 *     <li>{@code accounts}: account id (8 bytes) and the position of the first of a group → the account's entries
 *     of one write ({@link AccountEntry}: the position, the account's part in the transfer there, its timestamp,
 *     and the account's four balances right after it), in position order. One value per account and write keeps
 *     the inserts few when accounts recur; an account's history, newest or oldest first, is a scan of its
 *     prefix.</li>
 *     <li>{@code times}: the timestamp of the last transfer of a write (8 bytes) → its position: every transfer up
 *     to that position is at or before that time, every later one after it; how a time becomes a position.</li>
 *     <li>{@code events}: the position of an event other than a transfer (an account created, frozen, unfrozen,
 *     closed or given limits; a policy set) → the event ({@link RecordedEvent}). Its position follows those of the
 *     transfers its command decided (the expiries before it), in the same numbering, so the two families together
 *     are the ledger's history in order ({@link #stream}).</li>
 * </ul>
 * The default column family holds the record's own facts: its format version and its position.
 */
public final class TransferRecordStore implements AutoCloseable
{
    /** Transfers one command may record: room for a full batch and every hold expiring at its timestamp. */
    public static final int COMMAND_TRANSFERS_MAX = 1 << 20;
    static final int FORMAT_VERSION = 5;

    private static final byte[] POSITION_KEY = "position".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] VERSION_KEY = "format-version".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COVERED_KEY = "covered-timestamp".getBytes(StandardCharsets.US_ASCII);
    private static final int ID_LENGTH = 16;
    private static final int ACCOUNT_LENGTH = 8;
    /** Transfers per value of the {@code transfers} column family: one write for up to this many. */
    private static final int BLOCK_TRANSFERS = 64;
    private static final byte[] NOTHING = new byte[0];

    static
    {
        RocksDB.loadLibrary();
    }

    private final Path directory;
    private final DBOptions options;
    private final List<ColumnFamilyOptions> familyOptions = new ArrayList<>();
    private final RocksDB db;
    private final ColumnFamilyHandle meta;
    private final ColumnFamilyHandle transfers;
    private final ColumnFamilyHandle ids;
    private final ColumnFamilyHandle closes;
    private final ColumnFamilyHandle accounts;
    private final ColumnFamilyHandle times;
    private final ColumnFamilyHandle events;
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final WriteOptions writeOptions = new WriteOptions().setDisableWAL(true);
    private volatile long position;
    private volatile long coveredTimestamp;

    private TransferRecordStore(final Path directory) throws RocksDBException
    {
        this.directory = directory;
        // No write-ahead log: the journal is the record's log. A crash loses what was not flushed yet, all column
        // families to the same point (atomic flush), and the writer replays it from the journal.
        this.options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
            .setMaxBackgroundJobs(2).setParanoidChecks(true).setAtomicFlush(true);
        final List<ColumnFamilyDescriptor> families = List.of(
            new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, family(0)),
            new ColumnFamilyDescriptor(bytes("transfers"), family(0)),
            new ColumnFamilyDescriptor(bytes("ids"), family(ID_LENGTH)),
            new ColumnFamilyDescriptor(bytes("closes"), family(ID_LENGTH)),
            new ColumnFamilyDescriptor(bytes("accounts"), family(ACCOUNT_LENGTH)),
            new ColumnFamilyDescriptor(bytes("times"), family(0)),
            new ColumnFamilyDescriptor(bytes("events"), family(0)));
        this.db = RocksDB.open(options, directory.toString(), families, handles);
        this.meta = handles.get(0);
        this.transfers = handles.get(1);
        this.ids = handles.get(2);
        this.closes = handles.get(3);
        this.accounts = handles.get(4);
        this.times = handles.get(5);
        this.events = handles.get(6);
        try
        {
            this.position = readPosition();
            final byte[] covered = db.get(meta, COVERED_KEY);
            this.coveredTimestamp = covered == null ? -1 : ByteBuffer.wrap(covered).getLong();
        }
        catch (final RuntimeException | RocksDBException ex)
        {
            closeHandles();
            throw ex;
        }
    }

    /**
     * Opens the record in {@code directory}, creating it if there is none.
     *
     * @throws RecordException if the directory holds something else, a record of another format, or one that
     *                         does not verify.
     */
    public static TransferRecordStore open(final Path directory)
    {
        try
        {
            Files.createDirectories(directory);
            return new TransferRecordStore(directory);
        }
        catch (final RocksDBException | java.io.IOException ex)
        {
            throw new RecordException("cannot open the record in " + directory + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * @return the journal sequence of the last command whose transfers are all recorded, 0 for none. Readable at
     * once; on disk once {@link #flush()} has run (or RocksDB flushed by itself).
     */
    public long position()
    {
        return position;
    }

    /**
     * @return the engine timestamp up to which the record holds every transfer (that of the last command at
     * {@link #position()}), -1 if it holds none: a look-up that starts after reading this finds any transfer at or
     * before it.
     */
    public long coveredTimestamp()
    {
        return coveredTimestamp;
    }

    /**
     * Puts everything committed on disk: after this, a crash loses nothing before {@link #position()}. Called
     * before a snapshot is taken, so that no snapshot is ahead of the record on disk, and at close.
     */
    public void flush()
    {
        try (FlushOptions flush = new FlushOptions().setWaitForFlush(true))
        {
            db.flush(flush, handles);
        }
        catch (final RocksDBException ex)
        {
            throw new RecordException("cannot flush the record: " + ex.getMessage(), ex);
        }
    }

    public Path directory()
    {
        return directory;
    }

    /**
     * @return where a transfer stands in the record: the journal sequence of its command, and its index among the
     * transfers that command decided (in the order the engine decided them).
     */
    public static long position(final long journalSequence, final int index)
    {
        if (index < 0 || index >= COMMAND_TRANSFERS_MAX)
        {
            throw new IllegalArgumentException("a command records at most " + COMMAND_TRANSFERS_MAX +
                " transfers; index " + index);
        }
        return (journalSequence << 20) | index;
    }

    /**
     * @return the first transfer the ledger decided under this id, or null if the record has none.
     */
    public RecordedTransfer find(final long idHi, final long idLo)
    {
        final byte[] prefix = idKey(idHi, idLo);
        try (ReadOptions read = new ReadOptions().setPrefixSameAsStart(true);
            RocksIterator it = db.newIterator(ids, read))
        {
            it.seek(prefix);
            if (!it.isValid() || !startsWith(it.key(), prefix))
            {
                it.status();
                return null;
            }
            return recordedAtIdKey(it.key(), idHi, idLo);
        }
        catch (final RocksDBException ex)
        {
            throw new RecordException("cannot read the record: " + ex.getMessage(), ex);
        }
    }

    /**
     * @return look-ups of ids for one thread: cheaper than {@link #find} for many ids in a row. Close it before the
     * store.
     */
    public IdLookups idLookups()
    {
        return new IdLookups();
    }

    /**
     * Look-ups of many ids in a row on one thread, through one iterator (creating one per id costs more than the
     * seek). {@link #begin()} before each group: the group then sees everything committed before it ran.
     */
    public final class IdLookups implements AutoCloseable
    {
        private final ReadOptions read = new ReadOptions().setPrefixSameAsStart(true);
        private final byte[] key = new byte[ID_LENGTH];
        private final ByteBuffer keyView = ByteBuffer.wrap(key).order(ByteOrder.BIG_ENDIAN);
        private RocksIterator iterator;

        private IdLookups()
        {
        }

        /**
         * Starts a group of look-ups at the record as it is now.
         */
        public void begin()
        {
            try
            {
                if (iterator == null)
                {
                    iterator = db.newIterator(ids, read);
                }
                else
                {
                    iterator.refresh();
                }
            }
            catch (final RocksDBException ex)
            {
                throw new RecordException("cannot read the record: " + ex.getMessage(), ex);
            }
        }

        /**
         * @return the first transfer the ledger decided under this id, or null if the record has none.
         */
        public RecordedTransfer find(final long idHi, final long idLo)
        {
            keyView.putLong(0, idHi).putLong(8, idLo);
            iterator.seek(key);
            if (!iterator.isValid() || !startsWith(iterator.key(), key))
            {
                try
                {
                    iterator.status();
                }
                catch (final RocksDBException ex)
                {
                    throw new RecordException("cannot read the record: " + ex.getMessage(), ex);
                }
                return null;
            }
            return recordedAtIdKey(iterator.key(), idHi, idLo);
        }

        @Override
        public void close()
        {
            if (iterator != null)
            {
                iterator.close();
            }
            read.close();
        }
    }

    /**
     * @return the transfer an entry of the ids family points at.
     * @throws RecordException if it points at nothing.
     */
    private RecordedTransfer recordedAtIdKey(final byte[] idKey, final long idHi, final long idLo)
    {
        final long at = ByteBuffer.wrap(idKey, ID_LENGTH, 8).getLong();
        final RecordedTransfer found = recordedAt(at);
        if (found == null)
        {
            throw new RecordException("the record is inconsistent: id " + Long.toHexString(idHi) + ":" +
                Long.toHexString(idLo) + " points at position " + at + ", which holds nothing");
        }
        return found;
    }

    /**
     * @return the transfer at a position and, for a hold, the transfer that closed it; or null.
     */
    public RecordedTransfer recordedAt(final long position)
    {
        final AppliedTransfer transfer = at(position);
        if (transfer == null)
        {
            return null;
        }
        if (!transfer.isHold())
        {
            return new RecordedTransfer(transfer, position, null);
        }
        try
        {
            final byte[] closedAt = db.get(closes, idKey(transfer.idHi(), transfer.idLo()));
            return new RecordedTransfer(
                transfer, position, closedAt == null ? null : at(ByteBuffer.wrap(closedAt).getLong()));
        }
        catch (final RocksDBException ex)
        {
            throw new RecordException("cannot read the record: " + ex.getMessage(), ex);
        }
    }

    /**
     * @return the transfer at a position, or null.
     */
    public AppliedTransfer at(final long position)
    {
        try
        {
            final byte[] block = db.get(transfers, longKey(blockOf(position)));
            final int from = (int)(position & (BLOCK_TRANSFERS - 1)) * AppliedTransfer.LENGTH;
            if (block == null || block.length < from + AppliedTransfer.LENGTH)
            {
                return null;
            }
            return RecordedTransfer.copyOf(Arrays.copyOfRange(block, from, from + AppliedTransfer.LENGTH));
        }
        catch (final RocksDBException ex)
        {
            throw new RecordException("cannot read the record: " + ex.getMessage(), ex);
        }
    }

    /**
     * @return the key of the block that holds a position: the position with its low bits cleared.
     */
    private static long blockOf(final long position)
    {
        return position & ~(long)(BLOCK_TRANSFERS - 1);
    }

    /**
     * Reads the record in the ledger's order: the transfers and the other events after a position, up to the
     * record's {@link #position()} when the read starts.
     *
     * @param after   the position after which to read (exclusive); -1 for the beginning.
     * @param limit   the most items to return.
     * @param scanMax the most items to read, matching or not: bounds the work of a filter that matches few.
     * @param filter  which items to return.
     */
    public StreamPage stream(final long after, final int limit, final int scanMax, final Predicate<StreamItem> filter)
    {
        final long committed = position;
        final long first = after + 1;
        final List<StreamItem> items = new ArrayList<>(Math.min(limit, 1024));
        long scannedTo = after;
        int scanned = 0;
        boolean atEnd = false;
        try (RocksIterator blocks = db.newIterator(transfers); RocksIterator others = db.newIterator(events))
        {
            blocks.seekForPrev(longKey(blockOf(Math.max(first, 0))));
            if (!blocks.isValid())
            {
                blocks.seek(longKey(0));
            }
            others.seek(longKey(Math.max(first, 0)));
            byte[] block = null;
            long blockKey = 0;
            int inBlock = 0;
            while (items.size() < limit && scanned < scanMax)
            {
                // The next transfer at or after first, if any.
                long transferAt = Long.MAX_VALUE;
                while (true)
                {
                    if (block != null && inBlock * AppliedTransfer.LENGTH < block.length)
                    {
                        final long at = blockKey + inBlock;
                        if (at >= first)
                        {
                            transferAt = at;
                            break;
                        }
                        inBlock++;
                        continue;
                    }
                    if (block != null)
                    {
                        blocks.next();
                    }
                    if (!blocks.isValid())
                    {
                        blocks.status();
                        block = null;
                        break;
                    }
                    block = blocks.value();
                    blockKey = ByteBuffer.wrap(blocks.key()).getLong();
                    inBlock = 0;
                }
                final long eventAt = others.isValid() ? ByteBuffer.wrap(others.key()).getLong() : Long.MAX_VALUE;
                others.status();
                final long next = Math.min(transferAt, eventAt);
                if (next == Long.MAX_VALUE || (next >>> 20) > committed)
                {
                    atEnd = true;
                    break;
                }
                final StreamItem item;
                if (next == transferAt)
                {
                    final int from = inBlock * AppliedTransfer.LENGTH;
                    item = new StreamItem(next, RecordedTransfer.copyOf(
                        Arrays.copyOfRange(block, from, from + AppliedTransfer.LENGTH)), null);
                    inBlock++;
                }
                else
                {
                    item = new StreamItem(next, null, RecordedEvent.decode(next, others.value()));
                    others.next();
                }
                scanned++;
                scannedTo = next;
                if (filter.test(item))
                {
                    items.add(item);
                }
            }
        }
        catch (final RocksDBException ex)
        {
            throw new RecordException("cannot read the record: " + ex.getMessage(), ex);
        }
        return new StreamPage(items, scannedTo, atEnd);
    }

    /**
     * One page of an account's history.
     *
     * @return at most {@code query.limit()} entries, up to the record's position.
     */
    public List<AccountEntry> history(final HistoryQuery query)
    {
        final long accountId = query.accountId();
        final long after = query.after();
        final int limit = query.limit();
        final boolean descending = query.descending();
        final long from = query.from();
        final long to = query.to();
        final List<AccountEntry> page = new ArrayList<>(Math.min(limit, 1024));
        final long committed = position;
        try (ReadOptions read = new ReadOptions().setPrefixSameAsStart(true);
            RocksIterator it = db.newIterator(accounts, read))
        {
            seekHistory(it, accountId, after >= 0 ? after : start(descending, from, to), descending);
            for (; it.isValid() && page.size() < limit; next(it, descending))
            {
                if (ByteBuffer.wrap(it.key()).getLong() != accountId)
                {
                    break;
                }
                final byte[] group = it.value();
                final int entries = group.length / AccountEntry.LENGTH;
                for (int n = 0; n < entries && page.size() < limit; n++)
                {
                    final int offset = (descending ? entries - 1 - n : n) * AccountEntry.LENGTH;
                    final long at = AccountEntry.positionOf(group, offset);
                    final boolean inPage = after < 0 || (descending ? at < after : at > after);
                    final AccountEntry entry = AccountEntry.decode(accountId, group, offset);
                    if (descending ? entry.timestamp() < from : entry.timestamp() > to)
                    {
                        return page;
                    }
                    if (inPage && (at >>> 20) <= committed && (entry.parts() & query.parts()) != 0 &&
                        entry.timestamp() >= from && entry.timestamp() <= to)
                    {
                        page.add(entry);
                    }
                }
            }
            it.status();
        }
        catch (final RocksDBException ex)
        {
            throw new RecordException("cannot read the record: " + ex.getMessage(), ex);
        }
        return page;
    }

    /**
     * @return where a page without a cursor starts, exclusive, from its time range: newest first, after the first
     * write whose transfers all come after {@code to}; oldest first, after the last write whose transfers all come
     * before {@code from}; -1 for the very end.
     */
    private long start(final boolean descending, final long from, final long to) throws RocksDBException
    {
        try (RocksIterator it = db.newIterator(times))
        {
            if (descending)
            {
                if (to == Long.MAX_VALUE)
                {
                    return -1;
                }
                it.seek(longKey(to + 1));
                it.status();
                return it.isValid() ? ByteBuffer.wrap(it.value()).getLong() + 1 : -1;
            }
            if (from <= 0)
            {
                return -1;
            }
            it.seekForPrev(longKey(from - 1));
            it.status();
            return it.isValid() ? ByteBuffer.wrap(it.value()).getLong() : -1;
        }
    }

    /**
     * Puts the iterator on the group of the account's entries where a page starts. A group's key is the position of
     * its first entry, so the group that holds the position after which the page starts may begin before it.
     */
    private static void seekHistory(
        final RocksIterator it, final long accountId, final long after, final boolean descending)
    {
        if (descending)
        {
            it.seekForPrev(accountAt(accountId, after < 0 ? Long.MAX_VALUE : after - 1));
            return;
        }
        if (after >= 0)
        {
            it.seekForPrev(accountAt(accountId, after));
            if (it.isValid() && ByteBuffer.wrap(it.key()).getLong() == accountId)
            {
                return;
            }
        }
        it.seek(accountAt(accountId, after < 0 ? 0 : after + 1));
    }

    private static void next(final RocksIterator it, final boolean descending)
    {
        if (descending)
        {
            it.prev();
        }
        else
        {
            it.next();
        }
    }

    /**
     * A write of the transfers of one or more commands, atomic with the position they reach.
     */
    public Batch batch()
    {
        return new Batch();
    }

    /**
     * The transfers of consecutive commands, written at once by {@link #commit}. One writer at a time.
     */
    public final class Batch implements AutoCloseable
    {
        private final WriteBatch batch = new WriteBatch();
        // Keys and values go to RocksDB from these direct buffers, which it copies at each put: nothing is allocated
        // per transfer (the writer shares the server's heap with the request path).
        private final ByteBuffer key = ByteBuffer.allocateDirect(ID_LENGTH + 8);
        private final UnsafeBuffer keyBuffer = new UnsafeBuffer(key);
        private final ByteBuffer value = ByteBuffer.allocateDirect(8);
        private final UnsafeBuffer valueBuffer = new UnsafeBuffer(value);
        private final ByteBuffer block = ByteBuffer.allocateDirect(BLOCK_TRANSFERS * AppliedTransfer.LENGTH);
        private final UnsafeBuffer blockBuffer = new UnsafeBuffer(block);
        /** The key of the block being filled, or -1. */
        private long blockKey = -1;
        private int blockLength;
        /** The timestamp and position of the newest transfer added, -1 for none since the last commit. */
        private long lastTimestamp = -1;
        private long lastPosition;
        private int count;
        private final AccountGroups accountGroups = new AccountGroups();

        private Batch()
        {
        }

        /**
         * Adds a transfer at a position ({@link TransferRecordStore#position(long, int)}), after every position
         * added before.
         */
        public void add(final long position, final AppliedTransfer transfer)
        {
            try
            {
                final long blockOfPosition = blockOf(position);
                if (blockOfPosition != blockKey)
                {
                    putBlock();
                    blockKey = blockOfPosition;
                }
                final int at = (int)(position & (BLOCK_TRANSFERS - 1)) * AppliedTransfer.LENGTH;
                if (at != blockLength)
                {
                    throw new IllegalArgumentException("position " + position + " does not follow the one before");
                }
                transfer.copyTo(blockBuffer, at);
                blockLength = at + AppliedTransfer.LENGTH;
                if (transfer.idLo() != 0 || transfer.idHi() != 0)
                {
                    keyBuffer.putLong(0, transfer.idHi(), ByteOrder.BIG_ENDIAN);
                    keyBuffer.putLong(8, transfer.idLo(), ByteOrder.BIG_ENDIAN);
                    keyBuffer.putLong(ID_LENGTH, position, ByteOrder.BIG_ENDIAN);
                    put(ids, ID_LENGTH + 8, 0);
                }
                if (transfer.closesHold())
                {
                    keyBuffer.putLong(0, transfer.closedHoldIdHi(), ByteOrder.BIG_ENDIAN);
                    keyBuffer.putLong(8, transfer.closedHoldIdLo(), ByteOrder.BIG_ENDIAN);
                    valueBuffer.putLong(0, position, ByteOrder.BIG_ENDIAN);
                    put(closes, ID_LENGTH, 8);
                }
                accountGroups.add(position, transfer);
                lastTimestamp = Math.max(lastTimestamp, transfer.timestamp());
                lastPosition = position;
                count++;
            }
            catch (final RocksDBException ex)
            {
                throw new RecordException("cannot add to the record's write: " + ex.getMessage(), ex);
            }
        }

        /**
         * Adds an event other than a transfer at its position ({@link TransferRecordStore#position(long, int)}),
         * after every position added before.
         */
        public void addEvent(final RecordedEvent event)
        {
            try
            {
                batch.put(events, longKey(event.position()), event.encode());
                count++;
            }
            catch (final RocksDBException ex)
            {
                throw new RecordException("cannot add to the record's write: " + ex.getMessage(), ex);
            }
        }

        /**
         * @return transfers added since the last commit.
         */
        public int count()
        {
            return count;
        }

        /**
         * Writes what was added, the journal sequence it reaches and the engine timestamp it covers, in one atomic
         * write.
         */
        public void commit(final long journalSequence, final long engineTimestamp)
        {
            try
            {
                putBlock();
                blockKey = -1;
                accountGroups.putAll();
                if (lastTimestamp >= 0)
                {
                    batch.put(times, longKey(lastTimestamp), longKey(lastPosition));
                    lastTimestamp = -1;
                }
                batch.put(meta, VERSION_KEY, longKey(FORMAT_VERSION));
                batch.put(meta, POSITION_KEY, longKey(journalSequence));
                batch.put(meta, COVERED_KEY, longKey(engineTimestamp));
                db.write(writeOptions, batch);
                batch.clear();
                count = 0;
                position = journalSequence;
                coveredTimestamp = engineTimestamp;
            }
            catch (final RocksDBException ex)
            {
                throw new RecordException("cannot write the record: " + ex.getMessage(), ex);
            }
        }

        private void putBlock() throws RocksDBException
        {
            if (blockLength > 0)
            {
                keyBuffer.putLong(0, blockKey, ByteOrder.BIG_ENDIAN);
                put(transfers, 8, block, blockLength);
                blockLength = 0;
            }
        }

        private void put(final ColumnFamilyHandle family, final int keyLength, final int valueLength)
            throws RocksDBException
        {
            put(family, keyLength, value, valueLength);
        }

        /**
         * Puts the first {@code keyLength} bytes of {@link #key} and {@code valueLength} of {@code from}.
         */
        private void put(
            final ColumnFamilyHandle family, final int keyLength, final ByteBuffer from, final int valueLength)
            throws RocksDBException
        {
            key.clear().limit(keyLength);
            from.clear().limit(valueLength);
            batch.put(family, key, from);
        }

        @Override
        public void close()
        {
            batch.close();
        }

        /**
         * The account entries of one write, grouped per account at commit: one value per account, in account order
         * (fewer inserts, each close to the one before), each group in position order. Arrays that only grow, and a
         * primitive map: nothing allocated once they have grown to a write's size.
         */
        private final class AccountGroups
        {
            private final ExpandableArrayBuffer entries = new ExpandableArrayBuffer(1 << 16);
            private final Long2LongHashMap slotOf = new Long2LongHashMap(-1);
            private int[] next = new int[1024];
            private int[] head = new int[256];
            private int[] tail = new int[256];
            private long[] accountIds = new long[256];
            private int entryCount;
            private int accountCount;
            private ByteBuffer group = ByteBuffer.allocateDirect(64 * AccountEntry.LENGTH);
            private UnsafeBuffer groupBuffer = new UnsafeBuffer(group);

            /**
             * One entry per account the transfer names that exists, with every part it plays in it.
             */
            void add(final long position, final AppliedTransfer transfer)
            {
                for (int account = AppliedTransfer.DEBIT; account <= AppliedTransfer.FEE; account++)
                {
                    final long id = AccountEntry.accountId(transfer, account);
                    if (transfer.hasAccount(account) && !AccountEntry.namedBefore(transfer, account, id))
                    {
                        addEntry(id, position, transfer, account);
                    }
                }
            }

            private void addEntry(final long id, final long position, final AppliedTransfer transfer, final int account)
            {
                final int entry = entryCount++;
                if (entry == next.length)
                {
                    next = Arrays.copyOf(next, 2 * entry);
                }
                AccountEntry.write(entries, entry * AccountEntry.LENGTH, position, transfer, account, id);
                next[entry] = -1;
                final int slot = (int)slotOf.get(id);
                if (slot < 0)
                {
                    newAccount(id, entry);
                }
                else
                {
                    next[tail[slot]] = entry;
                    tail[slot] = entry;
                }
            }

            private void newAccount(final long id, final int entry)
            {
                final int slot = accountCount++;
                if (slot == head.length)
                {
                    head = Arrays.copyOf(head, 2 * slot);
                    tail = Arrays.copyOf(tail, 2 * slot);
                    accountIds = Arrays.copyOf(accountIds, 2 * slot);
                }
                head[slot] = entry;
                tail[slot] = entry;
                accountIds[slot] = id;
                slotOf.put(id, slot);
            }

            void putAll() throws RocksDBException
            {
                // The slots are found through the map, so the ids can be sorted where they are.
                Arrays.sort(accountIds, 0, accountCount);
                for (int i = 0; i < accountCount; i++)
                {
                    final long id = accountIds[i];
                    int length = 0;
                    final int slot = (int)slotOf.get(id);
                    for (int entry = head[slot]; entry >= 0; entry = next[entry])
                    {
                        ensureGroup(length + AccountEntry.LENGTH);
                        groupBuffer.putBytes(length, entries, entry * AccountEntry.LENGTH, AccountEntry.LENGTH);
                        length += AccountEntry.LENGTH;
                    }
                    keyBuffer.putLong(0, id, ByteOrder.BIG_ENDIAN);
                    keyBuffer.putLong(ACCOUNT_LENGTH, groupBuffer.getLong(0, ByteOrder.BIG_ENDIAN),
                        ByteOrder.BIG_ENDIAN);
                    put(accounts, ACCOUNT_LENGTH + 8, group, length);
                }
                slotOf.clear();
                entryCount = 0;
                accountCount = 0;
            }

            private void ensureGroup(final int length)
            {
                if (length > group.capacity())
                {
                    group = ByteBuffer.allocateDirect(Math.max(length, 2 * group.capacity()));
                    final UnsafeBuffer grown = new UnsafeBuffer(group);
                    grown.putBytes(0, groupBuffer, 0, length - AccountEntry.LENGTH);
                    groupBuffer = grown;
                }
            }
        }
    }

    /**
     * Flushes ({@link #flush()}) and closes.
     */
    @Override
    public void close()
    {
        flush();
        closeHandles();
    }

    private void closeHandles()
    {
        for (final ColumnFamilyHandle handle : handles)
        {
            handle.close();
        }
        db.close();
        options.close();
        writeOptions.close();
        for (final ColumnFamilyOptions family : familyOptions)
        {
            family.close();
        }
    }

    private long readPosition() throws RocksDBException
    {
        final byte[] version = db.get(meta, VERSION_KEY);
        if (version != null && ByteBuffer.wrap(version).getLong() != FORMAT_VERSION)
        {
            throw new RecordException("the record in " + directory + " has format version " +
                ByteBuffer.wrap(version).getLong() + "; this build reads version " + FORMAT_VERSION);
        }
        final byte[] at = db.get(meta, POSITION_KEY);
        return at == null ? 0 : ByteBuffer.wrap(at).getLong();
    }

    /**
     * @param prefixLength the length of the key prefix that reads look up (bloom filters on it), 0 for none.
     */
    private ColumnFamilyOptions family(final int prefixLength)
    {
        final ColumnFamilyOptions family = new ColumnFamilyOptions()
            .setCompressionType(CompressionType.LZ4_COMPRESSION);
        if (prefixLength > 0)
        {
            family.useFixedLengthPrefixExtractor(prefixLength);
            family.setTableFormatConfig(new BlockBasedTableConfig()
                .setFilterPolicy(new BloomFilter(10))
                .setWholeKeyFiltering(false));
        }
        familyOptions.add(family);
        return family;
    }

    private static byte[] accountAt(final long accountId, final long position)
    {
        return ByteBuffer.allocate(ACCOUNT_LENGTH + 8).order(ByteOrder.BIG_ENDIAN).putLong(accountId).putLong(position)
            .array();
    }

    private static byte[] idAt(final long hi, final long lo, final long position)
    {
        return ByteBuffer.allocate(ID_LENGTH + 8).order(ByteOrder.BIG_ENDIAN).putLong(hi).putLong(lo).putLong(position)
            .array();
    }

    private static byte[] idKey(final long hi, final long lo)
    {
        return ByteBuffer.allocate(ID_LENGTH).order(ByteOrder.BIG_ENDIAN).putLong(hi).putLong(lo).array();
    }

    private static byte[] longKey(final long value)
    {
        return ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putLong(value).array();
    }

    private static byte[] bytes(final String name)
    {
        return name.getBytes(StandardCharsets.US_ASCII);
    }

    private static boolean startsWith(final byte[] key, final byte[] prefix)
    {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }
}
