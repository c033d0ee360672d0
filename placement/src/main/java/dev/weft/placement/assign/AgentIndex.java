package dev.weft.placement.assign;

import static java.util.Objects.requireNonNull;

import dev.weft.placement.model.Agent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import org.jspecify.annotations.Nullable;

/**
 * Free capacity of every agent, indexed per (zone, label) by free cpu, so finding the best- or worst-fit
 * agent is a tree walk from the right end instead of a scan of all agents.
 */
final class AgentIndex {
    private static final double EPS = 1e-9;
    private static final String ANY = "";
    // A virtual agent whose free cpu is freeCpuProbe, so a tree's tailSet can start at a cpu value.
    private static final Integer PROBE = -1;
    private final List<Agent> agents;
    final double[] freeCpu;
    final double[] freeMem;
    final int[] zoneOf;
    final List<String> zones;
    private final Map<String, Integer> byId = new HashMap<>();
    // label (ANY for all agents) -> one tree per zone
    private final Map<String, List<NavigableSet<Integer>>> trees = new HashMap<>();
    private final Comparator<Integer> byCpu;
    private double freeCpuProbe;
    /** Agents taken out of the trees for now (see {@link #hide}). */
    private final boolean[] hidden;

    AgentIndex(List<Agent> agents) {
        this.agents = agents;
        int n = agents.size();
        freeCpu = new double[n];
        freeMem = new double[n];
        zoneOf = new int[n];
        hidden = new boolean[n];
        zones = agents.stream().map(Agent::zone).distinct().sorted().toList();
        Map<String, Integer> zoneIndex = new HashMap<>();
        for (int z = 0; z < zones.size(); z++) {
            zoneIndex.put(zones.get(z), z);
        }
        for (int i = 0; i < n; i++) {
            Agent a = agents.get(i);
            freeCpu[i] = a.freeCpu();
            freeMem[i] = a.freeMem();
            zoneOf[i] = requireNonNull(zoneIndex.get(a.zone()));
            byId.put(a.id(), i);
        }
        // Ties by agent position keep the choice deterministic.
        byCpu = (x, y) -> {
            int c = Double.compare(cpuOf(x), cpuOf(y));
            return c != 0 ? c : Integer.compare(x, y);
        };
    }

    int size() {
        return agents.size();
    }

    Agent agent(int i) {
        return agents.get(i);
    }

    @Nullable
    Integer indexOf(String id) {
        return byId.get(id);
    }

    boolean hasLabels(int i, Set<String> labels) {
        return agents.get(i).labels().containsAll(labels);
    }

    boolean fits(int i, double cpu, double mem) {
        return freeCpu[i] >= cpu - EPS && freeMem[i] >= mem - EPS;
    }

    /** Trees of agents with this label (ANY: all), built on first use. */
    private List<NavigableSet<Integer>> treesFor(String label) {
        List<NavigableSet<Integer>> t = trees.get(label);
        if (t == null) {
            t = new ArrayList<>(zones.size());
            for (int z = 0; z < zones.size(); z++) {
                t.add(new TreeSet<>(byCpu));
            }
            for (int i = 0; i < agents.size(); i++) {
                if (label.isEmpty() || agents.get(i).labels().contains(label)) {
                    t.get(zoneOf[i]).add(i);
                }
            }
            trees.put(label, t);
        }
        return t;
    }

    private String keyLabel(Set<String> labels) {
        // The rarest label would be best; the smallest name is deterministic and pins rarely combine labels.
        return labels.isEmpty() ? ANY : new TreeSet<>(labels).first();
    }

    /** Agents of zone z carrying all labels, in tree order (ascending free cpu). */
    NavigableSet<Integer> zoneTree(int z, Set<String> labels) {
        return treesFor(keyLabel(labels)).get(z);
    }

    /**
     * Best-fit (pack) or worst-fit (spread) agent in zone z that carries the labels, fits the request and
     * passes {@code allowed}; -1 if none.
     */
    int find(int z, Set<String> labels, double cpu, double mem, boolean pack, IntPredicate allowed) {
        NavigableSet<Integer> tree = zoneTree(z, labels);
        Iterable<Integer> walk;
        if (pack) {
            // Start at the first agent with at least `cpu` free: the smallest that fits is the best fit.
            freeCpuProbe = cpu - EPS;
            walk = tree.tailSet(PROBE, true);
        } else {
            walk = tree.descendingSet();
        }
        for (int i : walk) {
            if (freeCpu[i] < cpu - EPS) {
                break; // descending walk reached agents too small on cpu
            }
            if (freeMem[i] >= mem - EPS && allowed.test(i) && hasLabels(i, labels)) {
                return i;
            }
        }
        return -1;
    }

    /** Takes capacity from agent i, keeping every tree that holds it ordered. */
    void take(int i, double cpu, double mem) {
        List<NavigableSet<Integer>> holders = new ArrayList<>();
        for (NavigableSet<Integer> t : treesOf(i)) {
            if (t.remove(i)) {
                holders.add(t);
            }
        }
        freeCpu[i] -= cpu;
        freeMem[i] -= mem;
        for (NavigableSet<Integer> t : holders) {
            t.add(i);
        }
    }

    /**
     * Takes agent i out of the trees until {@link #unhide}: the placer hides the agents a group already uses while it
     * places that group's other replicas, which must go elsewhere, so a walk never steps over them again (placing
     * one group of 10,000 replicas on 10,000 agents stepped over all the used ones for each replica: quadratic).
     * Only a speed-up: callers still pass the predicate that excludes them, as a tree built meanwhile holds them.
     */
    void hide(int i) {
        if (hidden[i]) {
            return;
        }
        hidden[i] = true;
        for (NavigableSet<Integer> t : treesOf(i)) {
            t.remove(i);
        }
    }

    /** Puts hidden agents back into the trees, ordered by their free cpu now. */
    void unhide(Iterable<Integer> agentsToShow) {
        for (int i : agentsToShow) {
            if (!hidden[i]) {
                continue;
            }
            hidden[i] = false;
            for (NavigableSet<Integer> t : treesOf(i)) {
                t.add(i);
            }
        }
    }

    /** The trees built so far that agent i belongs in: its zone's tree of every label it carries, and of any. */
    private List<NavigableSet<Integer>> treesOf(int i) {
        List<NavigableSet<Integer>> out = new ArrayList<>();
        for (Map.Entry<String, List<NavigableSet<Integer>>> e : trees.entrySet()) {
            if (e.getKey().isEmpty() || agents.get(i).labels().contains(e.getKey())) {
                out.add(e.getValue().get(zoneOf[i]));
            }
        }
        return out;
    }

    private double cpuOf(int i) {
        return i == PROBE ? freeCpuProbe : freeCpu[i];
    }
}
