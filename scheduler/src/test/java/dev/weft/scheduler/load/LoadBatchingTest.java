package dev.weft.scheduler.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.registry.Registry;
import dev.weft.scheduler.registry.Registry.RegisteredVersion;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

@LoadIngestionTest
class LoadBatchingTest {

    @LocalServerPort
    int port;

    @Autowired
    LoadSink sink;

    @Autowired
    LoadWriter writer;

    @Autowired
    Registry registry;

    @Autowired
    MutableClock clock;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry meters;

    @Test
    void oneFlushWritesEighteenHundredRowsInFiveBatchesOfOneTransaction() {
        HttpApi api = new HttpApi(port);
        clock.set(Instant.parse("2030-03-01T00:00:00Z"));
        writer.flush(true);
        RegisteredVersion version =
                LoadTestSupport.register(api, registry, LoadTestSupport.newApplication(api), "v1", 20, 40);
        // 30 buckets x (20 components + 40 edges) = 600 component rows and 1,200 edge rows
        for (int bucket = 0; bucket < 30; bucket++) {
            for (int agent = 0; agent < 3; agent++) {
                sink.offer(LoadReports.fullReport("agent-" + agent, version, clock.instant(), 1.0));
            }
            clock.advance(Duration.ofSeconds(10));
        }
        double batchesBefore = meters.get("weft.load.batch.rows").summary().count();
        double rowsBefore = meters.get("weft.load.batch.rows").summary().totalAmount();
        long flushesBefore = meters.get("weft.load.write").timer().count();

        assertThat(writer.flush(false)).isEqualTo(1_800);

        // batch size 500: components 500 + 100, edges 500 + 500 + 200
        assertThat(meters.get("weft.load.batch.rows").summary().count() - batchesBefore)
                .isEqualTo(5);
        assertThat(meters.get("weft.load.batch.rows").summary().totalAmount() - rowsBefore)
                .isEqualTo(1_800);
        assertThat(meters.get("weft.load.write").timer().count() - flushesBefore)
                .isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from component_load where version_id = ?")
                        .param(version.id())
                        .query(Long.class)
                        .single())
                .isEqualTo(600);
        assertThat(jdbc.sql("select count(*), sum(samples) from edge_load where version_id = ?")
                        .param(version.id())
                        .query((rs, n) -> rs.getLong(1) + "/" + rs.getLong(2))
                        .single())
                .isEqualTo("1200/3600");
    }
}
