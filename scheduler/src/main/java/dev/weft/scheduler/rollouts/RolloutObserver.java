package dev.weft.scheduler.rollouts;

import dev.weft.rollout.InFlight;
import dev.weft.rollout.Observation;
import dev.weft.rollout.Phase;
import dev.weft.rollout.PlacementStatus;
import dev.weft.rollout.RolloutState;
import dev.weft.rollout.gate.ComponentFigures;
import dev.weft.rollout.gate.EdgeFigures;
import dev.weft.rollout.gate.LoadComparison;
import dev.weft.rollout.gate.VersionLoad;
import dev.weft.rollout.policy.Policy;
import dev.weft.scheduler.agents.AgentDirectory;
import dev.weft.scheduler.agents.AgentSnapshot;
import dev.weft.scheduler.deployments.Deployments;
import dev.weft.scheduler.deployments.Deployments.Deployment;
import dev.weft.scheduler.load.LoadQueries;
import dev.weft.scheduler.load.LoadQueries.ComponentLoad;
import dev.weft.scheduler.load.LoadQueries.EdgeLoad;
import dev.weft.scheduler.load.LoadQueries.WindowLoad;
import dev.weft.scheduler.registry.Registry;
import dev.weft.scheduler.registry.Registry.RegisteredComponent;
import dev.weft.scheduler.registry.Registry.RegisteredVersion;
import dev.weft.scheduler.rollouts.RolloutStore.Stored;
import dev.weft.scheduler.violations.Violations;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * What the driver observes for one move of a rollout: the new version's placement (its deployment's state), both
 * versions' load over the current step's interval (for the gates), the calls that crossed versions since the rollout
 * started, and the in-flight requests of the version being drained.
 */
@Component
class RolloutObserver {

    private final Deployments deployments;
    private final Registry registry;
    private final LoadQueries load;
    private final Violations violations;
    private final AgentDirectory agents;
    private final RolloutProperties properties;
    private final Clock clock;

    RolloutObserver(
            Deployments deployments,
            Registry registry,
            LoadQueries load,
            Violations violations,
            AgentDirectory agents,
            RolloutProperties properties,
            Clock clock) {
        this.deployments = deployments;
        this.registry = registry;
        this.load = load;
        this.violations = violations;
        this.agents = agents;
        this.properties = properties;
        this.clock = clock;
    }

    Observation observe(Stored rollout) {
        RolloutState state = rollout.state();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return new Observation(
                placement(state),
                comparison(rollout, now),
                violations.callsSince(state.application(), state.createdAt()),
                inFlight(rollout, now));
    }

    /** The new version's placement as its deployment says. */
    PlacementStatus placement(RolloutState state) {
        Optional<Deployment> found = deployments.deployment(state.application(), state.to());
        if (found.isEmpty()) {
            return new PlacementStatus.Placing(state.to() + " is not placed yet");
        }
        Deployment d = found.get();
        return switch (d.state()) {
            case PLACED -> new PlacementStatus.Complete();
            case PLACING ->
                new PlacementStatus.Placing(
                        d.replicasWanted() == 0
                                ? d.reason()
                                : d.replicasRunning() + " of " + d.replicasWanted() + " replicas running");
            case SHORT_OF_CAPACITY -> new PlacementStatus.ShortOfCapacity(d.reason());
            case FAILED -> new PlacementStatus.Failed(d.reason());
            case RELEASING, RELEASED -> new PlacementStatus.Placing(state.to() + " is " + d.state() + ", placed again");
        };
    }

    /** Both versions over the current step's interval, when a step with traffic runs and has gates to read. */
    private @Nullable LoadComparison comparison(Stored rollout, Instant now) {
        RolloutState state = rollout.state();
        Instant start = state.gateWindowStart();
        Policy policy = rollout.policy();
        if (start == null
                || !start.isBefore(now)
                || policy.gatesAt(state.step()).isEmpty()) {
            return null;
        }
        return new LoadComparison(
                start,
                now,
                versionLoad(rollout.toVersionId(), state.to(), start, now),
                versionLoad(rollout.fromVersionId(), state.from(), start, now));
    }

