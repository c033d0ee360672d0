package dev.weft.scheduler.load;

import dev.weft.scheduler.registry.Registry;
import dev.weft.scheduler.registry.Registry.RegisteredComponent;
import dev.weft.scheduler.registry.Registry.RegisteredVersion;
import dev.weft.scheduler.system.WeftException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/applications/{app}/versions/{version}/load?window=5m} (or {@code from}/{@code to}):
 * a version's load over a window, by name. Every component of the version is listed (zero when it had
 * no reports), and every call edge that is declared or was reported.
 */
@RestController
class LoadController {

    private final Registry registry;
    private final LoadQueries queries;
    private final JdbcClient jdbc;
    private final Clock clock;

    LoadController(Registry registry, LoadQueries queries, JdbcClient jdbc, Clock clock) {
        this.registry = registry;
        this.queries = queries;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    record ComponentView(
            String component,
            double cpuCores,
            double memoryMiB,
            double requestsPerSecond,
            double errorsPerSecond,
            double inFlight,
            long samples) {}

    record EdgeView(
            String caller,
            String callee,
            double callsPerSecond,
            double bytesPerSecond,
            double errorsPerSecond,
            double latencyP50Ms,
            double latencyP99Ms,
            long samples) {}

    record LoadView(
            String application,
            String version,
            Instant from,
            Instant to,
            double windowSeconds,
            List<ComponentView> components,
            List<EdgeView> edges) {}

    @GetMapping("/api/v1/applications/{app}/versions/{version}/load")
    LoadView load(
            @PathVariable String app,
            @PathVariable String version,
            @RequestParam(required = false) @Nullable String window,
            @RequestParam(required = false) @Nullable String from,
            @RequestParam(required = false) @Nullable String to) {
        LoadWindow range = LoadWindow.parse(window, from, to, clock.instant());
        RegisteredVersion stored = registry.version(app, version).orElseThrow(() -> notFound(app, version));
        LoadQueries.WindowLoad load = queries.window(stored.id(), range.from(), range.to());

        Map<Long, String> names = stored.components().stream()
                .collect(Collectors.toMap(RegisteredComponent::id, RegisteredComponent::name));
        Map<Long, LoadQueries.ComponentLoad> byComponent = load.components().stream()
                .collect(Collectors.toMap(LoadQueries.ComponentLoad::componentId, Function.identity()));
        List<ComponentView> components = new ArrayList<>();
        for (RegisteredComponent component : stored.components()) {
            var c = byComponent.get(component.id());
            components.add(
                    c == null
                            ? new ComponentView(component.name(), 0, 0, 0, 0, 0, 0)
                            : new ComponentView(
                                    component.name(),
                                    c.cpuCores(),
                                    c.memoryMiB(),
                                    c.requestsPerSecond(),
                                    c.errorsPerSecond(),
                                    c.inFlight(),
                                    c.samples()));
        }
        Map<List<Long>, EdgeView> edges = new LinkedHashMap<>();
        for (var declared : stored.edges()) {
            edges.put(
                    List.of(declared.callerId(), declared.calleeId()),
                    new EdgeView(declared.caller(), declared.callee(), 0, 0, 0, 0, 0, 0));
        }
        for (var e : load.edges()) {
            edges.put(
                    List.of(e.callerId(), e.calleeId()),
                    new EdgeView(
                            names.getOrDefault(e.callerId(), String.valueOf(e.callerId())),
                            names.getOrDefault(e.calleeId(), String.valueOf(e.calleeId())),
                            e.callsPerSecond(),
                            e.bytesPerSecond(),
                            e.errorsPerSecond(),
                            e.latencyP50Ms(),
                            e.latencyP99Ms(),
                            e.samples()));
        }
        return new LoadView(
                stored.application(),
                stored.name(),
                load.from(),
                load.to(),
                load.seconds(),
                components,
                List.copyOf(edges.values()));
    }

    private WeftException notFound(String app, String version) {
        boolean applicationExists = jdbc.sql("select exists (select 1 from applications where name = ?)")
                .param(app)
                .query(Boolean.class)
                .single();
        return applicationExists
                ? new WeftException(
                        LoadError.VERSION_NOT_FOUND, "Application '" + app + "' has no version '" + version + "'")
                : new WeftException(LoadError.APPLICATION_NOT_FOUND, "No application named '" + app + "'");
    }
}
