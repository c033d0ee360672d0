package dev.weft.scheduler.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.registry.Registry;
import dev.weft.scheduler.registry.Registry.RegisteredVersion;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

@LoadIngestionTest
class LoadDeletedVersionTest {

    @LocalServerPort
    int port;

    @Autowired
    LoadSink sink;

    @Autowired
    BufferedLoadSink buffer;

    @Autowired
    LoadWriter writer;

    @Autowired
    LoadQueries queries;

    @Autowired
    Registry registry;

    @Autowired
    MutableClock clock;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry meters;

    @Autowired
    DataSource dataSource;

    @Test
    void loadOfAVersionDeletedBeforeTheFlushIsSkippedAndTheRestOfTheBatchIsWritten() {
        HttpApi api = new HttpApi(port);
        Instant start = Instant.parse("2030-05-01T00:00:00Z");
        clock.set(start);
        writer.flush(true);
        String app = LoadTestSupport.newApplication(api);
        RegisteredVersion doomed = LoadTestSupport.register(api, registry, app, "v1", 20, 40);
        RegisteredVersion kept = LoadTestSupport.register(api, registry, app, "v2", 20, 40);
        for (int agent = 0; agent < 4; agent++) {
            sink.offer(LoadReports.fullReport("agent-" + agent, doomed, clock.instant(), 1));
            sink.offer(LoadReports.fullReport("agent-" + agent, kept, clock.instant(), 1));
        }
        // ids that never existed travel in the same batch too
        sink.offer(new LoadReport(
                "agent-x",
                clock.instant(),
                1,
                List.of(new LoadReport.ComponentSample(Long.MAX_VALUE, 1, 1, 1, 1, 0, 0)),
                List.of(new LoadReport.EdgeSample(Long.MAX_VALUE, 1, 2, 1, 1, 1, 1, 0))));
        assertThat(api.delete("/api/v1/applications/" + app + "/versions/v1").status())
                .isEqualTo(204);
        double failuresBefore = meters.get("weft.load.write.failures").counter().count();

        writer.flush(true);

        assertThat(meters.get("weft.load.write.failures").counter().count()).isEqualTo(failuresBefore);
        assertThat(buffer.pendingEntries()).isZero();
        assertThat(jdbc.sql("select count(*) from component_load where version_id in (?, ?)")
                        .params(doomed.id(), Long.MAX_VALUE)
                        .query(Long.class)
                        .single())
                .isZero();
        var load = queries.window(kept.id(), start, start.plusSeconds(10));
        assertThat(load.components()).hasSize(20);
        assertThat(load.edges()).hasSize(40);
        assertThat(load.components().getFirst().samples()).isEqualTo(4);
    }

    @Test
    void aVersionDeletedWhileTheMergeRunsCostsOneRetryNotTheFlush() throws Exception {
        HttpApi api = new HttpApi(port);
        Instant start = Instant.parse("2030-05-02T00:00:00Z");
        clock.set(start);
        writer.flush(true);
        String app = LoadTestSupport.newApplication(api);
        RegisteredVersion doomed = LoadTestSupport.register(api, registry, app, "v1", 20, 40);
        RegisteredVersion kept = LoadTestSupport.register(api, registry, app, "v2", 20, 40);
        sink.offer(LoadReports.fullReport("agent-1", doomed, clock.instant(), 1));
        sink.offer(LoadReports.fullReport("agent-1", kept, clock.instant(), 1));
        double retriesBefore = meters.get("weft.load.write.retries").counter().count();
        double failuresBefore = meters.get("weft.load.write.failures").counter().count();

        CompletableFuture<Integer> flush;
        try (Connection deleter = dataSource.getConnection()) {
            // Deleted but not yet committed: the merge still sees the version, then waits on its row lock.
            deleter.setAutoCommit(false);
            try (Statement statement = deleter.createStatement()) {
                statement.executeUpdate("delete from versions where id = " + doomed.id());
            }
            flush = CompletableFuture.supplyAsync(() -> writer.flush(true));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (jdbc.sql("select count(*) from pg_stat_activity where wait_event_type = 'Lock'")
                            .query(Long.class)
                            .single()
                    == 0) {
                assertThat(System.nanoTime())
                        .as("the merge should wait for the deleting transaction")
                        .isLessThan(deadline);
                Thread.sleep(10);
            }
            deleter.commit();
        }

        assertThat(flush.get(10, TimeUnit.SECONDS)).isEqualTo(2 * LoadReports.samples(kept));
        assertThat(meters.get("weft.load.write.retries").counter().count() - retriesBefore)
                .isEqualTo(1);
        assertThat(meters.get("weft.load.write.failures").counter().count()).isEqualTo(failuresBefore);
        assertThat(buffer.pendingEntries()).isZero();
        var load = queries.window(kept.id(), start, start.plusSeconds(10));
        assertThat(load.components()).hasSize(20);
        assertThat(load.edges()).hasSize(40);
        assertThat(jdbc.sql("select count(*) from component_load where version_id = ?")
                        .param(doomed.id())
                        .query(Long.class)
                        .single())
                .isZero();
    }
}
