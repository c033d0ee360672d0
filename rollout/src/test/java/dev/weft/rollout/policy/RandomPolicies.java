package dev.weft.rollout.policy;

import dev.weft.rollout.gate.Gate;
import dev.weft.rollout.gate.Metric;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random valid policies for property tests: non-decreasing weights below 100, then 100; random holds and gates. */
public final class RandomPolicies {

    private RandomPolicies() {}

    public static Policy policy(Random random, int maxHoldSeconds) {
        return policy(random, maxHoldSeconds, false);
    }

    /**
     * With {@code passable}, the gates are ones a healthy shop of {@code Loads.shop} passes (error rate, latency
     * ratio, cart's cpu, a low request rate) and minRequests stays small, so simulations reach every phase.
     */
    public static Policy policy(Random random, int maxHoldSeconds, boolean passable) {
        int count = 1 + random.nextInt(6);
        List<Step> steps = new ArrayList<>();
        int weight = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(500);
        for (int i = 0; i < count - 1; i++) {
            steps.add(new Step(
                    weight,
                    Duration.ofSeconds(random.nextInt(maxHoldSeconds + 1)),
                    passable ? passable(random) : gates(random)));
            weight = Math.min(9_999, weight + random.nextInt(3_000));
        }
        steps.add(Step.full());
        long minRequests = 1 + random.nextInt(passable ? 300 : 1_000);
        Duration deadline = Policy.defaultDeadline(steps)
                .minus(Policy.DEFAULT_DEADLINE_MARGIN)
                .plusSeconds(60 + random.nextInt(600));
        return new Policy(
                steps,
                passable ? passable(random) : gates(random),
                minRequests,
                deadline,
                Duration.ofSeconds(random.nextInt(120)));
    }

    static List<Gate> passable(Random random) {
        List<Gate> all = List.of(
                Gate.max(Metric.ERROR_RATE, 0.01),
                Gate.max(Metric.LATENCY_P99_RATIO, 1.5),
                Gate.max(Metric.CPU_CORES, 1).of("cart"),
                Gate.min(Metric.REQUESTS_PER_SECOND, 0.01));
        List<Gate> gates = new ArrayList<>();
        for (Gate gate : all) {
            if (random.nextInt(3) == 0) {
                gates.add(gate);
            }
        }
        return gates;
    }

    public static List<Gate> gates(Random random) {
        List<Gate> gates = new ArrayList<>();
        int count = random.nextInt(3);
        for (int i = 0; i < count; i++) {
            Metric metric = Metric.values()[random.nextInt(Metric.values().length)];
            Gate gate;
            if (metric == Metric.ERROR_RATE) {
                gate = Gate.max(metric, random.nextInt(100) / 1000.0);
            } else if (metric.maxOnly()) {
                gate = Gate.max(metric, 1 + random.nextInt(100) / 100.0);
            } else if (random.nextBoolean()) {
                gate = new Gate(metric, null, (double) random.nextInt(10), 10.0 + random.nextInt(1_000));
            } else {
                gate = Gate.min(metric, random.nextInt(50));
            }
            gates.add(random.nextBoolean() ? gate : gate.of("cart"));
        }
        return gates;
    }
}
