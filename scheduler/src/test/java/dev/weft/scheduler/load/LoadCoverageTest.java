package dev.weft.scheduler.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.load.LoadReport.ComponentSample;
import dev.weft.scheduler.load.LoadReport.EdgeSample;
import dev.weft.scheduler.registry.Registry;
import dev.weft.scheduler.registry.Registry.RegisteredVersion;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Rates are averaged over the time the reports cover, as a Prometheus user expects, not over the whole window;
 * every component figure comes per replica and for the whole component; and no report can make a figure
 * non-finite (issue 9.3, 10.8).
 */
@LoadIngestionTest
class LoadCoverageTest {

    private static final Instant T0 = Instant.parse("2031-03-01T00:00:00Z");

    @LocalServerPort
    int port;

    @Autowired
    LoadSink sink;

    @Autowired
    LoadWriter writer;

    @Autowired
    LoadRetention retention;

    @Autowired
    Registry registry;

    @Autowired
    MutableClock clock;

    HttpApi api;
    String app;
    RegisteredVersion version;
    long a;
    long b;

    @BeforeEach
    void setUp() {
        api = new HttpApi(port);
        clock.set(T0);
        writer.flush(true);
        app = LoadTestSupport.newApplication(api);
        version = LoadTestSupport.register(api, registry, app, "v1", 2, 1);
        a = LoadTestSupport.id(version, "c0");
        b = LoadTestSupport.id(version, "c1");
    }

    private void report(
            String agent, int atSecond, double interval, double cpu, double memory, double rps, double inFlight) {
        clock.set(T0.plusSeconds(atSecond));
        sink.offer(new LoadReport(
                agent,
                clock.instant(),
                interval,
                List.of(new ComponentSample(version.id(), a, cpu, memory, rps, 0, inFlight)),
                List.of(new EdgeSample(version.id(), a, b, rps, rps * 100, 2, 8, 0))));
    }

    private JsonNode load(int fromSecond, int toSecond) {
        writer.flush(true);
        HttpApi.Response load = api.get("/api/v1/applications/" + app + "/versions/v1/load?from="
                + T0.plusSeconds(fromSecond) + "&to=" + T0.plusSeconds(toSecond));
        assertThat(load.status()).as(load.body()).isEqualTo(200);
        return load.json();
    }

    private static JsonNode component(JsonNode load, String name) {
        for (JsonNode c : load.get("components")) {
            if (c.get("component").asString().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no component " + name + " in " + load);
    }

    @Test
    void aWindowOnlyPartlyCoveredReadsTheRateOfTheCoveredPart() {
        // the agent appears 21 s into a one-minute window and reports every 10 s
        report("late", 31, 10, 0.25, 100, 50, 1);
        report("late", 41, 10, 0.25, 100, 50, 1);
        report("late", 51, 10, 0.25, 100, 50, 1);
        JsonNode c0 = component(load(0, 60), "c0");
        assertThat(c0.get("cpuCores").asDouble()).isCloseTo(0.25, within(1e-9));
        assertThat(c0.get("requestsPerSecond").asDouble()).isCloseTo(50, within(1e-9));
        assertThat(c0.get("coveredSeconds").asDouble()).isCloseTo(30, within(1e-6));
        assertThat(c0.get("samples").asLong()).isEqualTo(3);
        JsonNode edge = load(0, 60).get("edges").get(0);
        assertThat(edge.get("callsPerSecond").asDouble()).isCloseTo(50, within(1e-9));
        assertThat(edge.get("coveredSeconds").asDouble()).isCloseTo(30, within(1e-6));
        // a component without reports reads zeros, covering nothing
        assertThat(component(load(0, 60), "c1").get("coveredSeconds").asDouble())
                .isZero();
    }

    @Test
    void aStretchWithoutReportsIsNotAveragedInAsZeroLoad() {
        report("gappy", 11, 10, 1, 100, 10, 1);
        report("gappy", 51, 10, 1, 100, 10, 1); // silent from 11 s to 41 s
        JsonNode c0 = component(load(0, 60), "c0");
        assertThat(c0.get("coveredSeconds").asDouble()).isCloseTo(20, within(1e-6));
        assertThat(c0.get("cpuCores").asDouble()).isCloseTo(1, within(1e-9));
    }

    @Test
    void replicasGiveFiguresPerReplicaAndForTheWholeComponent() {
        report("replica-1", 12, 10, 0.5, 100, 20, 2);
        report("replica-2", 12, 10, 1.5, 300, 30, 6);
        JsonNode c0 = component(load(0, 60), "c0");
        // whole component
        assertThat(c0.get("cpuCores").asDouble()).isCloseTo(2, within(1e-9));
        assertThat(c0.get("requestsPerSecond").asDouble()).isCloseTo(50, within(1e-9));
        assertThat(c0.get("memoryMiBTotal").asDouble()).isCloseTo(400, within(1e-9));
        assertThat(c0.get("inFlightTotal").asDouble()).isCloseTo(8, within(1e-9));
        assertThat(c0.get("replicas").asDouble()).isCloseTo(2, within(1e-9));
        // per replica
        assertThat(c0.get("memoryMiB").asDouble()).isEqualTo(300);
        assertThat(c0.get("inFlight").asDouble()).isEqualTo(6);
        assertThat(c0.get("memoryMiBPerReplica").asDouble()).isCloseTo(200, within(1e-9));
        assertThat(c0.get("cpuCoresPerReplica").asDouble()).isCloseTo(1, within(1e-9));
        assertThat(c0.get("coveredSeconds").asDouble()).isCloseTo(10, within(1e-6));
    }

    @Test
    void coverageSurvivesCompaction() {
        report("kept", 31, 10, 0.25, 100, 50, 1);
        report("kept", 41, 10, 0.25, 100, 50, 1);
        writer.flush(true);
        // two hours on, past the one-hour retention: the 10 s buckets are folded into one of 5 minutes
        clock.set(T0.plusSeconds(7200));
        assertThat(retention.run().rawRowsCompacted()).isPositive();
        JsonNode c0 = component(load(0, 300), "c0");
        assertThat(c0.get("coveredSeconds").asDouble()).isCloseTo(20, within(1e-6));
        assertThat(c0.get("cpuCores").asDouble()).isCloseTo(0.25, within(1e-9));
        assertThat(c0.get("memoryMiBTotal").asDouble()).isCloseTo(100, within(1e-9));
    }

    @Test
    void figuresThatWouldOverflowStillReadAsFiniteNumbers() {
        report("huge", 11, 3600, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE);
        report("huge", 12, 3600, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE);
        JsonNode load = load(0, 60);
        for (JsonNode list : List.of(load.get("components"), load.get("edges"))) {
            for (JsonNode item : list) {
                for (var field : item.properties()) {
                    if (!field.getValue().isString()) {
                        assertThat(field.getValue().isNumber())
                                .as(load.toString())
                                .isTrue();
                        assertThat(Double.isFinite(field.getValue().asDouble()))
                                .as(load.toString())
                                .isTrue();
                    }
                }
            }
        }
    }
}
