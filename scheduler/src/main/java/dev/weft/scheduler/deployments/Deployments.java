package dev.weft.scheduler.deployments;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Deploying versions and steering an application's traffic, for operators (through REST) and for the rollout
 * driver. Every call is one transaction with its audit event; pushes to agents follow its commit. State changes
 * are announced with {@link DeploymentChanged} events.
 *
 * <p>A version is <b>fully placed</b> when its active plan places every replica it wants (nothing unplaced) and every
 * one of those replicas is reported {@code RUNNING} — with its assignment id — by its agent, in the agent's hello or
 * latest heartbeat, while that agent is connected. Only then may it get traffic.
 */
public interface Deployments {

    /**
     * Deploys an application's first version: placed now, and given 100 % of the application's traffic once fully
     * placed. Deploying a version already deployed returns it as it stands.
     *
     * @throws dev.weft.scheduler.system.WeftException {@code APPLICATION_ALREADY_SERVING} when another version of
     *     the application is deployed (a later version goes in through a rollout), or not found
     */
    Deployment deploy(String application, String version);

    /**
     * Places a version beside whatever serves, without giving it traffic (what a rollout does first). Returns it as it
     * stands if it is already placed or being placed.
     */
    Deployment place(String application, String version);

    /** The version's deployment, if it was ever deployed or placed. */
    Optional<Deployment> deployment(String application, String version);

    /** The application's deployments that are not released, oldest first. */
    List<Deployment> deployments(String application);

    /**
     * Sets the application's traffic split: weights in routing order (the version a rollout moves to first, then the
     * one it moves from, then any other at 0), in basis points adding up to 10000, or none (no version serves). A
     * version may get a weight above 0 only when it is fully placed ({@link State#PLACED}), or was fully placed and still
     * runs (short of capacity after losing an agent, say: its traffic can always go back to it). Pushed to every agent that
     * hosts an ingress component of the application.
     */
    void setTrafficSplit(String application, List<Weight> weights, String why);

    /** The application's traffic split in routing order (empty: no version serves). */
    List<Weight> trafficSplit(String application);

    /**
     * An operator's undeploy: {@link #release}, unless a {@link ReleaseGuard} refuses it (a rollout in flight owns
     * the version).
     */
    Deployment undeploy(String application, String version);

    /**
     * Releases a version: it loses its traffic at once (the rest of the split is scaled back up to 10000), then its
     * replicas are stopped; {@link State#RELEASED} once no agent runs any.
     */
    Deployment release(String application, String version);

    /** A version's share of its application's new requests, in basis points (0..10000). */
    record Weight(String version, int basisPoints) {
        public Weight {
            requireNonNull(version, "version is null");
            if (basisPoints < 0 || basisPoints > 10_000) {
                throw new IllegalArgumentException("weight of " + version + " must be 0..10000 bp, was " + basisPoints);
            }
        }
    }

    /** Where a deployment stands. */
    enum State {
        /** Being placed: no plan applied yet, or its replicas are not all running yet. */
        PLACING,
        /** No plan fits (or the running plan lost capacity and is short of replicas); {@code reason} says why. */
        SHORT_OF_CAPACITY,
        /** Fully placed: every replica of its plan runs. */
        PLACED,
        /** Its replicas failed to start on the agents that could run them; {@code reason} says where and why. */
        FAILED,
        /** Losing its traffic and stopping its replicas. */
        RELEASING,
        /** Stopped everywhere. */
        RELEASED
    }

    /**
     * A deployment as it stands.
     *
     * @param takesTraffic the application's first version, deployed by an operator: it gets 100 % once placed
     * @param weightBasisPoints its current share of the application's traffic
     * @param planGeneration the generation of its active plan (null: none applied yet)
     * @param replicasWanted replicas its active plan wants
     * @param replicasRunning of those, reported RUNNING by their connected agents
     */
    record Deployment(
            String application,
            String version,
            State state,
            String reason,
            boolean takesTraffic,
            int weightBasisPoints,
            Instant requestedAt,
            Instant stateChangedAt,
            @Nullable Instant placedAt,
            @Nullable Long planGeneration,
            int replicasWanted,
            int replicasRunning) {
        public Deployment {
            requireNonNull(application, "application is null");
            requireNonNull(version, "version is null");
            requireNonNull(state, "state is null");
            requireNonNull(reason, "reason is null");
        }
    }
}
