package dev.weft.rollout.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class PercentTest {

    @Test
    void percentWithTwoDecimalsIsBasisPoints() {
        assertThat(Percent.toBasisPoints(new BigDecimal("12.5"))).isEqualTo(1_250);
        assertThat(Percent.toBasisPoints(new BigDecimal("0.01"))).isEqualTo(1);
        assertThat(Percent.toBasisPoints(new BigDecimal("100"))).isEqualTo(10_000);
        assertThat(Percent.toBasisPoints(new BigDecimal("1E+2"))).isEqualTo(10_000);
        assertThat(Percent.toBasisPoints(new BigDecimal("10.000"))).isEqualTo(1_000);
        assertThat(Percent.of(1_250)).isEqualByComparingTo("12.5");
        assertThat(Percent.of(1_250).toPlainString()).isEqualTo("12.5");
        assertThat(Percent.of(10_000).toPlainString()).isEqualTo("100");
        assertThat(Percent.of(0).toPlainString()).isEqualTo("0");
        assertThat(Percent.describe(100)).isEqualTo("1 %");
    }

    @Test
    void outOfRangeOrTooPreciseIsRefused() {
        assertThatThrownBy(() -> Percent.toBasisPoints(new BigDecimal("150")))
                .hasMessage("must be between 0 and 100 with at most two decimals, was 150");
        assertThatThrownBy(() -> Percent.toBasisPoints(new BigDecimal("12.345")))
                .hasMessageContaining("was 12.345");
        assertThatThrownBy(() -> Percent.toBasisPoints(new BigDecimal("-1"))).hasMessageContaining("was -1");
    }
}
