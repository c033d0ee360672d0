package dev.weft.rollout;

import static java.util.Objects.requireNonNull;

import dev.weft.rollout.routing.Weights;

/**
 * What the scheduler must do after a transition, in the order given. Each is a desired state, so doing one
 * twice (after a crash between commit and effect) is harmless.
 */
public sealed interface Action {

    /** Plan and place every replica of the version, beside what runs; give it no traffic. */
    record Place(String version) implements Action {
        public Place {
            requireNonNull(version, "version is null");
        }
    }

    /** Make these the application's ingress weights and push them (drop rows of versions not listed). */
    record PushTraffic(Weights weights) implements Action {
        public PushTraffic {
            requireNonNull(weights, "weights is null");
        }
    }

    /** The version gets no new requests (its weight is already 0): report its in-flight requests from now on. */
    record Drain(String version) implements Action {
        public Drain {
            requireNonNull(version, "version is null");
        }
    }

    /** Stop and release every replica of the version. */
    record Release(String version) implements Action {
        public Release {
            requireNonNull(version, "version is null");
        }
    }
}
