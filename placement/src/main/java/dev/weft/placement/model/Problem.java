package dev.weft.placement.model;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Everything the planner needs for one version. The constructor rejects malformed input (unknown names,
 * duplicates); contradictions between valid constraints are reported by the planner as infeasibility.
 */
public record Problem(
        List<Component> components,
        List<Edge> edges,
        Constraints constraints,
        List<Agent> agents,
        @Nullable PreviousPlan previous,
        CostModel costModel) {
    public Problem {
        components = List.copyOf(requireNonNull(components, "components is null"));
        edges = List.copyOf(requireNonNull(edges, "edges is null"));
        requireNonNull(constraints, "constraints is null");
        agents = List.copyOf(requireNonNull(agents, "agents is null"));
        requireNonNull(costModel, "costModel is null");
        Set<String> names = new HashSet<>();
        for (Component c : components) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("duplicate component name: " + c.name());
            }
        }
        for (Edge e : edges) {
            known(names, e.caller(), "edge caller");
            known(names, e.callee(), "edge callee");
        }
        for (Set<String> set : constraints.mustColocate()) {
            set.forEach(n -> known(names, n, "mustColocate"));
        }
        for (Separation s : constraints.mustSeparate()) {
            known(names, s.a(), "mustSeparate");
            known(names, s.b(), "mustSeparate");
        }
        constraints.pins().keySet().forEach(n -> known(names, n, "pins"));
        Set<String> ids = new HashSet<>();
        for (Agent a : agents) {
            if (!ids.add(a.id())) {
                throw new IllegalArgumentException("duplicate agent id: " + a.id());
            }
        }
    }

    private static void known(Set<String> names, String name, String field) {
        if (!names.contains(name)) {
            throw new IllegalArgumentException(field + " names unknown component: " + name);
        }
    }

    public Problem withAgents(List<Agent> newAgents) {
        return new Problem(components, edges, constraints, newAgents, previous, costModel);
    }

    public Problem withPrevious(@Nullable PreviousPlan newPrevious) {
        return new Problem(components, edges, constraints, agents, newPrevious, costModel);
    }

    public Problem withCostModel(CostModel model) {
        return new Problem(components, edges, constraints, agents, previous, model);
    }
}
