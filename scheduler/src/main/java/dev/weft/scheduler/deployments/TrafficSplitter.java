package dev.weft.scheduler.deployments;

import dev.weft.scheduler.deployments.DeploymentStore.Row;
import dev.weft.scheduler.deployments.Deployments.State;
import dev.weft.scheduler.deployments.Deployments.Weight;
import dev.weft.scheduler.events.AuditEvent;
import dev.weft.scheduler.events.AuditLog;
import dev.weft.scheduler.push.Push;
import dev.weft.scheduler.system.WeftException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/** Checks, stores and pushes an application's traffic split, in the caller's transaction. */
@Component
class TrafficSplitter {

    private final DeploymentStore store;
    private final Push push;
    private final AuditLog auditLog;
    private final Clock clock;

    TrafficSplitter(DeploymentStore store, Push push, AuditLog auditLog, Clock clock) {
        this.store = store;
        this.push = push;
        this.auditLog = auditLog;
        this.clock = clock;
    }

    /** The application's row must be locked by the caller's transaction. */
    void split(long applicationId, String application, List<Weight> weights, String why) {
        int total = weights.stream().mapToInt(Weight::basisPoints).sum();
        if (!weights.isEmpty() && total != 10_000) {
            throw invalid("The weights add up to " + total + " basis points; they must add up to 10000");
        }
        List<Long> versionIds = new ArrayList<>();
        Map<String, Weight> seen = new LinkedHashMap<>();
        for (Weight w : weights) {
            if (seen.put(w.version(), w) != null) {
                throw invalid("Version '" + w.version() + "' is listed twice");
            }
            long id = store.versionId(applicationId, w.version())
                    .orElseThrow(() -> new WeftException(
                            DeploymentError.VERSION_NOT_FOUND,
                            "Application '" + application + "' has no version '" + w.version() + "'"));
            Optional<Row> row = store.find(id);
            if (w.basisPoints() > 0 && (row.isEmpty() || !mayServe(row.get()))) {
                throw invalid("Version '" + w.version() + "' is "
                        + row.map(r -> r.state().name()).orElse("not deployed")
                        + "; only a fully placed (PLACED) version may get traffic");
            }
            versionIds.add(id);
        }
        List<Weight> before = store.weights(applicationId);
        if (before.equals(weights)) {
            return;
        }
        store.writeWeights(applicationId, versionIds, weights, clock.instant());
        push.split(
                applicationId,
                application,
                weights.stream()
                        .map(w -> new Push.Weight(w.version(), w.basisPoints()))
                        .toList());
        auditLog.record(new AuditEvent(
                "TRAFFIC_SPLIT_CHANGED",
                application,
                null,
                null,
                "Traffic of '" + application + "' now goes to " + describe(weights) + " (was " + describe(before)
                        + "): " + why,
                Map.of(
                        "weights",
                        weights.stream()
                                .map(w -> Map.of("version", w.version(), "basisPoints", w.basisPoints()))
                                .toList())));
    }

    /**
     * Fully placed, or placed in full once and still running (short of capacity after losing an agent, say): traffic
     * may always go back to a version that served, which is what a rollback needs.
     */
    private static boolean mayServe(Row row) {
        return row.state() == State.PLACED
                || (row.placedAt() != null && row.state() != State.RELEASING && row.state() != State.RELEASED);
    }

    private static String describe(List<Weight> weights) {
        return weights.isEmpty()
                ? "no version"
                : weights.stream()
                        .map(w -> w.version() + " " + w.basisPoints() / 100.0 + "%")
                        .collect(Collectors.joining(", "));
    }

    private static WeftException invalid(String detail) {
        return new WeftException(DeploymentError.INVALID_TRAFFIC_SPLIT, detail);
    }
}
