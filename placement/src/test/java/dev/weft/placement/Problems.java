package dev.weft.placement;

import dev.weft.placement.model.Agent;
import dev.weft.placement.model.Component;
import dev.weft.placement.model.Constraints;
import dev.weft.placement.model.CostModel;
import dev.weft.placement.model.Edge;
import dev.weft.placement.model.Problem;
import dev.weft.placement.model.Separation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** Random but realistic problems for property tests: skewed loads, sparse call graphs, a few constraints. */
public final class Problems {
    private Problems() {}

    public static Problem random(long seed, int components, boolean constraints) {
        Random r = new Random(seed);
        List<Component> comps = new ArrayList<>();
        for (int i = 0; i < components; i++) {
            double cpu = Math.pow(10, -2 + 2.5 * r.nextDouble()); // 0.01 .. ~3 cores, log-uniform
            double mem = 0.1 + 3 * r.nextDouble() * r.nextDouble(); // mostly small, some heavy
            int min = r.nextInt(5) == 0 ? 2 : 1;
            int max = r.nextInt(6) == 0 ? min + r.nextInt(3) : Integer.MAX_VALUE;
            comps.add(new Component("c" + i, cpu, mem, min, max));
        }
        List<Edge> edges = new ArrayList<>();
        for (int i = 1; i < components; i++) {
            int j = r.nextInt(i); // a random tree keeps the graph connected, extra edges add cycles
            edges.add(edge(r, i, j));
            if (r.nextInt(3) == 0) {
                int k = r.nextInt(components);
                if (k != i) {
                    edges.add(edge(r, i, k));
                }
            }
        }
        List<Set<String>> colocate = new ArrayList<>();
        List<Separation> separate = new ArrayList<>();
        Map<String, String> pins = new HashMap<>();
        if (constraints && components >= 4) {
            if (r.nextBoolean()) {
                colocate.add(Set.of("c0", "c1"));
            }
            if (r.nextBoolean()) {
                separate.add(new Separation("c2", "c3"));
            }
            if (r.nextBoolean()) {
                pins.put("c" + (components - 1), "ssd");
            }
        }
        return new Problem(
                comps,
                edges,
                new Constraints(colocate, separate, pins),
                agents(24, 3, 16, 64),
                null,
                CostModel.DEFAULTS);
    }

    private static Edge edge(Random r, int a, int b) {
        double calls = Math.pow(10, 1 + 3.5 * r.nextDouble()); // 10 .. ~30k calls/s
        double bytes = calls * (100 + 5000 * r.nextDouble());
        return new Edge("c" + a, "c" + b, calls, bytes);
    }

    /**
     * {@code count} equal agents over {@code zones} zones (agent i in zone i mod zones); every third round of zones
     * carries label "ssd", so "ssd" agents sit in every zone and the zone-skew check means something for pinned groups.
     */
    public static List<Agent> agents(int count, int zones, double cpu, double mem) {
        List<Agent> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Set<String> labels = (i / zones) % 3 == 0 ? Set.of("ssd") : Set.of();
            out.add(new Agent(String.format("a%03d", i), "z" + (i % zones), labels, cpu, mem, 0, 0));
        }
        return out;
    }
}
