package dev.weft.scheduler.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.registry.Registry;
import dev.weft.scheduler.registry.Registry.RegisteredVersion;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.List;
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
        sink.offer(new LoadReport("agent-x", clock.instant(), 1,
                List.of(new LoadReport.ComponentSample(Long.MAX_VALUE, 1, 1, 1, 1, 0, 0)),
                List.of(new LoadReport.EdgeSample(Long.MAX_VALUE, 1, 2, 1, 1, 1, 1, 0))));
        assertThat(api.delete("/api/v1/applications/" + app + "/versions/v1").status()).isEqualTo(204);
        double failuresBefore = meters.get("weft.load.write.failures").counter().count();

        writer.flush(true);

        assertThat(meters.get("weft.load.write.failures").counter().count()).isEqualTo(failuresBefore);
        assertThat(buffer.pendingEntries()).isZero();
        assertThat(jdbc.sql("select count(*) from component_load where version_id in (?, ?)")
                .params(doomed.id(), Long.MAX_VALUE).query(Long.class).single()).isZero();
        var load = queries.window(kept.id(), start, start.plusSeconds(10));
        assertThat(load.components()).hasSize(20);
        assertThat(load.edges()).hasSize(40);
        assertThat(load.components().getFirst().samples()).isEqualTo(4);
    }
}
