package dev.weft.scheduler.planning;

import dev.weft.placement.model.Agent;
import dev.weft.scheduler.planning.PlanRecord.Assignment;
import dev.weft.scheduler.planning.PlanRecord.Group;
import dev.weft.scheduler.planning.World.Usage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether the running plan still holds in today's world; a plan that does not is replaced even by a costlier one. It
 * fails when a replica's agent cannot run it any more (lost, released, revoked, draining, or this version failed to
 * start on it too often), a pinned component runs on an agent without the label, an agent is assigned more than its
 * capacity, a group runs fewer replicas than today's load needs, or part of the plan was never placed.
 */
final class Validity {

    private Validity() {}

    /** Problems with the agents the plan runs on: what the periodic check acts on at once. */
    static List<String> agentProblems(PlanRecord current, BuiltProblem built) {
        Set<String> out = new LinkedHashSet<>();
        Map<String, Usage> own = ProblemBuilder.ownUsage(current);
        for (Group g : current.groups()) {
            for (Assignment a : g.assignments()) {
                if (!built.agents().containsKey(a.agentId())) {
                    out.add("agent '" + a.agentId() + "' "
                            + built.unusable().getOrDefault(a.agentId(), "is not live (lost, released or revoked)"));
                    continue;
                }
                Set<String> labels = built.labels().getOrDefault(a.agentId(), Set.of());
                for (String c : g.components()) {
                    String pin = built.pins().get(c);
                    if (pin != null && !labels.contains(pin)) {
                        out.add("component '" + c + "' is pinned to " + pin + " but agent '" + a.agentId()
                                + "' no longer carries it");
                    }
                }
            }
        }
        for (Agent agent : built.problem().agents()) {
            Usage mine = own.get(agent.id());
            if (mine == null) {
                continue;
            }
            double cpu = agent.cpuUsed() + mine.cpuMillis() / 1000.0;
            double mem = agent.memUsed() + mine.memoryMiB() / 1024.0;
            if (cpu > agent.cpuCapacity() + 1e-9 || mem > agent.memCapacity() + 1e-9) {
                out.add(String.format(
                        java.util.Locale.ROOT,
                        "agent '%s' is assigned %.3f cores and %.3f GiB but offers %.3f cores and %.3f GiB",
                        agent.id(),
                        cpu,
                        mem,
                        agent.cpuCapacity(),
                        agent.memCapacity()));
            }
        }
        return List.copyOf(out);
    }

    /** Every reason the running plan is no longer valid; empty when it still holds. */
    static List<String> problems(PlanRecord current, BuiltProblem built) {
        List<String> out = new ArrayList<>(agentProblems(current, built));
        Costs costs = new Costs(built.problem());
        for (Group g : current.groups()) {
            int needed = costs.replicas(g.componentSet());
            int running = (int) g.assignments().stream()
                    .filter(a -> built.agents().containsKey(a.agentId()))
                    .count();
            if (running < needed) {
                out.add("group '" + g.name() + "' needs " + needed + " replica(s) at today's load and runs " + running);
            }
        }
        if (!current.unplaced().isEmpty()) {
            out.add(current.unplaced().size() + " part(s) of the running plan could not be placed");
        }
        return List.copyOf(new LinkedHashSet<>(out));
    }
}