    /**
     * One version's load over {@code [start, end)} as the gates read it: rates averaged over the whole interval (the
     * load API averages over the time reported, so a rate is scaled by the share of the interval its reports cover),
     * memory and in-flight the highest one replica reported, latency as reported.
     */
    private VersionLoad versionLoad(long versionId, String version, Instant start, Instant end) {
        Optional<RegisteredVersion> registered = registry.version(versionId);
        if (registered.isEmpty()) {
            return VersionLoad.none(version);
        }
        Map<Long, String> names = new HashMap<>();
        for (RegisteredComponent c : registered.get().components()) {
            names.put(c.id(), c.name());
        }
        WindowLoad window = load.window(versionId, start, end);
        double seconds = window.seconds();
        List<ComponentFigures> components = new ArrayList<>();
        for (ComponentLoad c : window.components()) {
            String name = names.get(c.componentId());
            if (name == null || c.samples() == 0) {
                continue;
            }
            double share = share(c.coveredSeconds(), seconds);
            components.add(new ComponentFigures(
                    name,
                    c.cpuCores() * share,
                    c.memoryMiB(),
                    c.requestsPerSecond() * share,
                    c.errorsPerSecond() * share,
                    c.inFlight(),
                    c.samples()));
        }
        List<EdgeFigures> edges = new ArrayList<>();
        for (EdgeLoad e : window.edges()) {
            String caller = names.get(e.callerId());
            String callee = names.get(e.calleeId());
            if (caller == null || callee == null || e.samples() == 0) {
                continue;
            }
            double share = share(e.coveredSeconds(), seconds);
            edges.add(new EdgeFigures(
                    caller,
                    callee,
                    e.callsPerSecond() * share,
                    e.bytesPerSecond() * share,
                    e.errorsPerSecond() * share,
                    e.latencyP50Ms(),
                    e.latencyP99Ms(),
                    e.samples()));
        }
        return new VersionLoad(version, components, edges);
    }

    private static double share(double covered, double seconds) {
        return seconds <= 0 ? 0 : Math.max(0, Math.min(1, covered / seconds));
    }

    /**
     * The requests in flight in the version being drained: 0 as of now when no live agent reports a replica of it;
     * else the sum over its components of the highest in-flight one replica reported over the last
     * {@code weft.rollouts.in-flight-window}, counting only reports after its traffic stopped (null until there is
     * one).
     */
    private @Nullable InFlight inFlight(Stored rollout, Instant now) {
        RolloutState state = rollout.state();
        String version = state.drainingVersion();
        if (version == null) {
            return null;
        }
        Instant stopped = state.phase() == Phase.ABORTING ? state.drainStartedAt() : state.promotedAt();
        if (stopped == null) {
            return null;
        }
        boolean runs = false;
        for (AgentSnapshot agent : agents.live()) {
            for (AgentSnapshot.ReportedReplica r : agent.replicas()) {
                if (r.application().equals(state.application()) && r.version().equals(version)) {
                    runs = true;
                    break;
                }
            }
        }
        if (!runs) {
            return new InFlight(0, now.isAfter(stopped) ? now : stopped.plusMillis(1));
        }
        Instant from = later(stopped.plusMillis(1), now.minus(properties.inFlightWindow()));
        if (!from.isBefore(now)) {
            return null;
        }
        long versionId = version.equals(state.to()) ? rollout.toVersionId() : rollout.fromVersionId();
        WindowLoad window = load.window(versionId, from, now);
        double requests = 0;
        long samples = 0;
        for (ComponentLoad c : window.components()) {
            requests += c.inFlight();
            samples += c.samples();
        }
        return samples == 0 ? null : new InFlight(requests, from);
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
