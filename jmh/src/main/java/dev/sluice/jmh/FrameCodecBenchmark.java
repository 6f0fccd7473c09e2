package dev.sluice.jmh;

import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

import dev.sluice.codec.FrameCodec;
import dev.sluice.codec.LengthPrefixedFrameCodec;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cutting a read's worth of 64-byte frames out of a receive buffer with the default codec: the per-frame cost of
 * framing on the loop thread. Run with {@code -prof gc} to see 0 B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/jdk.internal.misc=ALL-UNNAMED"})
public class FrameCodecBenchmark
{
    /** Frames per simulated read. */
    @Param({"1", "16"})
    public int framesPerRead;

    private final FrameCodec codec = new LengthPrefixedFrameCodec(ByteOrder.BIG_ENDIAN, 64 * 1024 - 4, false);
    private UnsafeBuffer buffer;
    private int bytes;

    /** Fills the buffer with {@link #framesPerRead} frames of 64 bytes. */
    @Setup
    public void setUp()
    {
        buffer = new UnsafeBuffer(new byte[64 * 1024]);
        int offset = 0;
        for (int i = 0; i < framesPerRead; i++)
        {
            codec.encodeHeader(buffer, offset, 64);
            offset += 4 + 64;
        }
        bytes = offset;
    }

    /**
     * Decodes every frame of one read.
     *
     * @return a checksum of payload offsets, so nothing is optimised away.
     */
    @Benchmark
    public long decodeOneRead()
    {
        long sum = 0;
        int offset = 0;
        while (offset < bytes)
        {
            final int frame = codec.frameLength(buffer, offset, bytes - offset);
            sum += offset + codec.headerLength();
            offset += frame;
        }
        return sum;
    }
}
