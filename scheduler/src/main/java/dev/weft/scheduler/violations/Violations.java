package dev.weft.scheduler.violations;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;

/** Records and counts calls that crossed versions. */
public interface Violations {

    /**
     * Stores what one agent observed, with a {@code VERSION_VIOLATION} audit event per kind of call, joining the
     * caller's transaction if there is one. Every name must be a registered application, version and component
     * (callers check them first: only registered names are stored).
     */
    void record(String agentId, Source source, List<Observed> observed);

    /** The calls across versions of the application observed at or after {@code since}. */
    long callsSince(String application, Instant since);

    /** How the calls were observed. */
    enum Source {
        /** The callee's agent refused them and said so with a {@code ViolationReport}. */
        AGENT_REFUSED,
        /** An agent's load report listed an edge between two versions (the report itself is refused). */
        LOAD_EDGE
    }

    /** Calls of one kind: from a component of one version to a component of another. */
    record Observed(
            String application, String callerVersion, String caller, String calleeVersion, String callee, long calls) {
        public Observed {
            requireNonNull(application, "application is null");
            requireNonNull(callerVersion, "callerVersion is null");
            requireNonNull(caller, "caller is null");
            requireNonNull(calleeVersion, "calleeVersion is null");
            requireNonNull(callee, "callee is null");
            if (calls <= 0) {
                throw new IllegalArgumentException("calls must be at least 1, was " + calls);
            }
            if (callerVersion.equals(calleeVersion)) {
                throw new IllegalArgumentException("a call inside version " + callerVersion + " is no violation");
            }
        }
    }

    /** What the REST API serves: one application's violations, grouped by kind of call, and the total. */
    record Summary(String application, long totalCalls, List<Kind> items) {
        public Summary {
            items = List.copyOf(items);
        }
    }

    /**
     * One kind of violating call, as observed from one source.
     *
     * @param calls the calls observed, summed over every report of this kind
     * @param reports how many reports (from any agent) named it
     * @param agents the agents that observed it (at most 20 listed)
     */
    record Kind(
            String callerVersion,
            String caller,
            String calleeVersion,
            String callee,
            Source source,
            long calls,
            long reports,
            List<String> agents,
            Instant firstObservedAt,
            Instant lastObservedAt) {
        public Kind {
            agents = List.copyOf(agents);
        }
    }
}
