package dev.weft.scheduler.planning;

import dev.weft.placement.model.Problem;
import dev.weft.scheduler.agents.AgentSnapshot;
import java.util.Map;
import java.util.Set;

/**
 * A version's {@link Problem} and what it was built from.
 *
 * @param agents the agents in the problem, by id (eligible and keeping)
 * @param eligible ids of the agents that may take new replicas
 * @param unusable live agents left out, with why
 * @param labels each problem agent's labels as the planner matches them
 */
record BuiltProblem(
        Problem problem,
        PlanInputs inputs,
        Map<String, AgentSnapshot> agents,
        Set<String> eligible,
        Map<String, String> unusable,
        Map<String, Set<String>> labels,
        Map<String, String> pins) {

    BuiltProblem {
        agents = Map.copyOf(agents);
        eligible = Set.copyOf(eligible);
        unusable = Map.copyOf(unusable);
        labels = Map.copyOf(labels);
        pins = Map.copyOf(pins);
    }
}
