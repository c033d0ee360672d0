package dev.weft.rollout.gate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Load figures for tests: a shop whose frontend calls cart, with rates chosen per test. */
public final class Loads {

    private Loads() {}

    /**
     * A version whose frontend serves {@code requestsPerSecond} with {@code errorRate} of them failing and calls
     * cart once per request with the given p99; cart serves those calls without errors.
     */
    public static VersionLoad shop(String version, double requestsPerSecond, double errorRate, double p99Ms) {
        return new VersionLoad(
                version,
                List.of(
                        new ComponentFigures(
                                "frontend", 0.5, 256, requestsPerSecond, requestsPerSecond * errorRate, 3, 12),
                        new ComponentFigures("cart", 0.25, 512, requestsPerSecond, 0, 1, 12)),
                List.of(new EdgeFigures(
                        "frontend", "cart", requestsPerSecond, requestsPerSecond * 600, 0, p99Ms / 3, p99Ms, 12)));
    }

    /** Both versions over {@code [start, start + length)}. */
    public static LoadComparison compare(
            Instant start, Duration length, VersionLoad newVersion, VersionLoad oldVersion) {
        return new LoadComparison(start, start.plus(length), newVersion, oldVersion);
    }

    /** Both versions over the 100 seconds from {@code T0}. */
    public static LoadComparison compare(VersionLoad newVersion, VersionLoad oldVersion) {
        return compare(T0, Duration.ofSeconds(100), newVersion, oldVersion);
    }

    public static final Instant T0 = Instant.parse("2026-12-01T12:00:00Z");
}
