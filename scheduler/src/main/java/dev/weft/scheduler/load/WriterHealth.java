package dev.weft.scheduler.load;

import org.springframework.stereotype.Component;

/**
 * How far behind the writer is, as the sink needs to know it to answer agents: how long the running
 * write has taken so far, or else how long the last one took. Measured with {@link System#nanoTime()}
 * because it is elapsed time of real database work, not time in the model.
 */
@Component
final class WriterHealth {

    private volatile long writeStartedNanos;
    private volatile boolean writing;
    private volatile long lastWriteNanos;

    void writeStarted() {
        writeStartedNanos = System.nanoTime();
        writing = true;
    }

    void writeFinished(long tookNanos) {
        lastWriteNanos = tookNanos;
        writing = false;
    }

    long stalledNanos() {
        return writing ? Math.max(System.nanoTime() - writeStartedNanos, lastWriteNanos) : lastWriteNanos;
    }
}
