package dev.weft.bench.placement;

import dev.weft.placement.model.Agent;
import dev.weft.placement.model.Component;
import dev.weft.placement.model.Constraints;
import dev.weft.placement.model.CostModel;
import dev.weft.placement.model.Edge;
import dev.weft.placement.model.Problem;
import dev.weft.placement.model.Separation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Synthetic applications shaped like real ones: preferential-attachment call graphs (a few hub components,
 * a long tail), Zipf-distributed call rates and cpu, and a sprinkle of constraints.
 */
final class BenchProblems {
    private BenchProblems() {}

    static Problem generate(long seed, int components, int edges, int agents) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Component> comps = new ArrayList<>(components);
        for (int i = 0; i < components; i++) {
            // Zipf(1.0) over a random rank: a handful of components do most of the work.
            double cpu = 4.0 / (1 + r.nextInt(components));
            double mem = 0.1 + 1.9 * Math.pow(r.nextDouble(), 3);
            int min = r.nextInt(10) == 0 ? 2 : 1;
            comps.add(new Component("c" + i, cpu, mem, min, r.nextInt(20) == 0 ? min + 4 : Integer.MAX_VALUE));
        }
        List<Edge> list = new ArrayList<>(edges);
        Set<Long> seen = new HashSet<>();
        // Preferential attachment: endpoints are drawn from earlier edge endpoints with probability 1/2.
        int[] ends = new int[2 * edges + 2];
        int endCount = 0;
        int attempts = 0;
        while (list.size() < edges && attempts++ < edges * 20) {
            int a = r.nextInt(components);
            int b = endCount > 0 && r.nextBoolean() ? ends[r.nextInt(endCount)] : r.nextInt(components);
            if (a == b || !seen.add(a < b ? ((long) a << 32) | b : ((long) b << 32) | a)) {
                continue;
            }
            ends[endCount++] = a;
            ends[endCount++] = b;
            double calls = 20_000.0 / (1 + r.nextInt(edges)) * (1 + r.nextInt(5)); // Zipf-like rates
            list.add(new Edge("c" + a, "c" + b, calls, calls * (200 + r.nextInt(4_000))));
        }
        List<Set<String>> colocate = new ArrayList<>();
        List<Separation> separate = new ArrayList<>();
        for (int i = 0; i + 3 < components && i < components / 20 * 4; i += 4) {
            colocate.add(Set.of("c" + i, "c" + (i + 1)));
            separate.add(new Separation("c" + (i + 2), "c" + (i + 3)));
        }
        Map<String, String> pins = components >= 10 ? Map.of("c" + (components - 1), "ssd") : Map.of();
        return new Problem(
                comps, list, new Constraints(colocate, separate, pins), agents(r, agents), null, CostModel.DEFAULTS);
    }

    private static List<Agent> agents(SplittableRandom r, int count) {
        String[] zones = {"zone-a", "zone-b", "zone-c"};
        List<Agent> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            double cpu = 8 << r.nextInt(3); // 8, 16 or 32 cores
            double mem = cpu * 4;
            Set<String> labels = i % 10 == 0 ? Set.of("ssd") : Set.of();
            out.add(new Agent(
                    "agent-" + i,
                    zones[i % 3],
                    labels,
                    cpu,
                    mem,
                    cpu * 0.3 * r.nextDouble(),
                    mem * 0.3 * r.nextDouble()));
        }
        return out;
    }
}
