package dev.weft.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.weft.placement.model.CostModel;
import dev.weft.placement.model.Preference;
import org.junit.jupiter.api.Test;

/** The documented formulas, checked with numbers worked out by hand. */
class CostModelTest {
    private final CostModel m = new CostModel(50e-6, 2e-9, 2.0, 0.5, 0.1, 0.25, 0.02, 0.004, Preference.PACK);

    @Test
    void aRemoteEdgeCostsCallCpuPerCallPlusByteCpuPerByte() {
        // 1,000 calls/s × 50 µs + 1 MB/s × 2 ns = 0.05 + 0.002 cores.
        assertThat(m.edgeCores(1000, 1e6)).isCloseTo(0.052, within(1e-12));
    }

    @Test
    void replicasAreCpuOverReplicaCapacityRaisedToMinAndCappedByMax() {
        // One replica carries 2.0 × 0.5 = 1 core of work.
        assertThat(m.replicas(2.5, 1, 100)).isEqualTo(3);
        assertThat(m.replicas(2.0, 1, 100)).isEqualTo(2);
        assertThat(m.replicas(0.1, 4, 100)).isEqualTo(4);
        assertThat(m.replicas(9.5, 1, 6)).isEqualTo(6);
    }

    @Test
    void groupCostIsCoresAndMemoryAtTheirPrices() {
        // cpu 2.5 -> 3 replicas; cores = 3 × 0.1 + 2.5 / 0.5 = 5.3; memory = 3 × (0.25 + 1.0) = 3.75 GiB.
        assertThat(m.groupCost(2.5, 1.0, 1, 100)).isCloseTo(0.02 * 5.3 + 0.004 * 3.75, within(1e-12));
    }

    @Test
    void invalidPricesAreRejectedNamingTheField() {
        assertThatThrownBy(() -> new CostModel(50e-6, 2e-9, 2.0, 1.5, 0.1, 0.25, 0.02, 0.004, Preference.PACK))
                .hasMessageContaining("targetUtilization");
    }

    @Test
    void hysteresisAcceptsOnlyImprovementsBeyondTheMargin() {
        Hysteresis h = new Hysteresis(0.05);
        assertThat(h.beats(0.94, 1.0)).isTrue();
        assertThat(h.beats(0.96, 1.0)).isFalse();
        assertThat(h.beats(1.0, 1.0)).isFalse();
    }
}
