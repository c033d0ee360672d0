package dev.weft.scheduler.planning;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A what-if: today's inputs of the version's plan with overrides. Every field is optional; unknown fields are
 * refused.
 *
 * @param loadFactor multiplies every component's cpu and requests and every edge's calls and bytes (e.g. 2 = twice
 *                   today's load); more than 0, at most 1000
 * @param componentLoadFactors per component: multiplies its cpu and requests and the calls and bytes of the edges it
 *                             is the callee of (applied on top of loadFactor)
 * @param removeAgents agents to plan without, as if they were lost
 * @param addAgents agents to plan with as well, as if they had joined
 * @param addConstraints constraints to add
 * @param removeConstraints constraints of the version to drop; each must match one (sets and pairs in any order)
 * @param costModel cost-model parameters to use instead of the configured ones
 */
@Schema(description = "A what-if preview: today's inputs with overrides; nothing is applied")
record PreviewRequest(
        @Nullable Double loadFactor,
        @Nullable Map<String, Double> componentLoadFactors,
        @Nullable List<String> removeAgents,
        @Nullable List<AgentOverride> addAgents,
        @Nullable ConstraintChange addConstraints,
        @Nullable ConstraintChange removeConstraints,
        PlanningProperties.@Nullable CostModelProperties costModel) {

    /**
     * An agent to add: id (unique among the agents), zone (default "default"), labels, capacity in millicores and MiB.
     */
    record AgentOverride(
            @Nullable String id,
            @Nullable String zone,
            @Nullable Map<String, String> labels,
            @Nullable Integer cpuMillis,
            @Nullable Integer memoryMiB) {}

    /** Constraints in the version spec's form. */
    record ConstraintChange(
            @Nullable List<List<String>> colocate,
            @Nullable List<List<String>> separate,
            @Nullable List<Pin> pins) {}

    /** A pin: the component and the agent label ("key" or "key=value"). */
    record Pin(@Nullable String component, @Nullable String label) {}
}
