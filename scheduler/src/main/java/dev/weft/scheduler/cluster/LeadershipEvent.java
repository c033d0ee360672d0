package dev.weft.scheduler.cluster;

import static java.util.Objects.requireNonNull;

/**
 * A change of this node's leadership, published as a Spring application event on one thread of its own, in the
 * order the changes happened (listen with {@code @EventListener}). Listeners should return promptly and start
 * long work on their own threads; an exception from a listener is logged.
 */
public sealed interface LeadershipEvent {

    String nodeId();

    long epoch();

    /** This node became leader: {@code term} fences every change it makes until it ends. */
    record Acquired(Term term) implements LeadershipEvent {

        public Acquired {
            requireNonNull(term, "term is null");
        }

        @Override
        public String nodeId() {
            return term.nodeId();
        }

        @Override
        public long epoch() {
            return term.epoch();
        }
    }

    /** This node stopped being leader; its term's fenced changes are refused from now on. */
    record Lost(String nodeId, long epoch, LossReason reason, String detail) implements LeadershipEvent {

        public Lost {
            requireNonNull(nodeId, "nodeId is null");
            requireNonNull(reason, "reason is null");
            requireNonNull(detail, "detail is null");
        }
    }

    /** Why a node stopped leading. */
    enum LossReason {
        /** The lock connection broke or a check on it failed or timed out (the session, and the lock, may be gone). */
        CONNECTION_LOST,
        /** The lock connection is alive but no longer holds the lock. */
        LOCK_NOT_HELD,
        /** Another node took a newer epoch. */
        EPOCH_SUPERSEDED,
        /** This node is shutting down and released the lock. */
        SHUTDOWN
    }
}
