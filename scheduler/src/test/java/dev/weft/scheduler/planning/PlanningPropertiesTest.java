package dev.weft.scheduler.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.placement.model.CostModel;
import dev.weft.placement.model.Preference;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** weft.planner.* as an operator writes it, with the documented defaults. */
class PlanningPropertiesTest {

    static PlanningProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("weft.planner", PlanningProperties.class);
    }

    @Test
    void nothingSetGivesTheDocumentedDefaults() {
        PlanningProperties p = bind(Map.of());
        assertThat(p.windowOrDefault()).isEqualTo(Duration.ofMinutes(5));
        assertThat(p.slicesOrDefault()).isEqualTo(5);
        assertThat(p.driftThresholdOrDefault()).isEqualTo(0.25);
        assertThat(p.hysteresisMarginOrDefault()).isEqualTo(0.05);
        assertThat(p.debounceOrDefault()).isEqualTo(Duration.ofSeconds(1));
        assertThat(p.model()).isEqualTo(CostModel.DEFAULTS);
    }

    @Test
    void theCostModelIsSetInKebabCase() {
        PlanningProperties p = bind(Map.of(
                "weft.planner.cost-model.price-per-core-hour", "0.05",
                "weft.planner.cost-model.price-per-gib-hour", "0.01",
                "weft.planner.cost-model.preference", "SPREAD",
                "weft.planner.window", "10m"));
        assertThat(p.model().pricePerCoreHour()).isEqualTo(0.05);
        assertThat(p.model().pricePerGiBHour()).isEqualTo(0.01);
        assertThat(p.model().preference()).isEqualTo(Preference.SPREAD);
        assertThat(p.windowOrDefault()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void aBadSettingIsRefusedNamingIt() {
        assertThatThrownBy(() -> bind(Map.of("weft.planner.hysteresis-margin", "1.5")))
                .hasStackTraceContaining("weft.planner.hysteresis-margin");
        assertThatThrownBy(() -> bind(Map.of("weft.planner.cost-model.target-utilization", "0")))
                .hasStackTraceContaining("targetUtilization");
    }
}
