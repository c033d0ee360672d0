package dev.weft.rollout.policy;

import static java.util.Objects.requireNonNull;

import dev.weft.rollout.gate.Gate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How a rollout moves: its steps (weights never decreasing, the last at 100 %, which promotes), the gates
 * every step checks, the evidence a gate needs before it may pass ({@code minRequests}), how long placing or
 * one step may take before the rollout gives up ({@code progressDeadline}, active time: pauses do not count),
 * and how long a version being released may take to finish its in-flight requests ({@code drainTimeout}).
 * A policy that breaks a rule is refused with an {@link IllegalArgumentException}; user input goes through
 * {@link PolicyValidator}, which names each field.
 */
public record Policy(
        List<Step> steps, List<Gate> gates, long minRequests, Duration progressDeadline, Duration drainTimeout) {

    public static final int MAX_STEPS = 20;
    public static final int MAX_GATES = 20;
    public static final Duration MAX_HOLD = Duration.ofHours(24);
    public static final long MAX_MIN_REQUESTS = 1_000_000_000L;
    public static final long DEFAULT_MIN_REQUESTS = 100;
    public static final Duration MIN_PROGRESS_DEADLINE = Duration.ofMinutes(1);
    public static final Duration MAX_PROGRESS_DEADLINE = Duration.ofDays(7);
    /** Without a {@code progressDeadline}, the longest hold plus this. */
    public static final Duration DEFAULT_DEADLINE_MARGIN = Duration.ofMinutes(10);

    public static final Duration MAX_DRAIN_TIMEOUT = Duration.ofHours(24);
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofMinutes(5);

    public Policy {
        steps = List.copyOf(steps);
        gates = List.copyOf(gates);
        requireNonNull(progressDeadline, "progressDeadline is null");
        requireNonNull(drainTimeout, "drainTimeout is null");
        List<PolicyProblem> problems = new ArrayList<>(PolicyRules.limits(steps.size(), gates.size(), minRequests));
        problems.addAll(PolicyRules.deadlineBounds(progressDeadline));
        problems.addAll(PolicyRules.drainBounds(drainTimeout));
        if (!steps.isEmpty()) {
            problems.addAll(PolicyRules.acrossSteps(
                    steps.stream().map(Step::weightBasisPoints).toList(),
                    steps.stream().map(Step::hold).toList(),
                    steps.stream().map(s -> !s.gates().isEmpty()).toList(),
                    progressDeadline));
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    problems.stream().map(PolicyProblem::detail).collect(Collectors.joining("; ")));
        }
    }

    /** A policy with the default {@code minRequests}, progress deadline and drain timeout. */
    public static Policy of(List<Step> steps, List<Gate> gates) {
        return new Policy(steps, gates, DEFAULT_MIN_REQUESTS, defaultDeadline(steps), DEFAULT_DRAIN_TIMEOUT);
    }

    /** The progress deadline of a policy that gives none: the longest hold plus ten minutes. */
    public static Duration defaultDeadline(List<Step> steps) {
        Duration longest =
                steps.stream().map(Step::hold).max(Duration::compareTo).orElse(Duration.ZERO);
        return longest.plus(DEFAULT_DEADLINE_MARGIN);
    }

    /** The index of the last step (100 %): reaching it promotes. */
    public int lastStep() {
        return steps.size() - 1;
    }

    public Step step(int index) {
        return steps.get(index);
    }

    /** The gates step {@code index} checks: the policy's, then its own. */
    public List<Gate> gatesAt(int index) {
        List<Gate> all = new ArrayList<>(gates);
        all.addAll(steps.get(index).gates());
        return List.copyOf(all);
    }
}
