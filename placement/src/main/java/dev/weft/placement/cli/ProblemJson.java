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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads the problem JSON documented in placement/README.md into model records, strictly: an unknown (or
 * misspelt) field, a missing required one, a value of the wrong type or a {@code null} is refused with its JSON
 * path ({@code $.components[2].mem}); only the fields the README lists as optional take a default.
 */
public final class ProblemJson {
    private static final Set<String> ROOT =
            fields("components", "edges", "constraints", "agents", "previous", "costModel", "options");
    private static final Set<String> COMPONENT = fields("name", "cpu", "mem", "minReplicas", "maxReplicas");
    private static final Set<String> EDGE = fields("caller", "callee", "callsPerSecond", "bytesPerSecond");
    private static final Set<String> AGENT =
            fields("id", "zone", "labels", "cpuCapacity", "memCapacity", "cpuUsed", "memUsed");
    private static final Set<String> CONSTRAINTS = fields("mustColocate", "mustSeparate", "pins");
    private static final Set<String> PREVIOUS = fields("groups");
    private static final Set<String> PREVIOUS_GROUP = fields("components", "agents");
    private static final Set<String> COST_MODEL = fields(
            "callCpu",
            "byteCpu",
            "replicaCpuMax",
            "targetUtilization",
            "processCpu",
            "processMem",
            "pricePerCoreHour",
            "pricePerGiBHour",
            "preference");
    private static final Set<String> OPTIONS =
            fields("seed", "exactLimit", "exactNodeBudget", "restarts", "regroupMargin", "searchBudget");

    private ProblemJson() {}

    private static Set<String> fields(String... names) {
        return new LinkedHashSet<>(Arrays.asList(names));
    }

    /** A JSON value and where it sits in the document. */
    private record At(JsonNode node, String path) {
        @Nullable
        At field(String name) {
            JsonNode v = node.get(name);
            return v == null ? null : new At(v, path + "." + name);
        }

        At required(String name) {
            At v = field(name);
            if (v == null) {
                throw new IllegalArgumentException("missing required field " + path + "." + name);
            }
            return v;
        }

        List<At> items() {
            if (!node.isArray()) {
                throw new IllegalArgumentException(path + " must be an array, was " + describe(node));
            }
            List<At> out = new ArrayList<>(node.size());
            for (int i = 0; i < node.size(); i++) {
                out.add(new At(node.get(i), path + "[" + i + "]"));
            }
            return out;
        }

        /** This value as an object whose fields are all among {@code allowed}. */
        At object(Set<String> allowed) {
            if (!node.isObject()) {
                throw new IllegalArgumentException(path + " must be an object, was " + describe(node));
            }
            for (String name : node.propertyNames()) {
                if (!allowed.contains(name)) {
                    throw new IllegalArgumentException(
                            "unknown field " + path + "." + name + " (allowed: " + String.join(", ", allowed) + ")");
                }
            }
            return this;
        }

        String string() {
            if (!node.isString()) {
                throw new IllegalArgumentException(path + " must be a string, was " + describe(node));
            }
            return node.asString();
        }

        double number() {
            if (!node.isNumber()) {
                throw new IllegalArgumentException(path + " must be a number, was " + describe(node));
            }
            return node.asDouble();
        }

        /**
         * A whole number in [Long.MIN_VALUE, max]: a fraction such as 1.5 replicas is refused rather than truncated,
         * since the user meant something the planner would not do ({@code 2.0} is 2).
         */
        long integer(long max) {
            if (!node.isNumber() || (!node.isIntegralNumber() && node.asDouble() != Math.rint(node.asDouble()))) {
                throw new IllegalArgumentException(path + " must be a whole number, was " + describe(node));
            }
            boolean fits = node.isIntegralNumber() ? node.canConvertToLong() : Math.abs(node.asDouble()) < 0x1p63;
            long value = !fits ? Long.MAX_VALUE : node.isIntegralNumber() ? node.asLong() : (long) node.asDouble();
            if (!fits || value > max) {
                throw new IllegalArgumentException(path + " must be at most " + max + ", was " + node);
            }
            return value;
        }

        List<String> strings() {
            return items().stream().map(At::string).toList();
        }
    }

    private static String describe(JsonNode n) {
        String text = n.toString();
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }

    private static double number(At obj, String field, double dflt) {
        At v = obj.field(field);
        return v == null ? dflt : v.number();
    }

    private static long integer(At obj, String field, long dflt, long max) {
        At v = obj.field(field);
        return v == null ? dflt : v.integer(max);
    }

    private static List<At> optionalItems(At obj, String field) {
        At v = obj.field(field);
        return v == null ? List.of() : v.items();
    }

