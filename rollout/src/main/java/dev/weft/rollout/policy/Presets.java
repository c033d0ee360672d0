package dev.weft.rollout.policy;

import dev.weft.rollout.gate.Gate;
import dev.weft.rollout.gate.Metric;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The named policies a rollout may ask for instead of an inline one. All three use {@code minRequests} 100, a
 * progress deadline of 30 minutes and a drain timeout of 5 minutes.
 *
 * <ul>
 *   <li>{@code canary}: 1 % for 5 min, 10 % for 5 min, 50 % for 10 min, then 100 %; every step gated on
 *       {@code errorRate <= 0.01} and {@code latencyP99Ratio <= 1.25}.
 *   <li>{@code blue-green}: 0 % for 5 min (the new version placed in full and idle, its gates judging whatever
 *       traffic reaches it directly), then 100 % at once.
 *   <li>{@code immediate}: 100 % as soon as the new version is placed in full.
 * </ul>
 */
public final class Presets {

    public static final String CANARY = "canary";
    public static final String BLUE_GREEN = "blue-green";
    public static final String IMMEDIATE = "immediate";

    private static final List<Gate> HEALTH =
            List.of(Gate.max(Metric.ERROR_RATE, 0.01), Gate.max(Metric.LATENCY_P99_RATIO, 1.25));
    private static final Duration DEADLINE = Duration.ofMinutes(30);

    private Presets() {}

    public static List<String> names() {
        return List.of(CANARY, BLUE_GREEN, IMMEDIATE);
    }

    /** The preset of that name, exactly as documented. */
    public static Optional<Policy> named(String name) {
        return switch (name) {
            case CANARY -> Optional.of(canary(HEALTH));
            case BLUE_GREEN -> Optional.of(blueGreen(HEALTH));
            case IMMEDIATE -> Optional.of(policy(List.of(Step.full()), List.of()));
            default -> Optional.empty();
        };
    }

    /**
     * The preset for a rollout between two versions: as {@link #named}, except that the latency gate is left out
     * when a version declares no call between its components (it could never gather data and would hold the
     * step until the deadline). An unknown name is an {@link PolicyError#UNKNOWN_POLICY} problem on
     * {@code policy}.
     */
    public static PolicyValidation resolve(String name, VersionShape from, VersionShape to) {
        if (!names().contains(name)) {
            return new PolicyValidation.Invalid(List.of(new PolicyProblem(
                    PolicyError.UNKNOWN_POLICY,
                    "policy",
                    "policy must be an inline policy object or one of " + String.join(", ", names()) + ", was '" + name
                            + "'")));
        }
        boolean calls =
                !from.calledComponents().isEmpty() && !to.calledComponents().isEmpty();
        List<Gate> gates = calls ? HEALTH : List.of(HEALTH.getFirst());
        Policy policy = switch (name) {
            case CANARY -> canary(gates);
            case BLUE_GREEN -> blueGreen(gates);
            default -> policy(List.of(Step.full()), List.of());
        };
        return PolicyValidator.checkAgainst(policy, from, to);
    }

    private static Policy canary(List<Gate> gates) {
        return policy(
                List.of(
                        Step.of(100, Duration.ofMinutes(5)),
                        Step.of(1_000, Duration.ofMinutes(5)),
                        Step.of(5_000, Duration.ofMinutes(10)),
                        Step.full()),
                gates);
    }

    private static Policy blueGreen(List<Gate> gates) {
        return policy(List.of(new Step(0, Duration.ofMinutes(5), gates), Step.full()), List.of());
    }

    private static Policy policy(List<Step> steps, List<Gate> gates) {
        return new Policy(steps, gates, Policy.DEFAULT_MIN_REQUESTS, DEADLINE, Policy.DEFAULT_DRAIN_TIMEOUT);
    }
}
