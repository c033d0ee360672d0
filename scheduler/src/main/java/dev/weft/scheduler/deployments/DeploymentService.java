package dev.weft.scheduler.deployments;

import dev.weft.scheduler.deployments.DeploymentStore.Row;
import dev.weft.scheduler.events.AuditEvent;
import dev.weft.scheduler.events.AuditLog;
import dev.weft.scheduler.planning.Planning;
import dev.weft.scheduler.system.WeftException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** {@link Deployments}: each call one transaction that locks the application's row, with its audit event. */
@Service
class DeploymentService implements Deployments {

    private final DeploymentStore store;
    private final Planning planning;
    private final TrafficSplitter splitter;
    private final PlacementProgress progress;
    private final AuditLog auditLog;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final ObjectProvider<ReleaseGuard> guards;

    DeploymentService(
            DeploymentStore store,
            Planning planning,
            TrafficSplitter splitter,
            PlacementProgress progress,
            AuditLog auditLog,
            ApplicationEventPublisher events,
            TransactionTemplate transactions,
            Clock clock,
            ObjectProvider<ReleaseGuard> guards) {
        this.store = store;
        this.planning = planning;
        this.splitter = splitter;
        this.progress = progress;
        this.auditLog = auditLog;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
        this.guards = guards;
    }

    @Override
    public Deployment deploy(String application, String version) {
        return place(application, version, true);
    }

    @Override
    public Deployment place(String application, String version) {
        return place(application, version, false);
    }

    private Deployment place(String application, String version, boolean first) {
        long versionId = Objects.requireNonNull(transactions.execute(tx -> {
            long applicationId = lock(application);
            long id = version(applicationId, application, version);
            Optional<Row> existing = store.find(id);
            if (existing.isPresent() && existing.get().state() == State.RELEASING) {
                throw new WeftException(
                        DeploymentError.DEPLOYMENT_RELEASING,
                        "Version '" + version + "' of '" + application + "' is being released; deploy it again once "
                                + "GET /api/v1/applications/" + application + "/deployments/" + version
                                + " says RELEASED");
            }
            if (existing.isPresent() && existing.get().state() != State.RELEASED) {
                return id; // deployed already: as it stands
            }
            if (first) {
                List<Row> others = store.ofApplication(applicationId, false).stream()
                        .filter(r -> r.versionId() != id)
                        .toList();
                List<Weight> serving = store.weights(applicationId).stream()
                        .filter(w -> w.basisPoints() > 0 && !w.version().equals(version))
                        .toList();
                if (!others.isEmpty() || !serving.isEmpty()) {
                    String what = !serving.isEmpty()
                            ? "serves version(s) "
                                    + serving.stream()
                                            .map(w -> "'" + w.version() + "' (" + w.basisPoints() / 100.0
                                                    + "% of its traffic)")
                                            .collect(Collectors.joining(", "))
                            : "has version(s) "
                                    + others.stream()
                                            .map(r -> "'" + r.version() + "' (" + r.state() + ")")
                                            .collect(Collectors.joining(", "))
                                    + " deployed";
                    throw new WeftException(
                            DeploymentError.APPLICATION_ALREADY_SERVING,
                            "Application '" + application + "' " + what + "; a later version replaces the serving one "
                                    + "through a rollout: POST /api/v1/applications/" + application
                                    + "/rollouts {\"version\": \"" + version + "\"} (see the README's Rollouts), or "
                                    + "undeploy the other version first (DELETE /api/v1/applications/" + application
                                    + "/deployments/{version})");
                }
            }
            Instant now = clock.instant();
            store.upsert(id, applicationId, State.PLACING, "being placed", first, now);
            planning.place(id, applicationId);
            auditLog.record(AuditEvent.ofVersion(
                    "DEPLOYMENT_REQUESTED",
                    application,
                    version,
                    first
                            ? "Version '" + version + "' of '" + application
                                    + "' deployed: it is placed now and gets all of the application's traffic once fully placed"
                            : "Version '" + version + "' of '" + application + "' is placed beside the serving version",
                    Map.of("takesTraffic", first)));
            events.publishEvent(
                    new DeploymentChanged(application, version, State.RELEASED, State.PLACING, "being placed"));
            return id;
        }));
        return view(versionId);
    }

    @Override
    public Optional<Deployment> deployment(String application, String version) {
        return store.applicationId(application)
                .flatMap(app -> store.versionId(app, version))
                .flatMap(store::find)
                .map(row -> view(row.versionId()));
    }

