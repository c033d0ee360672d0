package dev.weft.scheduler.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.registry.Registry;
import dev.weft.scheduler.registry.Registry.RegisteredVersion;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Retention 1 h, compacted buckets of 5 min kept 1 day (see {@link LoadIngestionTest}). */
@LoadIngestionTest
class LoadRetentionTest {

    private static final Instant T = Instant.parse("2030-06-01T00:00:00Z");

    @LocalServerPort
    int port;

    @Autowired
    LoadSink sink;

    @Autowired
    LoadWriter writer;

    @Autowired
    LoadRetention retention;

    @Autowired
    LoadQueries queries;

    @Autowired
    Registry registry;

    @Autowired
    MutableClock clock;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    javax.sql.DataSource dataSource;

    @Test
    void oldRawBucketsAreCompactedWithoutChangingRatesThenDeleted() {
        HttpApi api = new HttpApi(port);
        clock.set(T);
        writer.flush(true);
        RegisteredVersion version =
                LoadTestSupport.register(api, registry, LoadTestSupport.newApplication(api), "v1", 2, 1);
        long a = version.components().getFirst().id();
        long b = version.components().getLast().id();
        // six minutes of one report per 10 s bucket, with figures that change from bucket to bucket
        for (int i = 0; i < 36; i++) {
            clock.set(T.plusSeconds(10L * i + 1));
            sink.offer(new LoadReport(
                    "agent-1",
                    clock.instant(),
                    10,
                    List.of(new LoadReport.ComponentSample(version.id(), a, 0.1 * i, 100 + i, i, 0.5, i % 7)),
                    List.of(new LoadReport.EdgeSample(version.id(), a, b, i + 1, 100, i, 2 * i, 0.25))));
        }
        writer.flush(true);
        var before = queries.window(version.id(), T, T.plus(Duration.ofMinutes(6)));
        var firstFiveBefore = queries.window(version.id(), T, T.plus(Duration.ofMinutes(5)));
        assertThat(rows(version, 10)).isEqualTo(36);

        // 1 h 5 min later, the first five minutes are past retention: they become one 5 min bucket
        clock.set(T.plus(Duration.ofMinutes(65)).plusSeconds(1));
        retention.run();
        assertThat(rows(version, 300)).isEqualTo(1);
        assertThat(rows(version, 10)).as("the sixth minute is still raw").isEqualTo(6);
        assertSame(queries.window(version.id(), T, T.plus(Duration.ofMinutes(6))), before);
        assertSame(queries.window(version.id(), T, T.plus(Duration.ofMinutes(5))), firstFiveBefore);

        // running again changes nothing
        retention.run();
        assertSame(queries.window(version.id(), T, T.plus(Duration.ofMinutes(6))), before);

        // past the compacted retention (1 day) everything is gone
        clock.set(T.plus(Duration.ofDays(1)).plus(Duration.ofMinutes(7)));
        retention.run();
        assertThat(rows(version, 10) + rows(version, 300)).isZero();
        assertThat(queries.window(version.id(), T, T.plus(Duration.ofMinutes(6)))
                        .components())
                .isEmpty();
    }

    @Test
    void whileAnotherNodeCompactsThisOneSkipsItsTurnSoNoBucketIsCountedTwice() throws Exception {
        HttpApi api = new HttpApi(port);
        Instant t = T.plus(Duration.ofDays(10));
        clock.set(t);
        writer.flush(true);
        RegisteredVersion version =
                LoadTestSupport.register(api, registry, LoadTestSupport.newApplication(api), "v1", 2, 1);
        long a = version.components().getFirst().id();
        long b = version.components().getLast().id();
        for (int i = 0; i < 30; i++) {
            clock.set(t.plusSeconds(10L * i + 1));
            sink.offer(new LoadReport(
                    "agent-1",
                    clock.instant(),
                    10,
                    List.of(new LoadReport.ComponentSample(version.id(), a, 0.2, 100, 5, 0, 1)),
                    List.of(new LoadReport.EdgeSample(version.id(), a, b, 3, 100, 1, 2, 0))));
        }
        writer.flush(true);
        var before = queries.window(version.id(), t, t.plus(Duration.ofMinutes(5)));
        clock.set(t.plus(Duration.ofMinutes(65)));

        try (java.sql.Connection otherNode = dataSource.getConnection()) {
            otherNode.setAutoCommit(false);
            try (var statement = otherNode.prepareStatement("select pg_advisory_xact_lock(?)")) {
                statement.setLong(1, LoadRetention.ADVISORY_LOCK);
                statement.execute();
            }
            assertThat(retention.run())
                    .as("the other node holds the compaction lock")
                    .isEqualTo(new LoadRetention.Outcome(0, 0));
            assertThat(rows(version, 10)).isEqualTo(30);
            otherNode.rollback();
        }
        assertThat(retention.run().rawRowsCompacted()).isPositive();
        assertThat(rows(version, 10)).isZero();
        assertThat(rows(version, 300)).isEqualTo(1);
        assertSame(queries.window(version.id(), t, t.plus(Duration.ofMinutes(5))), before);
    }

    private long rows(RegisteredVersion version, int bucketSeconds) {
        return jdbc.sql("""
                select (select count(*) from component_load where version_id = ? and bucket_seconds = ?)
                     + (select count(*) from edge_load where version_id = ? and bucket_seconds = ?)""")
                        .params(version.id(), bucketSeconds, version.id(), bucketSeconds)
                        .query(Long.class)
                        .single()
                / 2;
    }

    private static void assertSame(LoadQueries.WindowLoad actual, LoadQueries.WindowLoad expected) {
        assertThat(actual.components()).hasSameSizeAs(expected.components());
        for (int i = 0; i < expected.components().size(); i++) {
            var e = expected.components().get(i);
            var c = actual.components().get(i);
            assertThat(c.cpuCores()).isCloseTo(e.cpuCores(), within(1e-9));
            assertThat(c.requestsPerSecond()).isCloseTo(e.requestsPerSecond(), within(1e-9));
            assertThat(c.errorsPerSecond()).isCloseTo(e.errorsPerSecond(), within(1e-9));
            assertThat(c.memoryMiB()).isEqualTo(e.memoryMiB());
            assertThat(c.inFlight()).isEqualTo(e.inFlight());
            assertThat(c.samples()).isEqualTo(e.samples());
        }
        var e = expected.edges().getFirst();
        var c = actual.edges().getFirst();
        assertThat(c.callsPerSecond()).isCloseTo(e.callsPerSecond(), within(1e-9));
        assertThat(c.bytesPerSecond()).isCloseTo(e.bytesPerSecond(), within(1e-9));
        assertThat(c.latencyP50Ms()).isCloseTo(e.latencyP50Ms(), within(1e-9));
        assertThat(c.latencyP99Ms()).isEqualTo(e.latencyP99Ms());
        assertThat(c.samples()).isEqualTo(e.samples());
    }
}
