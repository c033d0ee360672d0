package dev.weft.placement.grouping;

import dev.weft.placement.model.CostModel;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The cost and the hard limits of one candidate group, shared by every solver so that they all optimise
 * exactly the documented cost model.
 */
public final class GroupRules {
    private final CostModel model;
    private final AgentLimits limits;
    private final AgentLimits.Frontier unpinned; // most groups carry no label: no map lookup for them

    public GroupRules(CostModel model, AgentLimits limits) {
        this.model = model;
        this.limits = limits;
        this.unpinned = limits.forLabels(Set.of());
    }

    private AgentLimits.Frontier frontier(Set<String> labels) {
        return labels.isEmpty() ? unpinned : limits.forLabels(labels);
    }

    public CostModel model() {
        return model;
    }

    public AgentLimits limits() {
        return limits;
    }

    /** The same cost model under other agent limits. */
    public GroupRules withLimits(AgentLimits newLimits) {
        return new GroupRules(model, newLimits);
    }

    /** Cost of a group; {@code cpu} already includes its share of remote-call overhead. */
    public double cost(double cpu, double mem, int maxMin, int minMax) {
        return model.groupCost(cpu, mem, maxMin, minMax);
    }

    /** Memory of one replica is monotone in the members, so a group over this is dead for every superset. */
    public boolean memoryCanFit(double mem, Set<String> labels) {
        AgentLimits.Frontier f = frontier(labels);
        return f.count() > 0 && model.processMem() + mem <= f.maxMem() + 1e-9;
    }

    /** Null when the group can be hosted; otherwise why not, in words. */
    public @Nullable String whyNot(double cpu, double mem, int maxMin, int minMax, Set<String> labels) {
        if (maxMin > minMax) {
            return "replica bounds cross: a member needs at least " + maxMin + " replicas, another allows at most "
                    + minMax;
        }
        AgentLimits.Frontier f = frontier(labels);
        if (f.count() == 0) {
            return "no agent has labels "
                    + new java.util.TreeSet<>(labels); // sorted: messages must not vary between runs
        }
        int r = model.replicas(cpu, maxMin, minMax);
        if (r > f.count()) {
            return r + " replicas need distinct agents but only " + f.count() + " agents qualify";
        }
        double replicaMem = model.processMem() + mem;
        double replicaCpu = model.cores(cpu, r) / r;
        if (!f.fits(replicaCpu, replicaMem)) {
            return String.format(
                    "one replica needs %.3f cores and %.3f GiB; the largest agent has %.3f cores, %.3f GiB free",
                    replicaCpu, replicaMem, f.maxCpu(), f.maxMem());
        }
        if (f.atMostFitting(replicaCpu, replicaMem) < r) {
            return String.format(
                    "%d replicas of %.3f cores and %.3f GiB need distinct agents but at most %d agents have "
                            + "that much free",
                    r, replicaCpu, replicaMem, f.atMostFitting(replicaCpu, replicaMem));
        }
        return null;
    }

    public boolean fits(double cpu, double mem, int maxMin, int minMax, Set<String> labels) {
        if (maxMin > minMax) {
            return false;
        }
        AgentLimits.Frontier f = frontier(labels);
        int r = model.replicas(cpu, maxMin, minMax); // >= 1: every component asks for at least one replica
        double replicaCpu = model.cores(cpu, r) / r;
        double replicaMem = model.processMem() + mem;
        // One agent must fit a replica, and enough agents must have the cpu and (maybe others) the memory for r.
        return f.enoughFor(r, replicaCpu, replicaMem) && f.fits(replicaCpu, replicaMem);
    }

    /**
     * {@link #cost} when {@link #fits} holds, NaN otherwise: one replica count serves both, for the searches' inner
     * loops.
     */
    public double costIfFits(double cpu, double mem, int maxMin, int minMax, Set<String> labels) {
        if (maxMin > minMax) {
            return Double.NaN;
        }
        int r = model.replicas(cpu, maxMin, minMax);
        double cores = model.cores(cpu, r);
        double replicaMem = model.processMem() + mem;
        AgentLimits.Frontier f = frontier(labels);
        if (!(f.enoughFor(r, cores / r, replicaMem) && f.fits(cores / r, replicaMem))) {
            return Double.NaN;
        }
        return model.price(cores, r * replicaMem);
    }

    static Set<String> union(Set<String> a, Set<String> b) {
        if (b.isEmpty() || a.containsAll(b)) {
            return a;
        }
        if (a.isEmpty()) {
            return b;
        }
        java.util.TreeSet<String> u = new java.util.TreeSet<>(a);
        u.addAll(b);
        return Set.copyOf(u);
    }
}
