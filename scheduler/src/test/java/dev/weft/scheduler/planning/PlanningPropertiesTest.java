package dev.weft.scheduler.planning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.placement.PlannerOptions;
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
        assertThat(p.options()).isEqualTo(PlannerOptions.DEFAULTS);
        assertThat(p.options().searchBudget()).isEqualTo(50_000_000L);
    }

    @Test
    void theSearchBudgetIsAFlag() {
        assertThat(bind(Map.of("weft.planner.search-budget", "0")).options().searchBudget())
                .isZero();
        assertThat(bind(Map.of("weft.planner.search-budget", "5000000")).options())
                .isEqualTo(PlannerOptions.DEFAULTS.withSearchBudget(5_000_000L));
        assertThatThrownBy(() -> bind(Map.of("weft.planner.search-budget", "-1")))
                .hasStackTraceContaining("weft.planner: searchBudget must be >= 0, was -1");
        // refused when the settings are read, not at the first plan
        assertThatThrownBy(() -> bind(Map.of("weft.planner.exact-limit", "-1")))
                .hasStackTraceContaining("exactLimit and exactNodeBudget must be >= 0");
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
