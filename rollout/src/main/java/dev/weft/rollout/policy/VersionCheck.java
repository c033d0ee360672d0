package dev.weft.rollout.policy;

import dev.weft.rollout.gate.Gate;
import java.util.ArrayList;
import java.util.List;

/** The rules a policy keeps against the two versions it rolls between (gates must be able to gather data). */
final class VersionCheck {

    private VersionCheck() {}

    static List<PolicyProblem> problems(Policy policy, VersionShape from, VersionShape to) {
        List<PolicyProblem> problems = new ArrayList<>();
        check(policy.gates(), "gates", from, to, problems);
        for (int i = 0; i < policy.steps().size(); i++) {
            check(policy.step(i).gates(), "steps[" + i + "].gates", from, to, problems);
        }
        return problems;
    }

    private static void check(
            List<Gate> gates, String path, VersionShape from, VersionShape to, List<PolicyProblem> problems) {
        for (int i = 0; i < gates.size(); i++) {
            Gate gate = gates.get(i);
            String field = path + "[" + i + "]";
            String component = gate.component();
            boolean known = true;
            if (component != null) {
                for (VersionShape version : List.of(from, to)) {
                    if (!version.components().contains(component)) {
                        problems.add(new PolicyProblem(
                                PolicyError.UNKNOWN_COMPONENT,
                                field + ".component",
                                field + ".component names component '" + component + "', which version "
                                        + version.version() + " does not declare (a gate compares both versions)"));
                        known = false;
                    }
                }
            }
            if (known && gate.metric().readsEdges()) {
                for (VersionShape version : List.of(from, to)) {
                    boolean calls = component == null
                            ? !version.calledComponents().isEmpty()
                            : version.calledComponents().contains(component);
                    if (!calls) {
                        problems.add(new PolicyProblem(
                                PolicyError.INVALID_GATE,
                                field + ".metric",
                                field + ".metric " + gate.metric().jsonName() + " reads calls between components, and "
                                        + "version " + version.version() + " declares no call "
                                        + (component == null ? "between its components" : "into " + component)
                                        + ": the gate could never gather data"));
                    }
                }
            }
        }
    }
}
