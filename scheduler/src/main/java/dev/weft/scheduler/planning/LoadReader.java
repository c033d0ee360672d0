package dev.weft.scheduler.planning;

import dev.weft.scheduler.load.LoadQueries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Reads a version's load for the planner: {@code weft.planner.window} ending {@code load-lag} before now, in
 * {@code slices} equal slices, through the load read API.
 */
@Component
class LoadReader {

    private final LoadQueries load;
    private final PlanningProperties properties;

    LoadReader(LoadQueries load, PlanningProperties properties) {
        this.load = load;
        this.properties = properties;
    }

    MeasuredLoad read(long versionId, Instant now) {
        Instant to = now.minus(properties.loadLagOrDefault());
        Duration window = properties.windowOrDefault();
        Instant from = to.minus(window);
        int n = properties.slicesOrDefault();
        Duration slice = window.dividedBy(n);
        List<LoadQueries.WindowLoad> slices = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Instant start = from.plus(slice.multipliedBy(i));
            Instant end = i == n - 1 ? to : start.plus(slice);
            slices.add(load.window(versionId, start, end));
        }
        return new MeasuredLoad(from, to, slices);
    }
}
