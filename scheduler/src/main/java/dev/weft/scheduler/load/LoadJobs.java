package dev.weft.scheduler.load;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the writer on one dedicated thread and the retention job on another, so database work never runs
 * on an agent's stream and a long compaction never holds up flushes. On shutdown it writes everything
 * still in memory, after the servers that feed it have stopped (it stops late and starts early).
 */
@Component
@EnableConfigurationProperties(LoadProperties.class)
class LoadJobs implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LoadJobs.class);

    private final LoadWriter writer;
    private final LoadRetention retention;
    private final LoadProperties properties;
    private @Nullable ScheduledExecutorService executor;
    private @Nullable ScheduledExecutorService retentionExecutor;
    /** Ticks so far; cadences count ticks rather than read the clock, so a test's frozen clock cannot stall them. */
    private long ticks;

    LoadJobs(LoadWriter writer, LoadRetention retention, LoadProperties properties) {
        this.writer = writer;
        this.retention = retention;
        this.properties = properties;
    }

    @Override
    public synchronized void start() {
        ScheduledExecutorService started = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("weft-load-writer").daemon(true).factory());
        ScheduledExecutorService compactor = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("weft-load-retention").daemon(true).factory());
        if (properties.scheduled()) {
            long every = properties.flushInterval().toMillis();
            // the tasks catch and log their own failures; the futures would only be needed to cancel them,
            // which shutting the executors down does
            var unusedTick = started.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
            long retentionEvery = properties.retentionInterval().toMillis();
            var unusedCompaction =
                    compactor.scheduleWithFixedDelay(this::compact, every, retentionEvery, TimeUnit.MILLISECONDS);
        }
        executor = started;
        retentionExecutor = compactor;
    }

    private void tick() {
        long tick = ticks++;
        try {
            writer.flush(tick % every(properties.openFlushInterval()) == 0);
        } catch (RuntimeException e) {
            // keep the schedule alive: a failed run is retried on the next tick
            log.warn("Load write failed; retrying on the next tick", e);
        }
    }

    private void compact() {
        try {
            retention.run();
        } catch (RuntimeException e) {
            log.warn("Load retention failed; retrying at the next interval", e);
        }
    }

    /** How many flush ticks make up the given interval (at least one). */
    private long every(java.time.Duration interval) {
        return Math.max(1, interval.toMillis() / properties.flushInterval().toMillis());
    }

    @Override
    public synchronized void stop() {
        ScheduledExecutorService running = executor;
        executor = null;
        if (retentionExecutor != null) {
            retentionExecutor.shutdown(); // a compaction under way finishes its transaction
            retentionExecutor = null;
        }
        if (running == null) {
            return;
        }
        running.shutdown();
        try {
            if (!running.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("Load writer did not finish within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            int rows = writer.flush(true);
            log.info("Wrote the last {} load rows before shutdown", rows);
        } catch (RuntimeException e) {
            log.warn("Could not write the last load rows before shutdown", e);
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }

    @Override
    public int getPhase() {
        // below the web and gRPC servers' phases: started before them, stopped after them
        return DEFAULT_PHASE - 8192;
    }
}
