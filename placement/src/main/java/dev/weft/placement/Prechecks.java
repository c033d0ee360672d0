package dev.weft.placement;

import static java.util.Objects.requireNonNull;

import dev.weft.placement.grouping.AgentLimits;
import dev.weft.placement.grouping.Graph;
import dev.weft.placement.grouping.GroupRules;
import dev.weft.placement.model.Component;
import dev.weft.placement.model.Problem;
import dev.weft.placement.model.Reason;
import dev.weft.placement.model.ReasonCode;
import dev.weft.placement.model.Separation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Finds what no grouping can fix, before any search: contradictory constraints, must-share sets whose bounds
 * cross or that no agent can hold, and pins to labels no agent has.
 */
final class Prechecks {
    private Prechecks() {}

    static List<Reason> check(Problem p, Graph merged, GroupRules rules) {
        List<Reason> out = new ArrayList<>();
        if (p.agents().isEmpty() && !p.components().isEmpty()) {
            out.add(new Reason(ReasonCode.INSUFFICIENT_CAPACITY, "agents", "no agents are registered"));
            return out;
        }
        java.util.Map<String, Integer> index = new java.util.HashMap<>();
        for (int i = 0; i < p.components().size(); i++) {
            index.put(p.components().get(i).name(), i);
        }
        for (Separation s : p.constraints().mustSeparate()) {
            int a = merged.nodeOfComponent(requireNonNull(index.get(s.a())));
            int b = merged.nodeOfComponent(requireNonNull(index.get(s.b())));
            if (a == b) {
                out.add(new Reason(
                        ReasonCode.CONTRADICTORY_CONSTRAINTS,
                        "mustSeparate " + s.a() + "/" + s.b(),
                        s.a().equals(s.b())
                                ? s.a() + " cannot be separated from itself"
                                : s.a() + " and " + s.b() + " must never share a process, but must-colocate sets "
                                        + merged.memberNames(a) + " force them together"));
            }
        }
        AgentLimits limits = rules.limits();
        var m = rules.model();
        int largestMin =
                p.components().stream().mapToInt(Component::minReplicas).max().orElse(1);
        for (int v = 0; v < merged.size(); v++) {
            List<String> names = merged.memberNames(v);
            String subject = names.size() == 1 ? "component " + names.get(0) : "must-share set " + names;
            double cpu = 0;
            double mem = 0;
            int maxMin = 0;
            int minMax = Integer.MAX_VALUE;
            for (String name : names) {
                Component c = p.components().get(requireNonNull(index.get(name)));
                cpu += c.cpu();
                mem += c.mem();
                maxMin = Math.max(maxMin, c.minReplicas());
                minMax = Math.min(minMax, c.maxReplicas());
            }
            if (maxMin > minMax) {
                out.add(new Reason(
                        ReasonCode.REPLICA_BOUNDS_CROSS,
                        subject,
                        "needs at least " + maxMin + " replicas but allows at most " + minMax));
                continue;
            }
            Set<String> labels = labelsOf(p, names);
            AgentLimits.Frontier f = limits.forLabels(labels);
            if (f.count() == 0) {
                out.add(new Reason(
                        ReasonCode.NO_AGENT_WITH_LABEL,
                        subject,
                        "pinned to label(s) " + new java.util.TreeSet<>(labels) + " but no agent has "
                                + (labels.size() == 1 ? "that label" : "all of them")));
                continue;
            }
            double replicaMem = m.processMem() + mem;
            if (replicaMem > f.maxMem() + 1e-9) {
                out.add(new Reason(
                        ReasonCode.EXCEEDS_LARGEST_AGENT,
                        subject,
                        String.format(
                                "one replica needs %.3f GiB but the largest agent%s has %.3f GiB free",
                                replicaMem,
                                labels.isEmpty() ? "" : " with " + new java.util.TreeSet<>(labels),
                                f.maxMem())));
                continue;
            }
            double replicaCpu = leastCpuPerReplica(m, cpu, minMax, largestMin);
            if (replicaCpu > f.maxCpu() + 1e-9) {
                int alone = m.replicas(cpu, maxMin, minMax);
                out.add(new Reason(
                        ReasonCode.EXCEEDS_LARGEST_AGENT,
                        subject,
                        String.format(
                                "one replica needs at least %.3f cores in any process that hosts it (%.3f cores alone, at %d "
                                        + "replica%s) but the largest agent%s has %.3f cores free",
                                replicaCpu,
                                m.cores(cpu, alone) / alone,
                                alone,
                                alone == 1 ? "" : "s",
                                labels.isEmpty() ? "" : " with " + new java.util.TreeSet<>(labels),
                                f.maxCpu())));
            } else if (maxMin > f.count()) {
                out.add(new Reason(
                        ReasonCode.TOO_FEW_AGENTS,
                        subject,
                        "needs " + maxMin + " replicas on distinct agents but only " + f.count() + " agents qualify"));
            }
        }
        return out;
    }

    /**
     * A lower bound on the cores one replica asks for in every group that contains a node with {@code cpu} cores of
     * work and the replica cap {@code cap} (its smallest maxReplicas), where no component asks for more than
     * {@code largestMin} replicas. The node alone is not the bound: more work can mean one more replica and a
     * smaller share each (1.0 core alone is one replica of 1.529 cores; with 0.5 more, two of 1.171).
     *
     * <p>Derivation, with u = targetUtilization, R = replicaCpuMax, r0 = the cpu-driven count of the node alone
     * (at least 1). A group G containing the node has work C >= cpu (members and remote calls only add), a cap
     * minMax(G) <= cap and a floor maxMin(G) <= largestMin; its r replicas ask for processCpu + C/(u r) each.
     * Which of the three terms of replicas(g) decides r:
     * <ul>
     *   <li>the cpu-driven count, r = ceil(C/(u R)) >= r0 (monotone in C). Either r = r0 and C/(u r) >= cpu/(u r0);
     *       or r >= r0 + 1 (possible only when cap >= r0 + 1), and then r - 1 < C/(u R), so C/(u r) > R (r - 1)/r
     *       >= R r0/(r0 + 1) (R/2 when r0 = 1).</li>
     *   <li>the floor, r = maxMin(G) <= min(cap, largestMin): C/(u r) >= cpu/(u min(cap, largestMin)).</li>
     *   <li>the cap, r = minMax(G) <= cap below the cpu-driven count: then r < C/(u R), so C/(u r) > R, and
     *       C/(u r) >= cpu/(u cap) as well.</li>
     * </ul>
     * The minimum over the cases that can occur bounds every G; none of it depends on which other components join.
     */
    static double leastCpuPerReplica(dev.weft.placement.model.CostModel m, double cpu, int cap, int largestMin) {
        double u = m.targetUtilization();
        int r0 = Math.max(1, m.replicasForCpu(cpu));
        double least = cpu / (u * Math.min(cap, largestMin));
        if (r0 <= cap) {
            least = Math.min(least, cpu / (u * r0));
        }
        if (r0 < cap) {
            least = Math.min(least, m.replicaCpuMax() * r0 / (r0 + 1.0));
        }
        if (cap < Integer.MAX_VALUE) {
            least = Math.min(least, Math.max(m.replicaCpuMax(), cpu / (u * cap)));
        }
        return m.processCpu() + least;
    }

    static Set<String> labelsOf(Problem p, List<String> names) {
        java.util.TreeSet<String> labels = new java.util.TreeSet<>();
        for (String n : names) {
            String pin = p.constraints().pins().get(n);
            if (pin != null) {
                labels.add(pin);
            }
        }
        return Set.copyOf(labels);
    }
}
