package dev.weft.bench.placement;

import dev.weft.placement.model.Agent;
import dev.weft.placement.model.Component;
import dev.weft.placement.model.Constraints;
import dev.weft.placement.model.CostModel;
import dev.weft.placement.model.Edge;
import dev.weft.placement.model.Problem;
import dev.weft.placement.model.Separation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Three families of applications unlike {@link BenchProblems}, for the quality benchmark (issue 11):
 *
 * <ul>
 *   <li>{@link Family#LAYERED}: microservice apps in five layers (ingress, API, domain, data, shared services); each
 *       request fans out down the layers with heavy-tailed fan-out, so a few paths are hot; cpu follows the calls
 *       a component serves; a third of the data layer are memory-heavy caches (2-12 GiB, cheap calls, big replies)
 *       and a tenth are memory-heavy models (4-16 GiB, costly calls, at least 2 replicas, half pinned to "gpu"
 *       agents); ingress runs at least 2 replicas; a few must-colocate and must-separate pairs.
 *   <li>{@link Family#COMMUNITIES}: dense communities of 6-40 components (each pair linked with probability
 *       0.35, over a spanning tree) with lognormal rates, weakly linked to 1-3 other communities by light edges.
 *   <li>{@link Family#SPARSE}: sparse random graphs (1.5 edges per component, uniform endpoints, some components
 *       isolated) with lognormal rates of a very heavy tail (sigma 2), lognormal cpu and memory.
 * </ul>
 *
 * <p>Rates are then scaled to a {@link Regime}: the cores every edge would burn if all were cut, as a share of the
 * components' own cpu (1.0 where remote-call overhead is material, 0.01 where it is negligible). Agents: one per 5
 * components (at least 12) of 16 or 32 cores and 4 GiB per core, three zones, every tenth with "gpu", up to 25 %
 * already used. Random draws use {@link SplittableRandom} and {@link StrictMath}, so an instance is the same on
 * every JVM.
 */
final class FamilyProblems {
    enum Family {
        LAYERED(1),
        COMMUNITIES(2),
        SPARSE(3);

        final int seedBase;

        Family(int seedBase) {
            this.seedBase = seedBase;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Σ edge cores (all cut) ÷ Σ component cpu. */
    enum Regime {
        MATERIAL(1.0),
        NEGLIGIBLE(0.01);

        final double overheadShare;

        Regime(double overheadShare) {
            this.overheadShare = overheadShare;
        }

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private FamilyProblems() {}

    /** The instance of a family, size and regime (the seed is derived from the three, so names are stable). */
    static Problem generate(Family family, int n, Regime regime) {
        long seed = 1_000_003L * family.seedBase + n; // the same graph under both regimes
        Builder b = new Builder(new SplittableRandom(seed), n);
        switch (family) {
            case LAYERED -> b.layered();
            case COMMUNITIES -> b.communities();
            case SPARSE -> b.sparse();
        }
        return b.build(regime, new SplittableRandom(seed ^ 0x5DEECE66DL));
    }

    /** A name for files and tables: family-size-regime. */
    static String name(Family family, int n, Regime regime) {
        return family.label() + "-" + n + "-" + regime.label();
    }

    private static final class Builder {
        private final SplittableRandom r;
        private final int n;
        private final double[] cpu;
        private final double[] mem;
        private final int[] minReplicas;
        private final int[] maxReplicas;
        private final String[] names;
        private final List<int[]> edges = new ArrayList<>();
        private final List<double[]> rates = new ArrayList<>(); // calls/s, bytes/s
        private final Set<Long> seen = new HashSet<>();
        private final List<Set<String>> colocate = new ArrayList<>();
        private final List<Separation> separate = new ArrayList<>();
        private final Map<String, String> pins = new HashMap<>();

        Builder(SplittableRandom r, int n) {
            this.r = r;
            this.n = n;
            cpu = new double[n];
            mem = new double[n];
            minReplicas = new int[n];
            maxReplicas = new int[n];
            names = new String[n];
            for (int i = 0; i < n; i++) {
                minReplicas[i] = 1;
                maxReplicas[i] = Integer.MAX_VALUE;
                names[i] = "c" + i;
            }
        }

        private double gaussian() {
            // Box-Muller with StrictMath: the same numbers on every JVM.
            double u = 1 - r.nextDouble();
            double v = r.nextDouble();
            return StrictMath.sqrt(-2 * StrictMath.log(u)) * StrictMath.cos(2 * Math.PI * v);
        }

        private double lognormal(double median, double sigma) {
            return median * StrictMath.exp(sigma * gaussian());
        }

        private static double clamp(double x, double lo, double hi) {
            return Math.max(lo, Math.min(hi, x));
        }

        /** Adds an edge unless the pair is already linked; returns false when it was. */
        private boolean edge(int a, int b, double calls, double bytesPerCall) {
            if (a == b || !seen.add(a < b ? ((long) a << 32) | b : ((long) b << 32) | a)) {
                return false;
            }
            edges.add(new int[] {a, b});
            rates.add(new double[] {calls, calls * bytesPerCall});
            return true;
        }

        /** An index of [from, to) with Zipf(1) popularity by position: a few members get most of the calls. */
        private int zipf(int from, int to) {
            int size = to - from;
            double h = StrictMath.log(size + 1.0);
            int k = (int) StrictMath.floor(StrictMath.exp(r.nextDouble() * h)) - 1;
            return from + Math.min(size - 1, Math.max(0, k));
        }

        void layered() {
            int ingress = Math.max(2, n / 50);
            int api = Math.max(2, (int) (n * 0.12));
            int domain = Math.max(2, (int) (n * 0.40));
            int data = Math.max(2, (int) (n * 0.28));
            int[] start = {0, ingress, ingress + api, ingress + api + domain, ingress + api + domain + data, n};
            double[] perCall = new double[n]; // core-seconds of work per served call
            double[] bytesPerCall = new double[n];
            boolean[] model = new boolean[n];
            for (int i = 0; i < n; i++) {
                perCall[i] = lognormal(80e-6, 0.7);
                bytesPerCall[i] = lognormal(1_500, 1.0);
                mem[i] = clamp(lognormal(0.35, 0.5), 0.1, 2.0);
            }
            for (int i = 0; i < ingress; i++) {
                names[i] = "ingress" + i;
                minReplicas[i] = 2;
                perCall[i] = lognormal(40e-6, 0.4);
            }
            for (int i = start[3]; i < start[4]; i++) {
                double kind = r.nextDouble();
                if (kind < 0.35) {
                    names[i] = "cache" + i;
                    mem[i] = 2 + 10 * r.nextDouble();
                    perCall[i] = lognormal(8e-6, 0.5);
                    bytesPerCall[i] = lognormal(4_000, 1.0);
                } else if (kind < 0.47) {
                    names[i] = "model" + i;
                    model[i] = true;
                    mem[i] = 4 + 12 * r.nextDouble();
                    perCall[i] = lognormal(1.5e-3, 0.6);
                    bytesPerCall[i] = lognormal(20_000, 0.7);
                    minReplicas[i] = 2;
                    if (r.nextBoolean()) {
                        pins.put(names[i], "gpu");
                    }
                } else {
                    names[i] = "store" + i;
                }
            }
            for (int i = start[4]; i < n; i++) {
                names[i] = "shared" + i;
                perCall[i] = lognormal(20e-6, 0.5);
            }
            double[] served = new double[n];
            for (int i = 0; i < ingress; i++) {
                served[i] = lognormal(3_000, 0.6);
            }
            // Calls flow down the layers in order, so every caller's rate is known before it calls.
            for (int layer = 0; layer < 4; layer++) {
                for (int i = start[layer]; i < start[layer + 1]; i++) {
                    int fanout = layer == 0
                            ? 4 + r.nextInt(8)
                            : layer == 3 ? (r.nextInt(10) == 0 ? 1 : 0) : 1 + r.nextInt(4);
                    for (int k = 0; k < fanout; k++) {
                        int next = layer == 3 ? 3 : layer + 1 + (layer < 2 && r.nextInt(4) == 0 ? 1 : 0);
                        int callee = zipf(start[next], start[next + 1]);
                        double calls = served[i] * lognormal(0.5, 1.0) / Math.sqrt(fanout);
                        if (edge(i, callee, calls, bytesPerCall[callee])) {
                            served[callee] += calls;
                        }
                    }
                    if (layer >= 1 && start[5] > start[4] && r.nextDouble() < 0.4) {
                        int callee = zipf(start[4], start[5]);
                        double calls = served[i] * lognormal(0.3, 0.8);
                        if (edge(i, callee, calls, bytesPerCall[callee])) {
                            served[callee] += calls;
                        }
                    }
                }
            }
            // Hot paths: a few request flows get ten times the traffic along an existing chain of calls.
            Map<Integer, List<Integer>> out = new HashMap<>();
            for (int e = 0; e < edges.size(); e++) {
                out.computeIfAbsent(edges.get(e)[0], k -> new ArrayList<>()).add(e);
            }
            for (int path = 0; path < Math.max(1, n / 40); path++) {
                int v = r.nextInt(ingress);
                for (int hop = 0; hop < 4; hop++) {
                    List<Integer> mine = out.get(v);
                    if (mine == null || mine.isEmpty()) {
                        break;
                    }
                    int e = mine.get(r.nextInt(mine.size()));
                    double[] rate = rates.get(e);
                    int callee = edges.get(e)[1];
                    served[callee] += 9 * rate[0];
                    rate[0] *= 10;
                    rate[1] *= 10;
                    v = callee;
                }
            }
            for (int i = 0; i < n; i++) {
                cpu[i] = clamp(0.01 + served[i] * perCall[i], 0.01, model[i] ? 8 : 6);
            }
            // Sidecar-like pairs that must share a process; pairs that must never (e.g. fraud checks apart from
            // payments).
            for (int k = 0; k < n / 100; k++) {
                int[] e = edges.get(r.nextInt(edges.size()));
                if (!pins.containsKey(names[e[0]]) && !pins.containsKey(names[e[1]])) {
                    colocate.add(Set.of(names[e[0]], names[e[1]]));
                }
                int a = start[2] + r.nextInt(domain);
                int b = start[2] + r.nextInt(domain);
                if (a != b) {
                    separate.add(new Separation(names[a], names[b]));
                }
            }
        }

        void communities() {
            int first = 0;
            List<int[]> communities = new ArrayList<>();
            while (first < n) {
                int size = Math.min(n - first, 6 + r.nextInt(35));
                communities.add(new int[] {first, first + size});
                for (int i = first + 1; i < first + size; i++) {
                    edge(i, first + r.nextInt(i - first), lognormal(300, 1.2), lognormal(1_500, 1.0));
                }
                for (int i = first; i < first + size; i++) {
                    for (int j = i + 1; j < first + size; j++) {
                        if (r.nextDouble() < 0.35) {
                            edge(i, j, lognormal(300, 1.2), lognormal(1_500, 1.0));
                        }
                    }
                }
                first += size;
            }
            for (int ci = 0; ci < communities.size(); ci++) {
                int[] c = communities.get(ci);
                for (int links = 1 + r.nextInt(3); links > 0; links--) {
                    int oi = r.nextInt(communities.size());
                    int[] other = communities.get(oi);
                    if (oi != ci) {
                        edge(
                                c[0] + r.nextInt(c[1] - c[0]),
                                other[0] + r.nextInt(other[1] - other[0]),
                                lognormal(15, 1.0),
                                lognormal(1_000, 1.0));
                    }
                }
            }
            for (int i = 0; i < n; i++) {
                cpu[i] = clamp(lognormal(0.12, 1.0), 0.005, 5);
                mem[i] = r.nextInt(25) == 0 ? 3 + 7 * r.nextDouble() : clamp(lognormal(0.4, 0.6), 0.05, 3);
                if (r.nextInt(20) == 0) {
                    minReplicas[i] = 2;
                }
            }
        }

        void sparse() {
            int m = (int) (1.5 * n);
            for (int tries = 0; edges.size() < m && tries < 20 * m; tries++) {
                edge(r.nextInt(n), r.nextInt(n), lognormal(200, 2.0), lognormal(1_000, 1.0));
            }
            for (int i = 0; i < n; i++) {
                cpu[i] = clamp(lognormal(0.1, 1.2), 0.002, 6);
                mem[i] = clamp(lognormal(0.4, 0.9), 0.05, 16);
                if (r.nextInt(25) == 0) {
                    minReplicas[i] = 2;
                }
            }
        }

        Problem build(Regime regime, SplittableRandom agentRandom) {
            CostModel m = CostModel.DEFAULTS;
            double edgeCores = 0;
            for (double[] rate : rates) {
                edgeCores += m.edgeCores(rate[0], rate[1]);
            }
            double work = 0;
            for (double c : cpu) {
                work += c;
            }
            double scale = edgeCores == 0 ? 1 : regime.overheadShare * work / edgeCores;
            List<Component> comps = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                comps.add(new Component(names[i], cpu[i], mem[i], minReplicas[i], maxReplicas[i]));
            }
            List<Edge> list = new ArrayList<>(edges.size());
            for (int e = 0; e < edges.size(); e++) {
                double[] rate = rates.get(e);
                list.add(new Edge(names[edges.get(e)[0]], names[edges.get(e)[1]], rate[0] * scale, rate[1] * scale));
            }
            return new Problem(
                    comps,
                    list,
                    new Constraints(colocate, separate, pins),
                    agents(agentRandom, Math.max(12, n / 5)),
                    null,
                    m);
        }

        private static List<Agent> agents(SplittableRandom r, int count) {
            String[] zones = {"zone-a", "zone-b", "zone-c"};
            List<Agent> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                double cores = r.nextInt(10) < 7 ? 16 : 32;
                double gib = 4 * cores;
                Set<String> labels = i % 10 < 1 || i < 3 ? Set.of("gpu") : Set.of();
                double used = 0.25 * r.nextDouble();
                out.add(new Agent(
                        String.format("agent-%05d", i), zones[i % 3], labels, cores, gib, cores * used, gib * used));
            }
            return out;
        }
    }
}
