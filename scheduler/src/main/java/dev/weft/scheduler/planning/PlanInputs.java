package dev.weft.scheduler.planning;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one plan was computed from, as stored with it ({@code plans.inputs}) and shown over REST: the figures of every
 * component and of the heaviest edges in the planner's units, whether they were measured or declared, and the agents.
 *
 * @param load {@code MEASURED} (agents reported load for the version in the window) or {@code DECLARED} (the
 *             version's hints: no load yet)
 * @param loadFrom start of the window the load was read over (null when declared)
 * @param loadTo end of that window
 * @param edgesTotal how many edges the problem had (only the heaviest {@link #MAX_EDGES} are listed)
 */
record PlanInputs(
        Instant computedAt,
        String load,
        @Nullable Instant loadFrom,
        @Nullable Instant loadTo,
        List<ComponentInput> components,
        List<EdgeInput> edges,
        int edgesTotal,
        Agents agents,
        CostModelView costModel) {

    static final int MAX_EDGES = 500;

    PlanInputs {
        components = List.copyOf(components);
        edges = List.copyOf(edges);
    }

    /**
     * One component as the planner saw it.
     *
     * @param cpu cores of work of all its replicas together
     * @param memoryGiB what each replica of a process hosting it needs for it
     */
    record ComponentInput(
            String name, double cpu, double memoryGiB, double requestsPerSecond, int minReplicas, int maxReplicas) {}

    /** One call edge as the planner saw it. */
    record EdgeInput(String caller, String callee, double callsPerSecond, double bytesPerSecond) {}

    /**
     * The agents the plan could use: {@code eligible} take new replicas; {@code keeping} (cordoned, or disconnected
     * with the lease running) keep the replicas of this version they have and take no new ones; {@code excluded}
     * could not be used, each with why.
     */
    record Agents(int eligible, int keeping, List<Excluded> excluded) {
        Agents {
            excluded = List.copyOf(excluded);
        }
    }

    /** An agent left out of the plan, and why. */
    record Excluded(String id, String reason) {}

    /** The cost model's parameters, as used. */
    record CostModelView(
            double callCpu,
            double byteCpu,
            double replicaCpuMax,
            double targetUtilization,
            double processCpu,
            double processMem,
            double pricePerCoreHour,
            double pricePerGiBHour,
            String preference) {

        static CostModelView of(dev.weft.placement.model.CostModel m) {
            return new CostModelView(
                    m.callCpu(),
                    m.byteCpu(),
                    m.replicaCpuMax(),
                    m.targetUtilization(),
                    m.processCpu(),
                    m.processMem(),
                    m.pricePerCoreHour(),
                    m.pricePerGiBHour(),
                    m.preference().name());
        }
    }
}
