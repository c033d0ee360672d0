package dev.weft.scheduler.registry;

import static java.util.Objects.requireNonNull;

import dev.weft.scheduler.registry.VersionSpec.ComponentSpec;
import dev.weft.scheduler.registry.VersionSpec.ConstraintsSpec;
import dev.weft.scheduler.registry.VersionSpec.PinSpec;
import dev.weft.scheduler.system.FieldError;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Finds constraints that no plan can satisfy together: a pair that must stay apart but is joined by a
 * chain of must-share sets; pins in one must-share chain that ask for different values of one label;
 * and components sharing a process whose replica bounds do not overlap. Each error names the chain.
 */
final class ConstraintConsistency {

    /** A step of a must-share chain: {@code to} shares a process with the previous component by set {@code set}. */
    private record Link(String to, int set) {}

    private final Map<String, List<Link>> links = new HashMap<>();
    private final ConstraintsSpec constraints;

    private ConstraintConsistency(ConstraintsSpec constraints) {
        this.constraints = constraints;
        List<List<String>> colocate = Objects.requireNonNull(constraints.colocate());
        for (int i = 0; i < colocate.size(); i++) {
            List<String> set = colocate.get(i);
            for (String a : set) {
                for (String b : set) {
                    if (!a.equals(b)) {
                        links.computeIfAbsent(a, k -> new ArrayList<>()).add(new Link(b, i));
                    }
                }
            }
        }
    }

    static List<FieldError> check(ConstraintsSpec constraints, List<ComponentSpec> components) {
        return new ConstraintConsistency(constraints).errors(components);
    }

    private List<FieldError> errors(List<ComponentSpec> components) {
        List<FieldError> errors = new ArrayList<>();
        List<List<String>> separate = Objects.requireNonNull(constraints.separate());
        for (int i = 0; i < separate.size(); i++) {
            String a = separate.get(i).get(0);
            String b = separate.get(i).get(1);
            List<Link> chain = chain(a, b);
            if (chain != null) {
                errors.add(new FieldError(
                        RegistryError.CONTRADICTORY_CONSTRAINTS,
                        "constraints.separate[" + i + "]",
                        "'" + a + "' and '" + b + "' must never share a process (constraints.separate[" + i
                                + "]), yet must-share constraints put them together: " + describe(a, chain)));
            }
        }
        List<PinSpec> pins = Objects.requireNonNull(constraints.pins());
        for (int i = 0; i < pins.size(); i++) {
            for (int j = i + 1; j < pins.size(); j++) {
                PinSpec p = pins.get(i);
                PinSpec q = pins.get(j);
                LabelSelector ps = Objects.requireNonNull(LabelSelector.parse(Objects.requireNonNull(p.label())));
                LabelSelector qs = Objects.requireNonNull(LabelSelector.parse(Objects.requireNonNull(q.label())));
                if (!ps.excludes(qs)) {
                    continue;
                }
                String a = Objects.requireNonNull(p.component());
                String b = Objects.requireNonNull(q.component());
                List<Link> chain = a.equals(b) ? List.of() : chain(a, b);
                if (chain != null) {
                    errors.add(new FieldError(
                            RegistryError.CONTRADICTORY_CONSTRAINTS,
                            "constraints.pins[" + j + "]",
                            "No agent can carry both " + ps + " (pin of '" + a + "') and " + qs + " (pin of '" + b
                                    + "'), but they must share a process"
                                    + (chain.isEmpty() ? "" : ": " + describe(a, chain))));
                }
            }
        }
        errors.addAll(replicaBounds(components));
        return errors;
    }

    /** Components that must share a process run as many replicas as each other, so their bounds must overlap. */
    private List<FieldError> replicaBounds(List<ComponentSpec> components) {
        Map<String, ComponentSpec> byName = new HashMap<>();
        components.forEach(c -> byName.put(c.name(), c));
        List<FieldError> errors = new ArrayList<>();
        List<List<String>> colocate = Objects.requireNonNull(constraints.colocate());
        for (int i = 0; i < colocate.size(); i++) {
            // The components were checked and completed first, so their bounds are all present.
            String highestMinName = "";
            String lowestMaxName = "";
            int highestMin = Integer.MIN_VALUE;
            int lowestMax = Integer.MAX_VALUE;
            for (String name : colocate.get(i)) {
                ComponentSpec c = requireNonNull(byName.get(name));
                int min = requireNonNull(c.minReplicas());
                int max = requireNonNull(c.maxReplicas());
                if (min > highestMin) {
                    highestMin = min;
                    highestMinName = requireNonNull(c.name());
                }
                if (max < lowestMax) {
                    lowestMax = max;
                    lowestMaxName = requireNonNull(c.name());
                }
            }
            if (highestMin > lowestMax) {
                errors.add(new FieldError(
                        RegistryError.CONTRADICTORY_CONSTRAINTS,
                        "constraints.colocate[" + i + "]",
                        "constraints.colocate[" + i + "] makes '" + highestMinName + "' (minReplicas "
                                + highestMin
                                + ") share a process with '" + lowestMaxName + "' (maxReplicas "
                                + lowestMax
                                + "), so no replica count fits both"));
            }
        }
        return errors;
    }

    /** Shortest chain of must-share links from {@code from} to {@code to}, or null if none joins them. */
    private @org.jspecify.annotations.Nullable List<Link> chain(String from, String to) {
        Map<String, Link> cameFrom = new HashMap<>();
        Deque<String> queue = new ArrayDeque<>();
        queue.add(from);
        cameFrom.put(from, new Link(from, -1));
        while (!queue.isEmpty()) {
            String at = queue.poll();
            if (at.equals(to)) {
                List<Link> path = new ArrayList<>();
                for (String step = to; !step.equals(from); ) {
                    Link back = requireNonNull(cameFrom.get(step));
                    path.addFirst(new Link(step, back.set()));
                    step = back.to();
                }
                return path;
            }
            for (Link link : links.getOrDefault(at, List.of())) {
                if (!cameFrom.containsKey(link.to())) {
                    cameFrom.put(link.to(), new Link(at, link.set()));
                    queue.add(link.to());
                }
            }
        }
        return null;
    }

    private static String describe(String from, List<Link> chain) {
        StringBuilder out = new StringBuilder();
        String previous = from;
        for (Link link : chain) {
            if (!out.isEmpty()) {
                out.append(", ");
            }
            out.append("'")
                    .append(previous)
                    .append("' with '")
                    .append(link.to())
                    .append("' (constraints.colocate[")
                    .append(link.set())
                    .append("])");
            previous = link.to();
        }
        return out.toString();
    }
}