    public static Problem problem(JsonNode rootNode) {
        At root = new At(rootNode, "$").object(ROOT);
        List<At> componentItems = root.required("components").items();
        if (componentItems.isEmpty()) {
            throw new IllegalArgumentException("$.components must list at least one component");
        }
        List<Component> components = new ArrayList<>();
        for (At item : componentItems) {
            At c = item.object(COMPONENT);
            components.add(new Component(
                    c.required("name").string(),
                    c.required("cpu").number(),
                    c.required("mem").number(),
                    (int) integer(c, "minReplicas", 1, Integer.MAX_VALUE),
                    (int) integer(c, "maxReplicas", Integer.MAX_VALUE, Integer.MAX_VALUE)));
        }
        List<Edge> edges = new ArrayList<>();
        for (At item : optionalItems(root, "edges")) {
            At e = item.object(EDGE);
            edges.add(new Edge(
                    e.required("caller").string(),
                    e.required("callee").string(),
                    e.required("callsPerSecond").number(),
                    e.required("bytesPerSecond").number()));
        }
        List<Agent> agents = new ArrayList<>();
        for (At item : root.required("agents").items()) {
            At a = item.object(AGENT);
            At labels = a.field("labels");
            agents.add(new Agent(
                    a.required("id").string(),
                    a.required("zone").string(),
                    labels == null ? Set.of() : Set.copyOf(labels.strings()),
                    a.required("cpuCapacity").number(),
                    a.required("memCapacity").number(),
                    number(a, "cpuUsed", 0),
                    number(a, "memUsed", 0)));
        }
        PreviousPlan previous = null;
        At prev = root.field("previous");
        if (prev != null && !prev.node().isNull()) {
            List<PreviousPlan.Group> groups = new ArrayList<>();
            for (At item : prev.object(PREVIOUS).required("groups").items()) {
                At g = item.object(PREVIOUS_GROUP);
                groups.add(new PreviousPlan.Group(
                        new LinkedHashSet<>(g.required("components").strings()),
                        g.required("agents").strings()));
            }
            previous = new PreviousPlan(groups);
        }
        At constraints = root.field("constraints");
        At costModel = root.field("costModel");
        return new Problem(
                components,
                edges,
                constraints == null ? Constraints.NONE : constraints(constraints.object(CONSTRAINTS)),
                agents,
                previous,
                costModel == null ? CostModel.DEFAULTS : costModel(costModel.object(COST_MODEL)));
    }

    public static PlannerOptions options(JsonNode rootNode) {
        At given = new At(rootNode, "$").object(ROOT).field("options");
        PlannerOptions d = PlannerOptions.DEFAULTS;
        if (given == null) {
            return d;
        }
        At o = given.object(OPTIONS);
        return new PlannerOptions(
                integer(o, "seed", d.seed(), Long.MAX_VALUE),
                (int) integer(o, "exactLimit", d.exactLimit(), Integer.MAX_VALUE),
                integer(o, "exactNodeBudget", d.exactNodeBudget(), Long.MAX_VALUE),
                (int) integer(o, "restarts", d.restarts(), Integer.MAX_VALUE),
                number(o, "regroupMargin", d.regroupMargin()),
                integer(o, "searchBudget", d.searchBudget(), Long.MAX_VALUE));
    }

    private static Constraints constraints(At c) {
        List<Set<String>> colocate = new ArrayList<>();
        for (At set : optionalItems(c, "mustColocate")) {
            colocate.add(new LinkedHashSet<>(set.strings()));
        }
        List<Separation> separate = new ArrayList<>();
        for (At pair : optionalItems(c, "mustSeparate")) {
            // A list, not a set: ["a", "a"] is a pair the planner reports as a contradiction, not a malformed entry.
            List<String> two = pair.strings();
            if (two.size() != 2) {
                throw new IllegalArgumentException(
                        pair.path() + ": mustSeparate entries must be pairs of names, was " + describe(pair.node()));
            }
            separate.add(new Separation(two.get(0), two.get(1)));
        }
        Map<String, String> pins = new LinkedHashMap<>();
        At given = c.field("pins");
        if (given != null) {
            if (!given.node().isObject()) {
                throw new IllegalArgumentException(
                        given.path() + " must be an object of component name to label, was " + describe(given.node()));
            }
            for (String name : given.node().propertyNames()) {
                pins.put(name, given.required(name).string());
            }
        }
        return new Constraints(colocate, separate, pins);
    }

    private static CostModel costModel(At m) {
        CostModel d = CostModel.DEFAULTS;
        At pref = m.field("preference");
        return new CostModel(
                number(m, "callCpu", d.callCpu()),
                number(m, "byteCpu", d.byteCpu()),
                number(m, "replicaCpuMax", d.replicaCpuMax()),
                number(m, "targetUtilization", d.targetUtilization()),
                number(m, "processCpu", d.processCpu()),
                number(m, "processMem", d.processMem()),
                number(m, "pricePerCoreHour", d.pricePerCoreHour()),
                number(m, "pricePerGiBHour", d.pricePerGiBHour()),
                pref == null ? d.preference() : preference(pref));
    }

    private static Preference preference(At v) {
        String given = v.string();
        for (Preference p : Preference.values()) {
            if (p.name().equals(given)) {
                return p;
            }
        }
        throw new IllegalArgumentException(v.path() + " must be one of "
                + Arrays.stream(Preference.values()).map(Enum::name).collect(Collectors.joining(", "))
                + ", was " + describe(v.node()));
    }
}
