package dev.weft.scheduler.planning;

import dev.weft.placement.Baselines;
import dev.weft.placement.GroupExplanation;
import dev.weft.placement.Hysteresis;
import dev.weft.placement.Plan;
import dev.weft.placement.PlanResult;
import dev.weft.placement.PlannedGroup;
import dev.weft.placement.Score;
import dev.weft.placement.model.Reason;
import dev.weft.scheduler.planning.PlanRecord.Assignment;
import dev.weft.scheduler.planning.PlanRecord.Decision;
import dev.weft.scheduler.planning.PlanRecord.Group;
import dev.weft.scheduler.planning.PlanRecord.Status;
import dev.weft.scheduler.planning.PlanRecord.Unplaced;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Decides what becomes of a computed plan: applied when nothing runs yet, when the running plan is no longer valid
 * ({@link Validity}), or when it is cheaper than the running plan — priced with the replicas that really run, at
 * today's load — by more than the hysteresis margin; kept out otherwise, with the reason. When no plan fits and the
 * running one broke, a {@link Degraded} plan keeps what can run. Pure: the same inputs give the same decision.
 */
final class Decider {

    private Decider() {}

    /** What to store for a generation, and whether to apply it. */
    record Outcome(
            Status status,
            Decision decision,
            String reason,
            List<Group> groups,
            @Nullable Score score,
            @Nullable Baselines baselines,
            List<GroupExplanation> explanations,
            @Nullable String solver,
            boolean provenOptimal,
            List<Unplaced> unplaced) {
        Outcome {
            groups = List.copyOf(groups);
            explanations = List.copyOf(explanations);
            unplaced = List.copyOf(unplaced);
        }
    }

    static Outcome decide(
            BuiltProblem built,
            PlanResult result,
            @Nullable PlanRecord current,
            long versionId,
            long generation,
            double margin) {
        PlanRecord live = current != null
                        && current.status() != Status.RELEASE
                        && !current.groups().isEmpty()
                ? current
                : null;
        List<String> invalid = live != null ? Validity.problems(live, built) : List.of();
        return switch (result) {
            case PlanResult.Feasible feasible -> {
                Plan plan = feasible.plan();
                List<Group> groups = groups(plan, live, versionId, generation);
                double cost = plan.score().costPerHour();
                if (live == null) {
                    yield outcome(plan, groups, Decision.APPLIED_FIRST, "the version runs no plan yet");
                }
                if (!invalid.isEmpty()) {
                    yield outcome(
                            plan,
                            groups,
                            Decision.APPLIED_INVALID,
                            "the running plan is no longer valid: " + String.join("; ", invalid));
                }
                if (identical(groups, live.groups())) {
                    yield outcome(
                            plan,
                            groups,
                            Decision.KEPT_IDENTICAL,
                            String.format(
                                    Locale.ROOT,
                                    "the same groups on the same agents as the running generation %d ($%.5f/h)",
                                    live.generation(),
                                    cost));
                }
                double now = runningCost(live, built);
                if (new Hysteresis(margin).beats(cost, now)) {
                    yield outcome(
                            plan,
                            groups,
                            Decision.APPLIED_BETTER,
                            String.format(
                                    Locale.ROOT,
                                    "cheaper than the running generation %d by %.1f%% ($%.5f/h instead of $%.5f/h at today's load), more than the %.1f%% margin",
                                    live.generation(),
                                    100 * (now - cost) / now,
                                    cost,
                                    now,
                                    100 * margin));
                }
                yield outcome(
                        plan,
                        groups,
                        Decision.KEPT_NOT_BETTER,
                        String.format(
                                Locale.ROOT,
                                "$%.5f/h against $%.5f/h for the running generation %d at today's load: not cheaper by more than the %.1f%% margin",
                                cost,
                                now,
                                live.generation(),
                                100 * margin));
            }
            case PlanResult.Infeasible infeasible -> {
                List<Unplaced> reasons =
                        infeasible.reasons().stream().map(Decider::unplaced).toList();
                String why = "no plan fits: "
                        + String.join(
                                "; ",
                                infeasible.reasons().stream()
                                        .map(Reason::message)
                                        .toList());
                if (live != null && !invalid.isEmpty()) {
                    Degraded.Result degraded = Degraded.place(live, built, versionId, generation);
                    if (identical(degraded.groups(), live.groups())) {
                        yield new Outcome(
                                Status.INFEASIBLE,
                                Decision.KEPT_INFEASIBLE,
                                why + "; nothing of the running plan can be improved, so it stays",
                                List.of(),
                                null,
                                infeasible.baselines(),
                                List.of(),
                                null,
                                false,
                                reasons);
                    }
                    List<Unplaced> unplaced = new ArrayList<>(degraded.unplaced());
                    Costs costs = new Costs(built.problem());
                    double cost = 0;
                    double cores = 0;
                    double memory = 0;
                    int replicas = 0;
                    for (Group g : degraded.groups()) {
                        cost += costs.cost(g.componentSet(), g.assignments().size());
                        cores += g.cores();
                        memory += g.memoryGiB();
                        replicas += g.assignments().size();
                    }
                    Score score = new Score(
                            cost,
                            cores,
                            memory,
                            remoteCores(degraded.groups(), built),
                            degraded.groups().size(),
                            replicas);
                    Status status = unplaced.isEmpty() ? Status.FEASIBLE : Status.PARTIAL;
                    yield new Outcome(
                            status,
                            Decision.APPLIED_INVALID,
                            "the running plan is no longer valid ("
                                    + String.join("; ", invalid) + ") and " + why
                                    + (unplaced.isEmpty()
                                            ? "; its grouping was kept and every replica placed"
                                            : "; what still runs is kept and " + unplaced.size()
                                                    + " group(s) are short of replicas"),
                            degraded.groups(),
                            score,
                            infeasible.baselines(),
                            List.of(),
                            "degraded",
                            false,
                            unplaced);
                }
                yield new Outcome(
                        Status.INFEASIBLE,
                        Decision.KEPT_INFEASIBLE,
                        live != null ? why + "; the running generation " + live.generation() + " stays" : why,
                        List.of(),
                        null,
                        infeasible.baselines(),
                        List.of(),
                        null,
                        false,
                        reasons);
            }
        };
    }

