package dev.weft.rollout.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void readsTheLoadApisNotationAndIso8601() {
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(Durations.parse("1500ms")).isEqualTo(Duration.ofMillis(1_500));
        assertThat(Durations.parse(" 5M ")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("PT5M")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("pt1h30m")).isEqualTo(Duration.ofMinutes(90));
    }

    @Test
    void anythingElseIsRefusedWithTheTextItWas() {
        assertThatThrownBy(() -> Durations.parse("5 minutes"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("must be a duration such as 30s, 5m, 1h or PT5M, was '5 minutes'");
        assertThatThrownBy(() -> Durations.parse("1.5m")).hasMessageContaining("'1.5m'");
        assertThatThrownBy(() -> Durations.parse("")).hasMessageContaining("''");
    }

    @Test
    void formatsTheShortestExactNotation() {
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(Durations.format(Duration.ofHours(48))).isEqualTo("2d");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(Durations.format(Duration.ofMillis(1_500))).isEqualTo("1500ms");
        assertThat(Durations.describe(Duration.ofSeconds(192))).isEqualTo("3m12s");
        assertThat(Durations.describe(Duration.ofSeconds(3_900))).isEqualTo("1h5m");
        assertThat(Durations.describe(Duration.ofMillis(450))).isEqualTo("450ms");
    }

    @Property
    void whatIsFormattedReadsBackTheSame(@ForAll @LongRange(min = 0, max = 30L * 86_400_000) long millis) {
        Duration duration = Duration.ofMillis(millis);
        assertThat(Durations.parse(Durations.format(duration))).isEqualTo(duration);
    }
}
