package dev.weft.scheduler.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.placement.model.CostModel;
import dev.weft.scheduler.load.LoadQueries.ComponentLoad;
import dev.weft.scheduler.load.LoadQueries.EdgeLoad;
import dev.weft.scheduler.load.LoadQueries.WindowLoad;
import dev.weft.scheduler.planning.PlanInputs.ComponentInput;
import dev.weft.scheduler.planning.PlanInputs.EdgeInput;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A load change counts only when sustained over the whole window, past the threshold and the floor. */
class DriftTest {

    static final Instant T = Instant.parse("2032-01-01T12:00:00Z");
    static final Drift.Settings DEFAULTS = new Drift.Settings(0.25, 0.05, 64, 0.05);

    static PlanInputs base(double frontendCpu, double cartCalls) {
        return new PlanInputs(
                T,
                "MEASURED",
                T,
                T,
                List.of(
                        new ComponentInput("frontend", frontendCpu, 0.25, 0, 2, 20),
                        new ComponentInput("cart", 0.2, 0.5, 0, 1, 10)),
                cartCalls > 0 ? List.of(new EdgeInput("frontend", "cart", cartCalls, cartCalls * 600)) : List.of(),
                1,
                new PlanInputs.Agents(1, 0, List.of()),
                PlanInputs.CostModelView.of(CostModel.DEFAULTS));
    }

    /** Slices with the frontend at these cores (NaN: the version reported nothing in that slice) and cart at 0.2. */
    static MeasuredLoad load(double[] frontend, double cartCalls) {
        List<WindowLoad> slices = new ArrayList<>();
        for (int i = 0; i < frontend.length; i++) {
            Instant from = T.plusSeconds(60L * i);
            if (Double.isNaN(frontend[i])) {
                slices.add(new WindowLoad(7, from, from.plusSeconds(60), List.of(), List.of()));
                continue;
            }
            slices.add(new WindowLoad(
                    7,
                    from,
                    from.plusSeconds(60),
                    List.of(
                            new ComponentLoad(1, frontend[i], 256, 10, 0, 0, 1),
                            new ComponentLoad(2, 0.2, 512, 10, 0, 0, 1)),
                    cartCalls > 0 ? List.of(new EdgeLoad(1, 2, cartCalls, cartCalls * 600, 0, 1, 1, 1)) : List.of()));
        }
        return new MeasuredLoad(T, T.plusSeconds(60L * frontend.length), slices);
    }

    static Optional<String> detect(PlanInputs base, MeasuredLoad load) {
        return Drift.detect(base, load, ProblemBuilderTest.version(), CostModel.DEFAULTS, DEFAULTS);
    }

    @Test
    void aChangeInEverySliceTriggersARePlanAndSaysWhat() {
        assertThat(detect(base(1.0, 0), load(new double[] {1.5, 1.4, 1.6}, 0)))
                .hasValueSatisfying(s -> assertThat(s).contains("cpu of frontend", "1.000 -> 1.500"));
    }

    @Test
    void aSpikeInOneSliceOrAChangeWithinTheThresholdDoesNot() {
        assertThat(detect(base(1.0, 0), load(new double[] {1.0, 3.0, 1.0}, 0))).isEmpty();
        assertThat(detect(base(1.0, 0), load(new double[] {1.2, 1.2, 1.2}, 0))).isEmpty();
        assertThat(detect(base(1.0, 0), load(new double[] {1.5, 0.5, 1.5}, 0))).isEmpty(); // both directions
    }

    @Test
    void aWindowNotCoveredByReportsNeverCounts() {
        assertThat(detect(base(1.0, 0), load(new double[] {Double.NaN, 3.0, 3.0}, 0)))
                .isEmpty();
    }

    @Test
    void tinyFiguresDoNotFlap() {
        assertThat(detect(base(0.01, 0), load(new double[] {0.03, 0.03, 0.03}, 0)))
                .isEmpty(); // +200 % but 0.02 cores
    }

    @Test
    void aHeavyEdgeThatAppearsOrMovesTriggersALightOneDoesNot() {
        assertThat(detect(base(1.0, 0), load(new double[] {1, 1, 1}, 10_000)))
                .hasValueSatisfying(s -> assertThat(s).contains("calls/s of frontend->cart"));
        assertThat(detect(base(1.0, 10), load(new double[] {1, 1, 1}, 30))).isEmpty(); // tripled, but light
        assertThat(detect(base(1.0, 10_000), load(new double[] {1, 1, 1}, 10_500)))
                .isEmpty(); // heavy, +5 %
    }
}
