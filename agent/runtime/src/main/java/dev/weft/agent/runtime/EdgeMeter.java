package dev.weft.agent.runtime;

import com.google.protobuf.ByteString;
import dev.weft.api.runtime.v1.EdgeCounters;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Counters of one call edge, at the caller: calls, errors, payload bytes and a latency histogram (µs). */
public final class EdgeMeter {

    /** Latencies are recorded in microseconds up to an hour, with 2 significant digits (1 % resolution). */
    static final long HIGHEST_MICROS = 3_600_000_000L;

    static final int SIGNIFICANT_DIGITS = 2;

    private final String caller;
    private final String callee;
    private final LongAdder calls = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final Recorder latency = new Recorder(HIGHEST_MICROS, SIGNIFICANT_DIGITS);
    private final AtomicLong sequence = new AtomicLong();

    EdgeMeter(String caller, String callee) {
        this.caller = caller;
        this.callee = callee;
    }

    /** True for one call in {@code every}: local calls are sized (encoded, then dropped) only when sampled. */
    boolean sample(int every) {
        return sequence.getAndIncrement() % every == 0;
    }

    void record(long wallNanos, long payloadBytes, boolean failed) {
        calls.increment();
        bytes.add(payloadBytes);
        if (failed) {
            errors.increment();
        }
        latency.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, wallNanos / 1_000)));
    }

    EdgeCounters drain() {
        Histogram interval = latency.getIntervalHistogram();
        ByteBuffer buffer = ByteBuffer.allocate(interval.getNeededByteBufferCapacity());
        int length = interval.encodeIntoCompressedByteBuffer(buffer);
        buffer.flip();
        return EdgeCounters.newBuilder()
                .setCaller(caller)
                .setCallee(callee)
                .setCalls(calls.sumThenReset())
                .setErrors(errors.sumThenReset())
                .setBytes(bytes.sumThenReset())
                .setLatencyHistogram(ByteString.copyFrom(buffer.array(), 0, length))
                .build();
    }
}
