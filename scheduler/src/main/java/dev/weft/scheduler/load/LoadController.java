package dev.weft.scheduler.load;

import dev.weft.scheduler.registry.Registry;
import dev.weft.scheduler.registry.Registry.RegisteredComponent;
import dev.weft.scheduler.registry.Registry.RegisteredVersion;
import dev.weft.scheduler.system.WeftException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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
@Tag(name = "Load", description = "What agents reported about the components they host")
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

    @Schema(
            description = "Load of one component over the window. Whole-component figures add up every replica"
                    + " and are averaged over coveredSeconds; per-replica figures say so in their description.")
    record ComponentView(
            @Schema(description = "Component name") String component,

            @Schema(description = "CPU of the whole component, in cores, averaged over coveredSeconds")
            double cpuCores,

            @Schema(
                    description =
                            "Per replica: the highest memory (MiB) any one replica reported (what a replica needs)")
            double memoryMiB,

            @Schema(description = "Requests served per second by the whole component, averaged over coveredSeconds")
            double requestsPerSecond,

            @Schema(description = "Failed requests per second of the whole component, averaged over coveredSeconds")
            double errorsPerSecond,

            @Schema(description = "Per replica: the highest number of requests in flight any one replica reported")
            double inFlight,

            @Schema(description = "Reports that mentioned the component in the window")
            long samples,

            @Schema(description = "Per replica: CPU in cores of one replica, averaged over the time it reported")
            double cpuCoresPerReplica,

            @Schema(description = "Per replica: memory (MiB) of one replica, averaged over the time it reported")
            double memoryMiBPerReplica,

            @Schema(description = "Memory (MiB) of all replicas together, averaged over coveredSeconds")
            double memoryMiBTotal,

            @Schema(description = "Requests in flight in all replicas together, averaged over coveredSeconds")
            double inFlightTotal,

            @Schema(description = "Mean number of replicas that reported, over coveredSeconds")
            double replicas,

            @Schema(
                    description = "Seconds the counted reports cover: from the earliest start to the latest end of"
                            + " their intervals, at most the sum of the intervals; 0 without reports")
            double coveredSeconds) {}

    @Schema(description = "Load of one call edge over the window (every agent's calls together)")
    record EdgeView(
            @Schema(description = "Calling component") String caller,
            @Schema(description = "Called component") String callee,

            @Schema(description = "Calls per second, averaged over coveredSeconds")
            double callsPerSecond,

            @Schema(description = "Request plus response bytes per second, averaged over coveredSeconds")
            double bytesPerSecond,

            @Schema(description = "Failed calls per second, averaged over coveredSeconds")
            double errorsPerSecond,

            @Schema(description = "Median latency (ms): the calls-weighted mean of the medians reported")
            double latencyP50Ms,

            @Schema(description = "99th percentile latency (ms): the highest any report gave")
            double latencyP99Ms,

            @Schema(description = "Reports that mentioned the edge in the window")
            long samples,

            @Schema(description = "Seconds the counted reports cover (see the component's coveredSeconds)")
            double coveredSeconds) {}

    @Schema(description = "A version's load over a window: every component, and every edge declared or reported")
    record LoadView(
            @Schema(description = "Application name") String application,
            @Schema(description = "Version name") String version,

            @Schema(description = "Start of the window (inclusive): buckets that start at or after it count")
            Instant from,

            @Schema(description = "End of the window (exclusive)")
            Instant to,

            @Schema(description = "Length of the window in seconds")
            double windowSeconds,

            List<ComponentView> components,
            List<EdgeView> edges) {}

    @Operation(
            summary = "A version's load over a window",
            description = "Rates are averaged over the time the reports cover (coveredSeconds), not over the whole"
                    + " window: a window only partly covered by reports gives the rate of the covered part. Load"
                    + " appears once written, up to weft.load.open-flush-interval (5 s) after it was reported.")
    @ApiResponse(responseCode = "200", description = "The load of every component and edge")
    @ApiResponse(
            responseCode = "400",
            description = "INVALID_WINDOW: window is not a duration of 1 s to 31 days, or from/to are not ISO-8601"
                    + " instants in order; INVALID_PARAMETER: a parameter of the wrong type")
    @ApiResponse(responseCode = "404", description = "APPLICATION_NOT_FOUND or VERSION_NOT_FOUND")
    @GetMapping("/api/v1/applications/{app}/versions/{version}/load")
    LoadView load(
            @PathVariable String app,
            @PathVariable String version,
            @Parameter(description = "Length of the window ending now: 30s, 5m, 1h, 1d or ISO-8601 (PT5M); default 5m")
                    @RequestParam(required = false)
                    @Nullable
                    String window,
            @Parameter(description = "Start of the window, an ISO-8601 instant; give to with it, and no window")
                    @RequestParam(required = false)
                    @Nullable
                    String from,
            @Parameter(description = "End of the window, an ISO-8601 instant; give from with it, and no window")
                    @RequestParam(required = false)
                    @Nullable
                    String to) {
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
                            ? new ComponentView(component.name(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
                            : new ComponentView(
                                    component.name(),
                                    c.cpuCores(),
                                    c.memoryMiB(),
                                    c.requestsPerSecond(),
                                    c.errorsPerSecond(),
                                    c.inFlight(),
                                    c.samples(),
                                    c.cpuCoresPerReplica(),
                                    c.memoryMiBPerReplica(),
                                    c.memoryMiBTotal(),
                                    c.inFlightTotal(),
                                    c.replicas(),
                                    c.coveredSeconds()));
        }
        Map<List<Long>, EdgeView> edges = new LinkedHashMap<>();
        for (var declared : stored.edges()) {
            edges.put(
                    List.of(declared.callerId(), declared.calleeId()),
                    new EdgeView(declared.caller(), declared.callee(), 0, 0, 0, 0, 0, 0, 0));
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
                            e.samples(),
                            e.coveredSeconds()));
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