    @Override
    public List<Deployment> deployments(String application) {
        long applicationId = store.applicationId(application).orElseThrow(() -> noApplication(application));
        return store.ofApplication(applicationId, false).stream()
                .map(r -> view(r.versionId()))
                .toList();
    }

    @Override
    public void setTrafficSplit(String application, List<Weight> weights, String why) {
        transactions.executeWithoutResult(tx -> {
            long applicationId = lock(application);
            splitter.split(applicationId, application, weights, why);
        });
    }

    @Override
    public List<Weight> trafficSplit(String application) {
        return store.weights(store.applicationId(application).orElseThrow(() -> noApplication(application)));
    }

    @Override
    public Deployment undeploy(String application, String version) {
        return release(application, version, true);
    }

    @Override
    public Deployment release(String application, String version) {
        return release(application, version, false);
    }

    private Deployment release(String application, String version, boolean byOperator) {
        long versionId = Objects.requireNonNull(transactions.execute(tx -> {
            long applicationId = lock(application);
            if (byOperator) {
                guards.forEach(guard -> guard.checkUndeploy(application, version));
            }
            long id = version(applicationId, application, version);
            Row row = store.find(id)
                    .filter(r -> r.state() != State.RELEASED)
                    .orElseThrow(() -> new WeftException(
                            DeploymentError.DEPLOYMENT_NOT_FOUND,
                            "Version '" + version + "' of '" + application + "' is not deployed"));
            if (row.state() == State.RELEASING) {
                return id;
            }
            // traffic first: the version's share goes to the others, scaled back up to 10000
            List<Weight> weights = store.weights(applicationId);
            if (weights.stream().anyMatch(w -> w.version().equals(version))) {
                splitter.split(
                        applicationId,
                        application,
                        without(weights, version),
                        "version '" + version + "' is undeployed");
            }
            store.transition(
                    id, row.state(), State.RELEASING, "losing its traffic and stopping its replicas", clock.instant());
            planning.release(id);
            auditLog.record(AuditEvent.ofVersion(
                    "UNDEPLOY_REQUESTED",
                    application,
                    version,
                    "Version '" + version + "' of '" + application + "' is undeployed: it gets no more traffic and its "
                            + "replicas are stopped",
                    Map.of()));
            events.publishEvent(
                    new DeploymentChanged(application, version, row.state(), State.RELEASING, "undeployed"));
            return id;
        }));
        return view(versionId);
    }

    /** The split without one version, the others scaled up to 10000 (largest remainder), or none if nothing is left. */
    static List<Weight> without(List<Weight> weights, String version) {
        List<Weight> rest =
                weights.stream().filter(w -> !w.version().equals(version)).toList();
        int total = rest.stream().mapToInt(Weight::basisPoints).sum();
        if (total == 0) {
            return List.of();
        }
        int[] scaled = new int[rest.size()];
        double[] remainder = new double[rest.size()];
        int sum = 0;
        for (int i = 0; i < rest.size(); i++) {
            double exact = rest.get(i).basisPoints() * 10_000.0 / total;
            scaled[i] = (int) Math.floor(exact);
            remainder[i] = exact - scaled[i];
            sum += scaled[i];
        }
        while (sum < 10_000) {
            int best = 0;
            for (int i = 1; i < rest.size(); i++) {
                if (remainder[i] > remainder[best]) {
                    best = i;
                }
            }
            scaled[best]++;
            remainder[best] = -1;
            sum++;
        }
        List<Weight> out = new ArrayList<>();
        for (int i = 0; i < rest.size(); i++) {
            out.add(new Weight(rest.get(i).version(), scaled[i]));
        }
        return out;
    }

    Deployment view(long versionId) {
        Row row = store.find(versionId).orElseThrow();
        PlacementProgress.Count count = progress.count(row);
        return new Deployment(
                row.application(),
                row.version(),
                row.state(),
                row.reason(),
                row.takesTraffic(),
                store.weight(versionId),
                row.requestedAt(),
                row.stateChangedAt(),
                row.placedAt(),
                count.generation(),
                count.wanted(),
                count.running());
    }

    private long lock(String application) {
        return store.lockApplication(application).orElseThrow(() -> noApplication(application));
    }

    private long version(long applicationId, String application, String version) {
        return store.versionId(applicationId, version)
                .orElseThrow(() -> new WeftException(
                        DeploymentError.VERSION_NOT_FOUND,
                        "Application '" + application + "' has no version '" + version + "'"));
    }

    private static WeftException noApplication(String application) {
        return new WeftException(
                DeploymentError.APPLICATION_NOT_FOUND, "Application '" + application + "' does not exist");
    }
}
