package dev.weft.rollout;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * The driver's settings, from the scheduler's configuration.
 *
 * @param rollbackWindow how long the old version stays placed at 0 % after promotion ({@code
 *                       weft.rollouts.rollback-window}, default 10 min); each rollout keeps the value it started with
 * @param countedGap     the most time one gap between two moves adds to a hold or a deadline (default 5 s): the
 *                       driver moves every second, so a longer gap means it was not running (a restart, a
 *                       failover), and that time does not count
 */
public record RolloutSettings(Duration rollbackWindow, Duration countedGap) {

    public static final RolloutSettings DEFAULTS = new RolloutSettings(Duration.ofMinutes(10), Duration.ofSeconds(5));

    public RolloutSettings {
        requireNonNull(rollbackWindow, "rollbackWindow is null");
        requireNonNull(countedGap, "countedGap is null");
        if (rollbackWindow.isNegative() || rollbackWindow.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("rollbackWindow must be between 0s and 7d, was " + rollbackWindow);
        }
        if (countedGap.compareTo(Duration.ofMillis(100)) < 0 || countedGap.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("countedGap must be between 100ms and 1m, was " + countedGap);
        }
    }
}
