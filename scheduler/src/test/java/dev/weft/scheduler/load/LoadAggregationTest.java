package dev.weft.scheduler.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.load.LoadReport.ComponentSample;
import dev.weft.scheduler.load.LoadReport.EdgeSample;
import dev.weft.scheduler.load.LoadSink.Admission;
import dev.weft.scheduler.registry.Registry;
import dev.weft.scheduler.registry.Registry.RegisteredVersion;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

@LoadIngestionTest
class LoadAggregationTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

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
    JdbcClient jdbc;

    HttpApi api;
    String app;
    RegisteredVersion version;
    long a;
    long b;
    long c;

    @BeforeEach
    void setUp() {
        api = new HttpApi(port);
        clock.set(T0);
        writer.flush(true);
        app = LoadTestSupport.newApplication(api);
        version = LoadTestSupport.register(api, registry, app, "v1", 3, 2);
        a = LoadTestSupport.id(version, "c0");
        b = LoadTestSupport.id(version, "c1");
        c = LoadTestSupport.id(version, "c2");
    }

    private LoadReport report(
            String agent,
            double interval,
            double cpu,
            double memory,
            double rps,
            double eps,
            double inFlight,
            double calls,
            double bytes,
            double p50,
            double p99,
            double edgeErrors) {
        return new LoadReport(
                agent,
                clock.instant(),
                interval,
                List.of(new ComponentSample(version.id(), a, cpu, memory, rps, eps, inFlight)),
                List.of(new EdgeSample(version.id(), a, b, calls, bytes, p50, p99, edgeErrors)));
    }

    /** Agent one reports twice a second apart, agent two once for two seconds, in another bucket. */
    private void twoAgentsReport() {
        clock.set(T0.plusSeconds(1));
        assertThat(sink.offer(report("agent-1", 1, 0.5, 100, 10, 1, 3, 100, 1000, 4, 10, 0.5))
                        .admission())
                .isEqualTo(Admission.ACCEPTED);
        // written while its bucket is still open: the rest of the bucket must add to it, not replace it
        assertThat(writer.flush(true)).isEqualTo(2);
        clock.set(T0.plusSeconds(2));
        assertThat(sink.offer(report("agent-1", 1, 0.5, 100, 10, 1, 3, 100, 1000, 4, 10, 0.5))
                        .admission())
                .isEqualTo(Admission.ACCEPTED);
        clock.set(T0.plusSeconds(15));
        assertThat(sink.offer(report("agent-2", 2, 1.0, 300, 20, 0, 1, 50, 2000, 10, 30, 0))
                        .admission())
                .isEqualTo(Admission.ACCEPTED);
        clock.set(T0.plusSeconds(25));
        writer.flush(true);
    }

    @Test
    void reportsOfTwoAgentsAddUpToExactRatesOverTheTimeTheyCover() {
        twoAgentsReport();

        LoadQueries.WindowLoad load = queries.window(version.id(), T0, T0.plusSeconds(60));
        assertThat(load.components()).hasSize(1);
        LoadQueries.ComponentLoad comp = load.components().getFirst();
        assertThat(comp.componentId()).isEqualTo(a);
        // core-seconds 0.5 + 0.5 + 2 x 1.0 = 3 over the 4 s the reports cover (1 + 1 + 2; nothing reported the
        // rest of the window, which is not averaged in as zero load)
        assertThat(comp.coveredSeconds()).isCloseTo(4, within(1e-6));
        assertThat(comp.cpuCores()).isCloseTo(3.0 / 4, within(1e-9));
        assertThat(comp.requestsPerSecond()).isCloseTo(60.0 / 4, within(1e-9));
        assertThat(comp.errorsPerSecond()).isCloseTo(2.0 / 4, within(1e-9));
        assertThat(comp.memoryMiB()).isEqualTo(300);
        assertThat(comp.inFlight()).isEqualTo(3);
        assertThat(comp.samples()).isEqualTo(3);

        assertThat(load.edges()).hasSize(1);
        LoadQueries.EdgeLoad edge = load.edges().getFirst();
        assertThat(edge.callerId()).isEqualTo(a);
        assertThat(edge.calleeId()).isEqualTo(b);
        assertThat(edge.callsPerSecond()).isCloseTo(300.0 / 4, within(1e-9));
        assertThat(edge.bytesPerSecond()).isCloseTo(6000.0 / 4, within(1e-9));
        assertThat(edge.errorsPerSecond()).isCloseTo(1.0 / 4, within(1e-9));
        // medians weighted by calls: (4 x 100 + 4 x 100 + 10 x 100) / 300
        assertThat(edge.latencyP50Ms()).isCloseTo(6.0, within(1e-12));
        assertThat(edge.latencyP99Ms()).isEqualTo(30);
        assertThat(edge.samples()).isEqualTo(3);

        // the bucket written in two parts is one row that holds both
        assertThat(jdbc.sql(
                                "select samples from component_load where version_id = ? and component_id = ? and bucket_start = ?")
                        .params(version.id(), a, java.sql.Timestamp.from(T0))
                        .query(Integer.class)
                        .single())
                .isEqualTo(2);
        // a narrower window: only the second bucket, whose one report covers 2 s at 1 core
        var second = queries.window(version.id(), T0.plusSeconds(10), T0.plusSeconds(20));
        assertThat(second.components().getFirst().cpuCores()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void restApiShowsTheSameRatesByNameWithIdleComponentsAtZero() {
        twoAgentsReport();

        HttpApi.Response response =
                api.get("/api/v1/applications/" + app + "/versions/v1/load?from=" + T0 + "&to=" + T0.plusSeconds(60));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode body = response.json();
        assertThat(body.get("windowSeconds").asDouble()).isEqualTo(60.0);
        JsonNode components = body.get("components");
        assertThat(components).hasSize(3);
        JsonNode c0 = find(components, "component", "c0");
        assertThat(c0.get("cpuCores").asDouble()).isCloseTo(0.75, within(1e-9));
        assertThat(c0.get("requestsPerSecond").asDouble()).isCloseTo(15.0, within(1e-9));
        assertThat(c0.get("coveredSeconds").asDouble()).isCloseTo(4.0, within(1e-6));
        assertThat(c0.get("memoryMiB").asDouble()).isEqualTo(300.0);
        assertThat(find(components, "component", "c2").get("cpuCores").asDouble())
                .isZero();
        JsonNode edge = body.get("edges").get(0);
        assertThat(edge.get("caller").asString()).isEqualTo("c0");
        assertThat(edge.get("callee").asString()).isEqualTo("c1");
        assertThat(edge.get("callsPerSecond").asDouble()).isCloseTo(75.0, within(1e-9));
        assertThat(edge.get("latencyP50Ms").asDouble()).isCloseTo(6.0, within(1e-12));
        assertThat(edge.get("latencyP99Ms").asDouble()).isEqualTo(30.0);
        assertThat(body.get("edges").get(1).get("callsPerSecond").asDouble()).isZero();

        // window=1m ends now (T0 + 25 s): it holds all three reports
        JsonNode recent = api.get("/api/v1/applications/" + app + "/versions/v1/load?window=1m")
                .json();
        assertThat(recent.get("to").asString()).isEqualTo(T0.plusSeconds(25).toString());
        assertThat(find(recent.get("components"), "component", "c0")
                        .get("samples")
                        .asLong())
                .isEqualTo(3);
    }

    @Test
    void closedBucketsAreWrittenOnEveryFlushAndOpenOnesOnlyWhenAsked() {
        clock.set(T0.plusSeconds(3));
        sink.offer(report("agent-1", 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0));
        assertThat(writer.flush(false)).as("the bucket is still open").isZero();
        clock.advance(Duration.ofSeconds(10));
        assertThat(writer.flush(false)).as("the bucket has closed").isEqualTo(2);
        assertThat(queries.window(version.id(), T0, T0.plusSeconds(10)).components())
                .hasSize(1);
    }

    @Test
    void aSampleWithAFigureThatIsNotANumberIsDroppedAndCountedWithoutSpoilingTheOthers() {
        double droppedBefore = metric("weft.load.samples.dropped");
        clock.set(T0.plusSeconds(1));
        LoadReport mixed = new LoadReport(
                "agent-1",
                clock.instant(),
                1,
                List.of(
                        new ComponentSample(version.id(), a, Double.NaN, 1, 1, 0, 0),
                        new ComponentSample(version.id(), b, 0.5, 1, 1, 0, 0)),
                List.of(
                        new EdgeSample(version.id(), a, b, -1, 1, 1, 1, 0),
                        new EdgeSample(version.id(), b, c, 10, 1, 1, Double.POSITIVE_INFINITY, 0)));
        LoadSink.Receipt receipt = sink.offer(mixed);
        assertThat(receipt.admission()).isEqualTo(Admission.SLOW_DOWN);
        assertThat(receipt.droppedSamples()).isEqualTo(3);
        writer.flush(true);

        assertThat(metric("weft.load.samples.dropped") - droppedBefore).isEqualTo(3.0);
        var load = queries.window(version.id(), T0, T0.plusSeconds(10));
        assertThat(load.components())
                .extracting(LoadQueries.ComponentLoad::componentId)
                .containsExactly(b);
        // 0.5 cores over the 1 s the report covers
        assertThat(load.components().getFirst().cpuCores()).isCloseTo(0.5, within(1e-9));
        assertThat(load.edges()).isEmpty();
    }

    @Test
    void ingestionIsMeasuredInActuatorMetrics() {
        writer.flush(true);
        double accepted = metric("weft.load.reports.accepted");
        double writes = metric("weft.load.write", "COUNT");
        double batches = metric("weft.load.batch.rows", "COUNT");
        double batchRows = metric("weft.load.batch.rows", "TOTAL");
        double rows = metric("weft.load.rows.written");
        clock.set(T0.plusSeconds(2));
        sink.offer(report("agent-1", 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0));
        sink.offer(report("agent-2", 1, 1, 1, 1, 0, 0, 1, 1, 1, 1, 0));
        assertThat(metric("weft.load.reports.accepted") - accepted).isEqualTo(2.0);
        assertThat(metric("weft.load.pending.entries"))
                .as("one component and one edge entry")
                .isEqualTo(2.0);

        int written = writer.flush(true);
        assertThat(written).isEqualTo(2);
        assertThat(metric("weft.load.pending.entries")).isZero();
        assertThat(metric("weft.load.write", "COUNT") - writes)
                .as("one timed write")
                .isEqualTo(1.0);
        assertThat(metric("weft.load.write", "TOTAL_TIME")).isPositive();
        assertThat(metric("weft.load.rows.written") - rows).isEqualTo(2.0);
        assertThat(metric("weft.load.batch.rows", "COUNT") - batches)
                .as("one COPY per table")
                .isEqualTo(2.0);
        assertThat(metric("weft.load.batch.rows", "TOTAL") - batchRows).isEqualTo(2.0);
        for (String name : List.of(
                "weft.load.reports.coalesced",
                "weft.load.reports.dropped",
                "weft.load.samples.dropped",
                "weft.load.slowdowns",
                "weft.load.write.failures",
                "weft.load.retention.compacted")) {
            assertThat(api.get("/actuator/metrics/" + name).status()).as(name).isEqualTo(200);
        }
    }

    private double metric(String name, String statistic) {
        for (JsonNode measurement : api.get("/actuator/metrics/" + name).json().get("measurements")) {
            if (measurement.get("statistic").asString().equals(statistic)) {
                return measurement.get("value").asDouble();
            }
        }
        throw new AssertionError(name + " has no " + statistic);
    }

    private double metric(String name) {
        JsonNode json = api.get("/actuator/metrics/" + name).json();
        return json.get("measurements").get(0).get("value").asDouble();
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode node : array) {
            if (node.get(field).asString().equals(value)) {
                return node;
            }
        }
        throw new AssertionError("no element with " + field + " = " + value + " in " + array);
    }
}
