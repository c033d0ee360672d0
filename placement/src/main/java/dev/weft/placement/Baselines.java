package dev.weft.placement;

import static java.util.Objects.requireNonNull;

/**
 * The two extremes every result reports.
 *
 * @param onePerProcess  every component in its own process (the microservice status quo)
 * @param singleProcess  every component in one process (the modular monolith)
 */
public record Baselines(Baseline onePerProcess, Baseline singleProcess) {
    public Baselines {
        requireNonNull(onePerProcess, "onePerProcess is null");
        requireNonNull(singleProcess, "singleProcess is null");
    }
}
