package dev.weft.placement.cli;

import dev.weft.placement.PlannerOptions;
import dev.weft.placement.model.Agent;
import dev.weft.placement.model.Component;
import dev.weft.placement.model.Constraints;
import dev.weft.placement.model.CostModel;
import dev.weft.placement.model.Edge;
import dev.weft.placement.model.Preference;
import dev.weft.placement.model.PreviousPlan;
import dev.weft.placement.model.Problem;
import dev.weft.placement.model.Separation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Reads the problem JSON documented in placement/README.md into model records; a missing cost-model field
 * takes its default, a malformed one fails with the field's path in the message.
 */
public final class ProblemJson {
    private ProblemJson() {}

    public static Problem problem(JsonNode root) {
        List<Component> components = new ArrayList<>();
        for (JsonNode c : array(root, "components")) {
            components.add(new Component(
                    text(c, "name"),
                    num(c, "cpu", 0),
                    num(c, "mem", 0),
                    (int) integer(c, "minReplicas", 1, Integer.MAX_VALUE),
                    (int) integer(c, "maxReplicas", Integer.MAX_VALUE, Integer.MAX_VALUE)));
        }
        List<Edge> edges = new ArrayList<>();
        for (JsonNode e : array(root, "edges")) {
            edges.add(new Edge(
                    text(e, "caller"), text(e, "callee"), num(e, "callsPerSecond", 0), num(e, "bytesPerSecond", 0)));
        }
        List<Agent> agents = new ArrayList<>();
        for (JsonNode a : array(root, "agents")) {
            agents.add(new Agent(
                    text(a, "id"),
                    text(a, "zone"),
                    strings(a.path("labels")),
                    num(a, "cpuCapacity", 0),
                    num(a, "memCapacity", 0),
                    num(a, "cpuUsed", 0),
                    num(a, "memUsed", 0)));
        }
        PreviousPlan previous = null;
        if (root.has("previous") && !root.get("previous").isNull()) {
            List<PreviousPlan.Group> groups = new ArrayList<>();
            for (JsonNode g : array(root.get("previous"), "groups")) {
                groups.add(
                        new PreviousPlan.Group(strings(g.path("components")), List.copyOf(strings(g.path("agents")))));
            }
            previous = new PreviousPlan(groups);
        }
        return new Problem(
                components,
                edges,
                constraints(root.path("constraints")),
                agents,
                previous,
                costModel(root.path("costModel")));
    }

    public static PlannerOptions options(JsonNode root) {
        JsonNode o = root.path("options");
        PlannerOptions d = PlannerOptions.DEFAULTS;
        return new PlannerOptions(
                integer(o, "seed", d.seed(), Long.MAX_VALUE),
                (int) integer(o, "exactLimit", d.exactLimit(), Integer.MAX_VALUE),
                integer(o, "exactNodeBudget", d.exactNodeBudget(), Long.MAX_VALUE),
                (int) integer(o, "restarts", d.restarts(), Integer.MAX_VALUE),
                num(o, "regroupMargin", d.regroupMargin()));
    }

    private static Constraints constraints(JsonNode c) {
        List<Set<String>> colocate = new ArrayList<>();
        for (JsonNode set : array(c, "mustColocate")) {
            colocate.add(strings(set));
        }
        List<Separation> separate = new ArrayList<>();
        for (JsonNode pair : array(c, "mustSeparate")) {
            // A list, not a set: ["a", "a"] is a pair the planner reports as a contradiction, not a malformed entry.
            List<String> two = pair.isArray()
                    ? pair.values().stream().map(JsonNode::asString).toList()
                    : List.of();
            if (two.size() != 2) {
                throw new IllegalArgumentException("constraints.mustSeparate entries must be pairs of names: " + pair);
            }
            separate.add(new Separation(two.get(0), two.get(1)));
        }
        Map<String, String> pins = new HashMap<>();
        if (c.has("pins")) {
            for (Map.Entry<String, JsonNode> e : c.get("pins").properties()) {
                pins.put(e.getKey(), e.getValue().asString());
            }
        }
        return new Constraints(colocate, separate, pins);
    }

    private static CostModel costModel(JsonNode m) {
        CostModel d = CostModel.DEFAULTS;
        Preference pref =
                m.has("preference") ? Preference.valueOf(m.get("preference").asString()) : d.preference();
        return new CostModel(
                num(m, "callCpu", d.callCpu()),
                num(m, "byteCpu", d.byteCpu()),
                num(m, "replicaCpuMax", d.replicaCpuMax()),
                num(m, "targetUtilization", d.targetUtilization()),
                num(m, "processCpu", d.processCpu()),
                num(m, "processMem", d.processMem()),
                num(m, "pricePerCoreHour", d.pricePerCoreHour()),
                num(m, "pricePerGiBHour", d.pricePerGiBHour()),
                pref);
    }

    private static List<JsonNode> array(JsonNode parent, String field) {
        JsonNode n = parent.path(field);
        if (n.isMissingNode() || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw new IllegalArgumentException(field + " must be an array");
        }
        return List.copyOf(n.values());
    }

    private static Set<String> strings(JsonNode n) {
        Set<String> out = new LinkedHashSet<>();
        if (n.isArray()) {
            n.values().forEach(v -> out.add(v.asString()));
        }
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isString()) {
            throw new IllegalArgumentException("missing or non-string field '" + field + "' in " + n);
        }
        return v.asString();
    }

    /**
     * A whole number in [Long.MIN_VALUE, max]: a fraction such as 1.5 replicas is refused rather than truncated, since
     * the user meant something the planner would not do.
     */
    private static long integer(JsonNode n, String field, long dflt, long max) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isNumber()) {
            throw new IllegalArgumentException("field '" + field + "' must be a whole number, was " + v + " in " + n);
        }
        if (!v.isIntegralNumber() && v.asDouble() != Math.rint(v.asDouble())) {
            throw new IllegalArgumentException("field '" + field + "' must be a whole number, was " + v + " in " + n);
        }
        boolean fits = v.isIntegralNumber() ? v.canConvertToLong() : Math.abs(v.asDouble()) < 0x1p63;
        long value = !fits ? Long.MAX_VALUE : v.isIntegralNumber() ? v.asLong() : (long) v.asDouble();
        if (!fits || value > max) {
            throw new IllegalArgumentException(
                    "field '" + field + "' must be at most " + max + ", was " + v + " in " + n);
        }
        return value;
    }

    private static double num(JsonNode n, String field, double dflt) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return dflt;
        }
        if (!v.isNumber()) {
            throw new IllegalArgumentException("field '" + field + "' must be a number, was " + v);
        }
        return v.asDouble();
    }
}
