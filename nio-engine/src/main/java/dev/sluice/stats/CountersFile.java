package dev.sluice.stats;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

import dev.sluice.buffers.DirectMemory;
import org.agrona.BitUtil;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

/**
 * Where an engine's counters live: a direct buffer in the process, or a memory-mapped file that another process
 * (see {@link CountersPrinter}) reads while the engine runs.
 * <p>
 * Layout: a 64-byte header (magic, version, metadata length, values length, writer pid), then the Agrona
 * {@link CountersReader} metadata region, then the values region. Each region starts on a cache line.
 */
public final class CountersFile implements AutoCloseable
{
    static final int MAGIC = 0x534C4349; // "SLCI"
    static final int VERSION = 1;
    static final int HEADER_LENGTH = BitUtil.CACHE_LINE_LENGTH;
    private static final int MAGIC_OFFSET = 0;
    private static final int VERSION_OFFSET = 4;
    private static final int META_LENGTH_OFFSET = 8;
    private static final int VALUES_LENGTH_OFFSET = 12;
    private static final int PID_OFFSET = 16;

    private final ByteBuffer backing;
    private final ByteBuffer raw;
    private final boolean mapped;
    private final UnsafeBuffer metaData;
    private final UnsafeBuffer values;

    private CountersFile(
        final ByteBuffer backing, final ByteBuffer raw, final boolean mapped, final int metaLength,
        final int valuesLength)
    {
        this.backing = backing;
        this.raw = raw;
        this.mapped = mapped;
        this.metaData = new UnsafeBuffer(backing, HEADER_LENGTH, metaLength);
        this.values = new UnsafeBuffer(backing, HEADER_LENGTH + metaLength, valuesLength);
    }

    /**
     * Creates counter storage for up to {@code maxCounters} counters.
     *
     * @param file        the file to create (replacing an old one), or null for process-local memory.
     * @param maxCounters how many counters it must hold.
     * @return the storage; close it to unmap or free it.
     */
    public static CountersFile create(final Path file, final int maxCounters)
    {
        final int valuesLength = maxCounters * CountersReader.COUNTER_LENGTH;
        final int metaLength = maxCounters * CountersReader.METADATA_LENGTH;
        final int total = HEADER_LENGTH + metaLength + valuesLength;
        final ByteBuffer backing;
        final ByteBuffer raw;
        if (file == null)
        {
            raw = DirectMemory.allocate(total);
            backing = DirectMemory.aligned(raw, total);
        }
        else
        {
            final File f = file.toFile();
            IoUtil.deleteIfExists(f);
            backing = IoUtil.mapNewFile(f, total, true);
            raw = backing;
        }
        final UnsafeBuffer header = new UnsafeBuffer(backing, 0, HEADER_LENGTH);
        header.putInt(VERSION_OFFSET, VERSION);
        header.putInt(META_LENGTH_OFFSET, metaLength);
        header.putInt(VALUES_LENGTH_OFFSET, valuesLength);
        header.putLong(PID_OFFSET, ProcessHandle.current().pid());
        header.putIntVolatile(MAGIC_OFFSET, MAGIC); // last: a reader that sees the magic sees the lengths
        return new CountersFile(backing, raw, file != null, metaLength, valuesLength);
    }

    /**
     * Maps an existing counters file for reading, e.g. from another process.
     *
     * @param file the file an engine created.
     * @return the mapped storage; close it to unmap.
     * @throws IllegalStateException if the file is not a Sluice counters file.
     */
    public static CountersFile open(final Path file)
    {
        final MappedByteBuffer backing = IoUtil.mapExistingFile(file.toFile(), "sluice counters");
        final UnsafeBuffer header = new UnsafeBuffer(backing, 0, HEADER_LENGTH);
        if (header.getIntVolatile(MAGIC_OFFSET) != MAGIC || header.getInt(VERSION_OFFSET) != VERSION)
        {
            IoUtil.unmap(backing);
            throw new IllegalStateException(file + " is not a Sluice counters file (version " + VERSION + ")");
        }
        return new CountersFile(backing, backing, true,
            header.getInt(META_LENGTH_OFFSET), header.getInt(VALUES_LENGTH_OFFSET));
    }

    /** @return the counters metadata region (types, labels). */
    public UnsafeBuffer metaData()
    {
        return metaData;
    }

    /** @return the counters values region. */
    public UnsafeBuffer values()
    {
        return values;
    }

    /** @return a reader over this storage. */
    public CountersReader reader()
    {
        return new CountersReader(metaData, values);
    }

    /** @return the process id of the engine that created the storage. */
    public long writerPid()
    {
        return new UnsafeBuffer(backing, 0, HEADER_LENGTH).getLong(PID_OFFSET);
    }

    @Override
    public void close()
    {
        if (mapped)
        {
            IoUtil.unmap(raw);
        }
        else
        {
            DirectMemory.free(raw);
        }
    }
}
