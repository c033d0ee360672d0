package dev.weft.rollout.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class WeightsTest {

    @Test
    void aSplitListsTheTargetVersionFirst() {
        Weights split = Weights.split("v2", "v1", 1_250);
        assertThat(split.versions()).containsExactly("v2", "v1");
        assertThat(split.of("v2")).isEqualTo(1_250);
        assertThat(split.of("v1")).isEqualTo(8_750);
        assertThat(split.of("v3")).isZero();
        assertThat(split).hasToString("[v2 1250, v1 8750]");
    }

    @Test
    void weightsMustAddUpToTheWholeAndNameEachVersionOnce() {
        assertThatThrownBy(() -> new Weights(List.of(new VersionWeight("v1", 9_999))))
                .hasMessageContaining("add up to 10000 basis points, were 9999");
        assertThatThrownBy(() -> new Weights(List.of(new VersionWeight("v1", 5_000), new VersionWeight("v1", 5_000))))
                .hasMessageContaining("listed twice");
        assertThatThrownBy(() -> new Weights(List.of())).hasMessageContaining("at least one");
        assertThatThrownBy(() -> new VersionWeight("v1", 10_001)).hasMessageContaining("between 0 and 10000");
        assertThatThrownBy(() -> Weights.split("v2", "v1", -1)).hasMessageContaining("was -1");
    }
}