    /** Cores burnt by edges whose ends are in different groups. */
    private static double remoteCores(List<Group> groups, BuiltProblem built) {
        Map<String, Integer> groupOf = new HashMap<>();
        groups.forEach(g -> g.components().forEach(c -> groupOf.put(c, g.index())));
        double cores = 0;
        for (var e : built.problem().edges()) {
            if (!java.util.Objects.equals(groupOf.get(e.caller()), groupOf.get(e.callee()))) {
                cores += built.problem().costModel().edgeCores(e.callsPerSecond(), e.bytesPerSecond());
            }
        }
        return cores;
    }

    private static Outcome outcome(Plan plan, List<Group> groups, Decision decision, String reason) {
        return new Outcome(
                Status.FEASIBLE,
                decision,
                reason,
                groups,
                plan.score(),
                plan.baselines(),
                plan.explanations(),
                plan.solver(),
                plan.provenOptimal(),
                List.of());
    }

    static Unplaced unplaced(Reason r) {
        return new Unplaced(r.code().name(), r.subject(), r.message());
    }

    /** The running plan priced at today's load with the replicas each group really runs. */
    static double runningCost(PlanRecord current, BuiltProblem built) {
        Costs costs = new Costs(built.problem());
        double total = 0;
        for (Group g : current.groups()) {
            total += costs.cost(g.componentSet(), g.assignments().size());
        }
        return total;
    }

    /** Same groups with the same replicas on the same agents. */
    static boolean identical(List<Group> a, List<Group> b) {
        return shape(a).equals(shape(b));
    }

    private static Map<Set<String>, List<String>> shape(List<Group> groups) {
        Map<Set<String>, List<String>> out = new HashMap<>();
        for (Group g : groups) {
            List<String> agents = new ArrayList<>(
                    g.assignments().stream().map(Assignment::agentId).toList());
            agents.sort(null);
            out.put(g.componentSet(), agents);
        }
        return out;
    }

    /**
     * The planner's groups with assignment ids: a replica on an agent that already runs a replica of the same
     * components keeps that replica's id (so the agent does not restart it); every other one gets a new id.
     */
    static List<Group> groups(Plan plan, @Nullable PlanRecord current, long versionId, long generation) {
        Map<String, Queue<String>> reusable = new HashMap<>();
        if (current != null) {
            for (Group g : current.groups()) {
                for (Assignment a : g.assignments()) {
                    reusable.computeIfAbsent(key(g.componentSet(), a.agentId()), k -> new ArrayDeque<>())
                            .add(a.assignmentId());
                }
            }
        }
        List<Group> out = new ArrayList<>();
        List<PlannedGroup> planned = plan.groups();
        for (int index = 0; index < planned.size(); index++) {
            PlannedGroup g = planned.get(index);
            Set<String> set = new TreeSet<>(g.components());
            int cpuEach = (int) Math.ceil(1000 * g.cores() / g.replicas() - 1e-6);
            int memEach = (int) Math.ceil(1024 * g.memory() / g.replicas() - 1e-6);
            List<Assignment> assignments = new ArrayList<>();
            for (int r = 0; r < g.agents().size(); r++) {
                String agent = g.agents().get(r);
                Queue<String> ids = reusable.get(key(set, agent));
                String id = ids != null && !ids.isEmpty()
                        ? ids.poll()
                        : "a" + versionId + "-" + generation + "-" + index + "-" + r;
                assignments.add(new Assignment(id, agent, r, cpuEach, memEach));
            }
            out.add(new Group(
                    index,
                    g.id(),
                    g.components(),
                    g.replicas(),
                    g.cpu(),
                    g.cores(),
                    g.memory(),
                    g.labels(),
                    assignments));
        }
        return out;
    }

    private static String key(Set<String> components, String agent) {
        return agent + "\u0000" + String.join(",", components);
    }
}
