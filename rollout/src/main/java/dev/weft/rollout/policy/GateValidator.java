package dev.weft.rollout.policy;

import dev.weft.rollout.gate.Gate;
import dev.weft.rollout.gate.Metric;
import dev.weft.rollout.policy.PolicyDraft.GateDraft;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Reads a list of gate drafts, naming each field that is wrong; the readable gates are kept. */
final class GateValidator {

    private static final Pattern COMPONENT = Pattern.compile("[a-z]([-a-z0-9]{0,61}[a-z0-9])?");

    private GateValidator() {}

    static List<Gate> read(@Nullable List<@Nullable GateDraft> drafts, String path, List<PolicyProblem> problems) {
        if (drafts == null) {
            return List.of();
        }
        if (drafts.size() > Policy.MAX_GATES) {
            problems.add(PolicyRules.tooManyGates(path, drafts.size()));
        }
        List<Gate> gates = new ArrayList<>();
        for (int i = 0; i < drafts.size(); i++) {
            read(drafts.get(i), path + "[" + i + "]", problems).ifPresent(gates::add);
        }
        return gates;
    }

    private static Optional<Gate> read(@Nullable GateDraft draft, String path, List<PolicyProblem> problems) {
        if (draft == null) {
            problems.add(new PolicyProblem(PolicyError.INVALID_GATE, path, path + " must be a gate object, was null"));
            return Optional.empty();
        }
        int before = problems.size();
        String name = draft.metric();
        Metric metric = null;
        if (name == null) {
            problems.add(new PolicyProblem(
                    PolicyError.MISSING_FIELD,
                    path + ".metric",
                    path + ".metric is required: one of " + Metric.jsonNames()));
        } else {
            metric = Metric.fromJsonName(name).orElse(null);
            if (metric == null) {
                problems.add(
                        invalid(path + ".metric", "must be one of " + Metric.jsonNames() + ", was '" + name + "'"));
            }
        }
        String component = draft.component();
        if (component != null && !COMPONENT.matcher(component).matches()) {
            problems.add(invalid(
                    path + ".component",
                    "must be a component name (1-63 of a-z 0-9 -, starting with a letter), was '" + component + "'"));
        }
        if (metric != null) {
            bounds(metric, draft, path, problems);
        }
        if (metric == null || problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new Gate(metric, component, draft.min(), draft.max()));
    }

    private static void bounds(Metric metric, GateDraft draft, String path, List<PolicyProblem> problems) {
        Double min = draft.min();
        Double max = draft.max();
        if (metric.maxOnly()) {
            if (max == null) {
                problems.add(new PolicyProblem(
                        PolicyError.MISSING_FIELD, path + ".max", path + ".max is required for " + metric.jsonName()));
            }
            if (min != null) {
                problems.add(invalid(path + ".min", metric.jsonName() + " takes only max, was given min " + min));
            }
        } else if (min == null && max == null) {
            problems.add(new PolicyProblem(
                    PolicyError.MISSING_FIELD,
                    path + ".max",
                    path + " needs a max or a min (or both) for " + metric.jsonName()));
        }
        boolean minOk = bound(metric, path + ".min", min, problems);
        boolean maxOk = bound(metric, path + ".max", max, problems);
        if (minOk && maxOk && min != null && max != null && min > max) {
            problems.add(invalid(path + ".min", "must not be above max (" + max + "), was " + min));
        }
    }

    private static boolean bound(Metric metric, String field, @Nullable Double value, List<PolicyProblem> problems) {
        if (value == null) {
            return true;
        }
        if (!Double.isFinite(value) || value < 0) {
            problems.add(invalid(field, "must be a finite number >= 0, was " + value));
            return false;
        }
        if (metric == Metric.ERROR_RATE && value > 1) {
            problems.add(invalid(
                    field, "of errorRate is a fraction of requests between 0 and 1 (0.01 = 1 %), was " + value));
            return false;
        }
        if (metric == Metric.LATENCY_P99_RATIO && value == 0) {
            problems.add(invalid(field, "of latencyP99Ratio must be above 0 (1.2 = 20 % slower than the old version)"));
            return false;
        }
        return true;
    }

    private static PolicyProblem invalid(String field, String rule) {
        return new PolicyProblem(PolicyError.INVALID_GATE, field, field + " " + rule);
    }
}
