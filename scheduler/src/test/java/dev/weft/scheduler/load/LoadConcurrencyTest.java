package dev.weft.scheduler.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.registry.Registry;
import dev.weft.scheduler.registry.Registry.RegisteredVersion;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Many agents offering while the writer drains the same buckets: no sample is lost or counted twice. */
@LoadIngestionTest
class LoadConcurrencyTest {

    @LocalServerPort
    int port;

    @Autowired
    LoadSink sink;

    @Autowired
    LoadWriter writer;

    @Autowired
    LoadQueries queries;

    @Autowired
    Registry registry;

    @Autowired
    MutableClock clock;

    @Autowired
    MeterRegistry meters;

    @Test
    void samplesOfferedDuringFlushesAreWrittenExactlyOnce() throws Exception {
        HttpApi api = new HttpApi(port);
        Instant start = Instant.parse("2030-07-01T00:00:00Z");
        clock.set(start);
        writer.flush(true);
        RegisteredVersion version =
                LoadTestSupport.register(api, registry, LoadTestSupport.newApplication(api), "v1", 3, 2);
        double failuresBefore = meters.get("weft.load.write.failures").counter().count();
        int agents = 4;
        AtomicInteger flushes = new AtomicInteger();
        AtomicLong reports = new AtomicLong();
        List<CompletableFuture<Void>> running = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(agents)) {
            for (int agent = 0; agent < agents; agent++) {
                String id = "agent-" + agent;
                running.add(CompletableFuture.runAsync(
                        () -> {
                            // keep offering until the writer has drained these very buckets many times
                            long sent = 0;
                            while (sent < 1_000 || flushes.get() < 20) {
                                sink.offer(LoadReports.fullReport(id, version, start, 1));
                                sent++;
                            }
                            reports.addAndGet(sent);
                        },
                        pool));
            }
            CompletableFuture<Void> all = CompletableFuture.allOf(running.toArray(CompletableFuture[]::new));
            while (!all.isDone()) {
                writer.flush(true); // the bucket is open: every flush races with the offers
                flushes.incrementAndGet();
            }
            all.join();
        }
        writer.flush(true);
        long total = reports.get();

        // a bucket re-created while the writer takes it must not reach one merge statement twice
        assertThat(meters.get("weft.load.write.failures").counter().count()).isEqualTo(failuresBefore);
        var load = queries.window(version.id(), start, start.plusSeconds(10));
        for (var component : load.components()) {
            assertThat(component.samples()).isEqualTo(total);
            // 0.25 cores for 1 s per report, every report covering the same second: they add up over that second
            assertThat(component.coveredSeconds()).isCloseTo(1, within(1e-6));
            assertThat(component.cpuCores()).isCloseTo(0.25 * total, within(1e-6));
        }
        for (var edge : load.edges()) {
            assertThat(edge.samples()).isEqualTo(total);
            assertThat(edge.callsPerSecond()).isCloseTo(20.0 * total, within(1e-6));
        }
        assertThat(load.components()).hasSize(3);
        assertThat(load.edges()).hasSize(2);
    }
}
