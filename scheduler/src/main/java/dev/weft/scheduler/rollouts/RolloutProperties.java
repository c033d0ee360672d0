package dev.weft.scheduler.rollouts;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of rollouts ({@code weft.rollouts.*}).
 *
 * @param rollbackWindow how long after promotion the old version stays placed at zero traffic, so that a rollback is
 *     a traffic switch; a rollout keeps the window it started with
 * @param tickInterval how often the leader advances every rollout in flight (it also does on any relevant change)
 * @param countedGap the longest pause between two moves that still counts towards a step's hold (a longer one, such
 *     as a control plane that was down, does not: the step resumes with the hold it had left)
 * @param inFlightWindow the in-flight requests of a version being drained are read from the load its agents reported
 *     over this long (and only after its traffic stopped)
 */
@ConfigurationProperties("weft.rollouts")
record RolloutProperties(
        @DefaultValue("10m") Duration rollbackWindow,
        @DefaultValue("1s") Duration tickInterval,
        @DefaultValue("5s") Duration countedGap,
        @DefaultValue("30s") Duration inFlightWindow) {

    RolloutProperties {
        if (rollbackWindow.isNegative() || rollbackWindow.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException(
                    "weft.rollouts.rollback-window must be between 0s and 7d, was " + rollbackWindow);
        }
        if (!tickInterval.isPositive() || !countedGap.isPositive() || !inFlightWindow.isPositive()) {
            throw new IllegalArgumentException(
                    "weft.rollouts.tick-interval, counted-gap and in-flight-window must be positive");
        }
    }
}
