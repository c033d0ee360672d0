package dev.weft.scheduler.load;

import dev.weft.scheduler.registry.Registry.RegisteredVersion;
import java.time.Instant;

/** Reports that mention every component and every declared edge of a version with fixed figures. */
final class LoadReports {

    private LoadReports() {}

    static LoadReport fullReport(String agent, RegisteredVersion version, Instant at, double interval) {
        return new LoadReport(
                agent,
                at,
                interval,
                version.components().stream()
                        .map(c -> new LoadReport.ComponentSample(version.id(), c.id(), 0.25, 128, 10, 0.1, 2))
                        .toList(),
                version.edges().stream()
                        .map(e -> new LoadReport.EdgeSample(
                                version.id(), e.callerId(), e.calleeId(), 20, 4096, 1.5, 9, 0))
                        .toList());
    }

    static int samples(RegisteredVersion version) {
        return version.components().size() + version.edges().size();
    }
}
