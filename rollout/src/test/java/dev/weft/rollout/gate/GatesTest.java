package dev.weft.rollout.gate;

import static dev.weft.rollout.gate.Loads.compare;
import static dev.weft.rollout.gate.Loads.shop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class GatesTest {

    private static final Gate ERROR_RATE = Gate.max(Metric.ERROR_RATE, 0.01);
    private static final Gate LATENCY = Gate.max(Metric.LATENCY_P99_RATIO, 1.2);

    private static GateReading read(Gate gate, LoadComparison load) {
        return Gates.evaluate(gate, load, 500, false);
    }

    @Test
    void errorRatePassesWithEnoughRequestsOnBothVersionsOverTheSameInterval() {
        // 100 s at 6 rps is 600 requests on v2 (frontend and cart each serve them: 1200 in all)
        GateReading reading = read(ERROR_RATE, compare(shop("v2", 6, 0.008, 50), shop("v1", 60, 0.002, 50)));
        assertThat(reading.verdict()).isEqualTo(Verdict.PASS);
        assertThat(reading.newValue()).isCloseTo(0.004, within(1e-12)); // frontend's 0.8 % over both components
        assertThat(reading.oldValue()).isCloseTo(0.001, within(1e-12));
        assertThat(reading.value()).isEqualTo(reading.newValue());
        assertThat(reading.newRequests()).isEqualTo(1_200);
        assertThat(reading.oldRequests()).isEqualTo(12_000);
        assertThat(reading.newSamples()).isEqualTo(24);
        assertThat(reading.from()).isEqualTo(Loads.T0);
        assertThat(reading.detail())
                .isEqualTo("errorRate <= 0.01 passed: v2 0.004 (1200 requests) vs v1 0.001 (12000 requests)");
    }

    @Test
    void errorRateAboveItsMaxFails() {
        GateReading reading = read(ERROR_RATE, compare(shop("v2", 6, 0.05, 50), shop("v1", 60, 0.002, 50)));
        assertThat(reading.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(reading.detail())
                .isEqualTo("errorRate <= 0.01 failed: v2 0.025 (1200 requests) vs v1 0.001 (12000 requests)");
    }

    @Test
    void tooFewRequestsOnEitherSideHoldInsteadOfPassingOrFailing() {
        // 2 rps for 100 s on two components: 400 requests, short of 500
        GateReading fewNew = read(ERROR_RATE, compare(shop("v2", 2, 0.5, 50), shop("v1", 60, 0, 50)));
        assertThat(fewNew.verdict()).isEqualTo(Verdict.INSUFFICIENT_DATA);
        assertThat(fewNew.detail())
                .isEqualTo("errorRate <= 0.01 holds: it needs 500 requests on each version, v2 has 400, v1 has 12000");
        GateReading fewOld = read(ERROR_RATE, compare(shop("v2", 60, 0, 50), shop("v1", 2, 0, 50)));
        assertThat(fewOld.verdict()).isEqualTo(Verdict.INSUFFICIENT_DATA);
        GateReading nothing = read(ERROR_RATE, compare(VersionLoad.none("v2"), shop("v1", 60, 0, 50)));
        assertThat(nothing.verdict()).isEqualTo(Verdict.INSUFFICIENT_DATA);
        assertThat(nothing.newValue()).isNull();
        assertThat(nothing.detail()).contains("v2 reported nothing");
    }

    @Test
    void latencyRatioDividesTheCallsWeightedP99OfTheNewVersionByTheOld() {
        VersionLoad next = new VersionLoad(
                "v2",
                List.of(new ComponentFigures("frontend", 1, 100, 10, 0, 1, 10)),
                List.of(
                        new EdgeFigures("frontend", "cart", 9, 0, 0, 10, 100, 10),
                        new EdgeFigures("frontend", "catalog", 1, 0, 0, 10, 20, 10)));
        VersionLoad current = new VersionLoad(
                "v1",
                List.of(new ComponentFigures("frontend", 1, 100, 10, 0, 1, 10)),
                List.of(new EdgeFigures("frontend", "cart", 10, 0, 0, 10, 80, 10)));
        GateReading reading = read(LATENCY, compare(next, current));
        assertThat(reading.newValue()).isCloseTo(92.0, within(1e-9)); // (9 * 100 + 1 * 20) / 10
        assertThat(reading.oldValue()).isCloseTo(80.0, within(1e-9));
        assertThat(reading.value()).isCloseTo(1.15, within(1e-9));
        assertThat(reading.verdict()).isEqualTo(Verdict.PASS);
        assertThat(reading.newRequests()).as("calls are the evidence").isEqualTo(1_000);
        assertThat(reading.detail())
                .isEqualTo(
                        "latencyP99Ratio <= 1.2 passed: p99 v2 92 (1000 calls) vs v1 80 (1000 calls) ms, ratio 1.15");
        assertThat(read(Gate.max(Metric.LATENCY_P99_RATIO, 1.1), compare(next, current))
                        .verdict())
                .isEqualTo(Verdict.FAIL);
    }

    @Test
    void subMillisecondLatenciesAreReadAsOneMillisecondInARatio() {
        GateReading reading = read(LATENCY, compare(shop("v2", 10, 0, 0.9), shop("v1", 10, 0, 0.2)));
        assertThat(reading.value()).isEqualTo(1.0);
        assertThat(reading.verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void aGateOfOneComponentReadsOnlyThatComponentAndTheCallsIntoIt() {
        Gate cartErrors = ERROR_RATE.of("cart");
        GateReading cart = read(cartErrors, compare(shop("v2", 10, 0.5, 50), shop("v1", 10, 0.5, 50)));
        assertThat(cart.newValue()).isEqualTo(0.0); // the frontend's errors are not cart's
        assertThat(cart.newRequests()).isEqualTo(1_000);
        assertThat(cart.verdict()).isEqualTo(Verdict.PASS);
        GateReading intoFrontend = read(LATENCY.of("frontend"), compare(shop("v2", 10, 0, 50), shop("v1", 10, 0, 50)));
        assertThat(intoFrontend.verdict()).as("nothing calls frontend").isEqualTo(Verdict.INSUFFICIENT_DATA);
        assertThat(intoFrontend.newValue()).isNull();
        assertThat(cartErrors.describe()).isEqualTo("errorRate of cart <= 0.01");
    }

    @Test
    void resourceGatesCountTheWholeVersionsRequestsAsEvidence() {
        VersionLoad worker = new VersionLoad(
                "v2",
                List.of(
                        new ComponentFigures("frontend", 0.5, 200, 10, 0, 2, 10),
                        new ComponentFigures("indexer", 3.0, 900, 0, 0, 0, 10)),
                List.of());
        VersionLoad old = new VersionLoad(
                "v1",
                List.of(
                        new ComponentFigures("frontend", 0.5, 200, 10, 0, 4, 10),
                        new ComponentFigures("indexer", 1.0, 700, 0, 0, 0, 10)),
                List.of());
        GateReading cpu = read(Gate.max(Metric.CPU_CORES, 2).of("indexer"), compare(worker, old));
        assertThat(cpu.verdict()).isEqualTo(Verdict.FAIL); // 3 cores > 2, and the version served 1000 requests
        assertThat(cpu.newRequests()).isEqualTo(1_000);
        assertThat(cpu.detail()).contains("(1000 requests of the whole version)");
        assertThat(read(Gate.max(Metric.CPU_CORES, 4), compare(worker, old)).value())
                .isEqualTo(3.5);
        assertThat(read(Gate.max(Metric.MEMORY_MIB, 1_000), compare(worker, old))
                        .value())
                .isEqualTo(900.0);
        assertThat(read(Gate.max(Metric.IN_FLIGHT, 10), compare(worker, old)).value())
                .isEqualTo(2.0);
    }

    @Test
    void thresholdsTakeAMinimumAMaximumOrBoth() {
        LoadComparison load = compare(shop("v2", 10, 0.1, 50), shop("v1", 10, 0, 50));
        assertThat(read(Gate.min(Metric.REQUESTS_PER_SECOND, 25), load).verdict())
                .isEqualTo(Verdict.FAIL);
        assertThat(read(Gate.min(Metric.REQUESTS_PER_SECOND, 20), load).verdict())
                .isEqualTo(Verdict.PASS);
        Gate band = new Gate(Metric.ERRORS_PER_SECOND, "frontend", 0.5, 2.0);
        assertThat(read(band, load).verdict()).isEqualTo(Verdict.PASS); // 1 error/s
        assertThat(band.describe()).isEqualTo("errorsPerSecond of frontend in [0.5, 2]");
        assertThat(read(Gate.max(Metric.CALLS_PER_SECOND, 5), load).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(read(Gate.max(Metric.BYTES_PER_SECOND, 6_000), load).value()).isEqualTo(6_000.0);
        assertThat(read(Gate.max(Metric.LATENCY_P99_MS, 49), load).verdict()).isEqualTo(Verdict.FAIL);
        assertThat(read(Gate.max(Metric.LATENCY_P50_MS, 17), load).verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void atAZeroPercentStepANewVersionWithoutTrafficIsNotEvaluatedButDirectTrafficIsJudged() {
        LoadComparison idle = compare(VersionLoad.none("v2"), shop("v1", 60, 0, 50));
        GateReading notEvaluated = Gates.evaluate(ERROR_RATE, idle, 500, true);
        assertThat(notEvaluated.verdict()).isEqualTo(Verdict.NOT_EVALUATED);
        assertThat(notEvaluated.detail())
                .isEqualTo("errorRate <= 0.01 not evaluated: no user traffic reaches v2 at 0 %, and it served 0 of the"
                        + " 500 requests needed");
        LoadComparison smokeTests = compare(shop("v2", 10, 0.2, 50), shop("v1", 60, 0, 50));
        assertThat(Gates.evaluate(ERROR_RATE, smokeTests, 500, true).verdict()).isEqualTo(Verdict.FAIL);
        LoadComparison quietOld = compare(shop("v2", 10, 0, 50), shop("v1", 1, 0, 50));
        assertThat(Gates.evaluate(ERROR_RATE, quietOld, 500, true).verdict()).isEqualTo(Verdict.INSUFFICIENT_DATA);
    }

    @Property(tries = 300)
    void tooLittleTrafficNeverPassesOrFailsAGate(
            @ForAll @IntRange(min = 0, max = 10) int metricIndex,
            @ForAll @DoubleRange(min = 0, max = 2.49) double fewRps,
            @ForAll @DoubleRange(min = 0, max = 500) double plentyRps,
            @ForAll @DoubleRange(min = 0, max = 1) double errorRate,
            @ForAll boolean shortOnNew,
            @ForAll boolean zeroWeightStep) {
        // 100 s at under 2.5 rps is under 250 requests or calls per component: short of 500 for any scope
        Metric metric = Metric.values()[metricIndex];
        Gate gate = metric.maxOnly() ? Gate.max(metric, metric == Metric.ERROR_RATE ? 0.01 : 1.2) : Gate.max(metric, 1);
        VersionLoad few = shop(shortOnNew ? "v2" : "v1", fewRps / 2, errorRate, 40);
        VersionLoad plenty = shop(shortOnNew ? "v1" : "v2", plentyRps, errorRate, 40);
        LoadComparison load = shortOnNew ? compare(few, plenty) : compare(plenty, few);
        Verdict verdict = Gates.evaluate(gate, load, 500, zeroWeightStep).verdict();
        assertThat(verdict).isIn(Verdict.INSUFFICIENT_DATA, Verdict.NOT_EVALUATED);
    }
}
