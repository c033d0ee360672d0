package dev.weft.scheduler.rollouts;

import dev.weft.rollout.Action;
import dev.weft.rollout.Phase;
import dev.weft.rollout.RolloutEvent;
import dev.weft.rollout.RolloutState;
import dev.weft.rollout.Transition;
import dev.weft.rollout.routing.Weights;
import dev.weft.scheduler.deployments.Deployments;
import dev.weft.scheduler.deployments.Deployments.Deployment;
import dev.weft.scheduler.deployments.Deployments.State;
import dev.weft.scheduler.deployments.Deployments.Weight;
import dev.weft.scheduler.events.AuditEvent;
import dev.weft.scheduler.events.AuditLog;
import dev.weft.scheduler.rollouts.RolloutStore.Stored;
import dev.weft.scheduler.system.WeftException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stores a rollout's moves with their events, and carries out what they ask of deployments. Every action is a
 * desired state (place this version, make this the split, release that version), so carrying one out again after a
 * crash between the commit and the effect is harmless; {@link #reconcile} re-asserts the whole desired state, and a
 * split that already holds is not pushed again (its generation does not move).
 */
@Component
class RolloutMoves {

    private static final Logger log = LoggerFactory.getLogger(RolloutMoves.class);

    private final RolloutStore store;
    private final Deployments deployments;
    private final AuditLog auditLog;

    RolloutMoves(RolloutStore store, Deployments deployments, AuditLog auditLog) {
        this.store = store;
        this.deployments = deployments;
        this.auditLog = auditLog;
    }

    /** Stores the transition of a rollout read (and locked) at its revision, with one audit event per event. */
    @Transactional(propagation = Propagation.MANDATORY)
    Stored persist(Stored rollout, Transition transition) {
        if (!transition.changed()) {
            return rollout;
        }
        if (!store.update(rollout.id(), rollout.revision(), transition.state())) {
            throw new IllegalStateException("rollout " + rollout.id() + " was written meanwhile");
        }
        record(rollout.id(), transition.state(), transition.events());
        return new Stored(
                rollout.id(),
                rollout.applicationId(),
                rollout.fromVersionId(),
                rollout.toVersionId(),
                transition.state(),
                rollout.policy(),
                rollout.revision() + 1,
                rollout.createdBy());
    }

    @Transactional(propagation = Propagation.MANDATORY)
    void record(long id, RolloutState state, List<RolloutEvent> events) {
        for (RolloutEvent event : events) {
            Map<String, Object> details = new HashMap<>();
            details.put("rollout", id);
            details.put("from", state.from());
            details.put("to", state.to());
            details.put("state", state.phase().name());
            details.put("step", state.step());
            details.put("weights", weights(state.weights()));
            if (event.actor() != null) {
                details.put("actor", event.actor());
            }
            if (state.abortCause() != null) {
                details.put("abortCause", state.abortCause().name());
            }
            auditLog.record(new AuditEvent(
                    event.kind().name(), state.application(), state.to(), null, event.message(), details));
        }
    }

    /** Carries out a move's actions, in order; one that fails is logged and re-asserted by the next reconcile. */
    void carryOut(RolloutState state, List<Action> actions) {
        for (Action action : actions) {
            try {
                switch (action) {
                    case Action.Place place -> deployments.place(state.application(), place.version());
                    case Action.PushTraffic push ->
                        deployments.setTrafficSplit(state.application(), split(push.weights()), why(state));
                    case Action.Drain drain ->
                        log.info(
                                "Rollout of {}: {} gets no new requests and drains",
                                state.application(),
                                drain.version());
                    case Action.Release release -> release(state.application(), release.version());
                }
            } catch (RuntimeException e) {
                log.warn(
                        "Rollout of {} from {} to {}: {} not carried out yet ({}); the next move tries again",
                        state.application(),
                        state.from(),
                        state.to(),
                        action,
                        e.toString());
            }
        }
    }

    /**
     * Re-asserts what the rollout's state wants of deployments: the new version placed while it may still serve, the
     * application's split equal to the rollout's weights, and the version it let go released once it finished.
     */
    void reconcile(RolloutState state) {
        Phase phase = state.phase();
        if (phase == Phase.PENDING || (phase == Phase.PAUSED && state.pausedFrom() == Phase.PENDING)) {
            return;
        }
        try {
            String application = state.application();
            boolean keepsTo = phase != Phase.ABORTING && phase != Phase.ROLLED_BACK;
            if (keepsTo && !placedOrPlacing(application, state.to())) {
                deployments.place(application, state.to());
            }
            List<Weight> wanted = split(state.weights());
            if (!deployments.trafficSplit(application).equals(wanted)) {
                deployments.setTrafficSplit(application, wanted, why(state));
            }
            if (phase == Phase.DONE) {
                release(application, state.from());
            } else if (phase == Phase.ROLLED_BACK) {
                release(application, state.to());
            }
        } catch (RuntimeException e) {
            log.warn("Rollout of {}: could not reconcile yet ({})", state.application(), e.toString());
        }
    }

    private boolean placedOrPlacing(String application, String version) {
        Optional<Deployment> d = deployments.deployment(application, version);
        return d.isPresent() && d.get().state() != State.RELEASING && d.get().state() != State.RELEASED;
    }

    private void release(String application, String version) {
        Optional<Deployment> d = deployments.deployment(application, version);
        if (d.isEmpty() || d.get().state() == State.RELEASING || d.get().state() == State.RELEASED) {
            return;
        }
        try {
            deployments.release(application, version);
        } catch (WeftException gone) {
            log.debug("Rollout of {}: {} is released already ({})", application, version, gone.detail());
        }
    }

    static List<Weight> split(Weights weights) {
        return weights.entries().stream()
                .map(w -> new Weight(w.version(), w.basisPoints()))
                .toList();
    }

    private static List<Map<String, Object>> weights(Weights weights) {
        return weights.entries().stream()
                .map(w -> Map.<String, Object>of("version", w.version(), "basisPoints", w.basisPoints()))
                .toList();
    }

    private static String why(RolloutState state) {
        return "rollout of '" + state.application() + "' from '" + state.from() + "' to '" + state.to() + "' is "
                + state.phase()
                + (state.phase() == Phase.RAMPING || state.phase() == Phase.PAUSED
                        ? " (step " + state.step() + ")"
                        : "");
    }
}
