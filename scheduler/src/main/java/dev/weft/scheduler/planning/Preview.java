package dev.weft.scheduler.planning;

import dev.weft.placement.Baselines;
import dev.weft.placement.GroupExplanation;
import dev.weft.placement.Plan;
import dev.weft.placement.PlanResult;
import dev.weft.placement.Planner;
import dev.weft.placement.Score;
import dev.weft.placement.model.Agent;
import dev.weft.placement.model.Component;
import dev.weft.placement.model.Constraints;
import dev.weft.placement.model.CostModel;
import dev.weft.placement.model.Edge;
import dev.weft.placement.model.Problem;
import dev.weft.placement.model.Separation;
import dev.weft.scheduler.planning.PreviewRequest.AgentOverride;
import dev.weft.scheduler.planning.PreviewRequest.ConstraintChange;
import dev.weft.scheduler.planning.PreviewRequest.Pin;
import dev.weft.scheduler.registry.Registry.RegisteredVersion;
import dev.weft.scheduler.system.FieldError;
import dev.weft.scheduler.system.WeftException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The what-if preview: the version's problem built from today's world as a re-plan would, changed by the request's
 * overrides, planned, and compared with the running plan. Nothing is stored or applied.
 */
@org.springframework.stereotype.Component
class Preview {

    private static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,126}[A-Za-z0-9])?");

    private final WorldReader worlds;
    private final PlanningProperties properties;

    Preview(WorldReader worlds, PlanningProperties properties) {
        this.worlds = worlds;
        this.properties = properties;
    }

    /**
     * What the preview found.
     *
     * @param status FEASIBLE or INFEASIBLE
     * @param costPerHour the previewed plan's cost (null when infeasible)
     * @param currentCostPerHour the running plan, priced at the previewed load with the replicas it runs (null: none)
     * @param moves what would change from the running plan
     * @param reasons why no plan fits, when infeasible
     */
    record View(
            String application,
            String version,
            String status,
            @Nullable Double costPerHour,
            @Nullable Double currentCostPerHour,
            @Nullable Long currentGeneration,
            List<PlanRecord.Group> groups,
            @Nullable Score score,
            @Nullable Baselines baselines,
            List<GroupExplanation> explanations,
            @Nullable String solver,
            PlanDiffView moves,
            List<PlanRecord.Unplaced> reasons,
            PlanInputs inputs) {}

    View preview(RegisteredVersion version, PreviewRequest request) {
        World world = worlds.read(version);
        CostModel model = costModel(request.costModel());
        BuiltProblem built = ProblemBuilder.build(world, model);
        List<FieldError> errors = new ArrayList<>();
        Problem problem = override(built.problem(), version, request, model, errors);
        if (!errors.isEmpty()) {
            throw new WeftException(errors);
        }
        BuiltProblem changed = new BuiltProblem(
                problem,
                built.inputs(),
                built.agents(),
                built.eligible(),
                built.unusable(),
                built.labels(),
                problem.constraints().pins());
        PlanResult result = new Planner(properties.options()).plan(problem);
        PlanRecord current = world.current();
        PlanRecord live = current != null && !current.groups().isEmpty() ? current : null;
        Double currentCost = live != null ? Decider.runningCost(live, changed) : null;
        Long currentGeneration = live != null ? live.generation() : null;
        List<PlanRecord.Group> before = live != null ? live.groups() : List.of();
        PlanInputs inputs = inputs(built.inputs(), problem);
        return switch (result) {
            case PlanResult.Feasible feasible -> {
                Plan plan = feasible.plan();
                List<PlanRecord.Group> groups = Decider.groups(plan, live, version.id(), 0);
                yield new View(
                        version.application(),
                        version.name(),
                        "FEASIBLE",
                        plan.score().costPerHour(),
                        currentCost,
                        currentGeneration,
                        groups,
                        plan.score(),
                        plan.baselines(),
                        plan.explanations(),
                        plan.solver(),
                        PlanDiffView.between(before, groups),
                        List.of(),
                        inputs);
            }
            case PlanResult.Infeasible infeasible ->
                new View(
                        version.application(),
                        version.name(),
                        "INFEASIBLE",
                        null,
                        currentCost,
                        currentGeneration,
                        List.of(),
                        null,
                        infeasible.baselines(),
                        List.of(),
                        null,
                        PlanDiffView.NONE,
                        infeasible.reasons().stream().map(Decider::unplaced).toList(),
                        inputs);
        };
    }

    private CostModel costModel(PlanningProperties.@Nullable CostModelProperties override) {
        CostModel base = properties.model();
        if (override == null) {
            return base;
        }
        try {
            return new PlanningProperties.CostModelProperties(
                            or(override.callCpu(), base.callCpu()),
                            or(override.byteCpu(), base.byteCpu()),
                            or(override.replicaCpuMax(), base.replicaCpuMax()),
                            or(override.targetUtilization(), base.targetUtilization()),
                            or(override.processCpu(), base.processCpu()),
                            or(override.processMem(), base.processMem()),
                            or(override.pricePerCoreHour(), base.pricePerCoreHour()),
                            or(override.pricePerGiBHour(), base.pricePerGiBHour()),
                            override.preference() == null ? base.preference() : override.preference())
                    .model();
        } catch (IllegalArgumentException e) {
            throw new WeftException(List.of(new FieldError(
                    PlanningError.INVALID_PREVIEW,
                    "costModel",
                    String.valueOf(e.getMessage()).replace("weft.planner.cost-model: ", "costModel."))));
        }
    }

    private static double or(@Nullable Double value, double otherwise) {
        return value == null ? otherwise : value;
    }

    private static Problem override(
            Problem p, RegisteredVersion version, PreviewRequest r, CostModel model, List<FieldError> errors) {
        Set<String> names = new HashSet<>();
        version.components().forEach(c -> names.add(c.name()));
        double all = 1;
        if (r.loadFactor() != null) {
            all = factor(r.loadFactor(), "loadFactor", errors);
        }
        Map<String, Double> per = new HashMap<>();
        if (r.componentLoadFactors() != null) {
            for (Map.Entry<String, Double> e : new TreeMap<>(r.componentLoadFactors()).entrySet()) {
                String field = "componentLoadFactors." + e.getKey();
                if (!names.contains(e.getKey())) {
                    errors.add(invalid(
                            field,
                            "componentLoadFactors names '" + e.getKey() + "', which version " + version.name()
                                    + " does not have; its components are " + new TreeSet<>(names)));
                } else {
                    per.put(e.getKey(), factor(e.getValue(), field, errors));
                }
            }
        }
        List<Component> components = new ArrayList<>();
        for (Component c : p.components()) {
            double f = all * per.getOrDefault(c.name(), 1.0);
            components.add(new Component(c.name(), c.cpu() * f, c.mem(), c.minReplicas(), c.maxReplicas()));
        }
        List<Edge> edges = new ArrayList<>();
        for (Edge e : p.edges()) {
            double f = all * per.getOrDefault(e.callee(), 1.0);
            edges.add(new Edge(e.caller(), e.callee(), e.callsPerSecond() * f, e.bytesPerSecond() * f));
        }

        Map<String, Agent> agents = new LinkedHashMap<>();
        p.agents().forEach(a -> agents.put(a.id(), a));
        if (r.removeAgents() != null) {
            for (int i = 0; i < r.removeAgents().size(); i++) {
                String id = r.removeAgents().get(i);
                if (id == null || agents.remove(id) == null) {
                    errors.add(invalid(
                            "removeAgents[" + i + "]",
                            "removeAgents[" + i + "] is '" + id
                                    + "', which is not among the agents this version's plan may use (" + agents.size()
                                    + " are; see GET /api/v1/agents)"));
                }
            }
        }
        if (r.addAgents() != null) {
            for (int i = 0; i < r.addAgents().size(); i++) {
                Agent added = agent(r.addAgents().get(i), "addAgents[" + i + "]", agents, errors);
                if (added != null) {
                    agents.put(added.id(), added);
                }
            }
        }

        Constraints c = p.constraints();
        List<Set<String>> colocate = new ArrayList<>(c.mustColocate());
        List<Separation> separate = new ArrayList<>(c.mustSeparate());
        Map<String, String> pins = new TreeMap<>(c.pins());
        if (r.removeConstraints() != null) {
            remove(r.removeConstraints(), colocate, separate, pins, errors);
        }
        if (r.addConstraints() != null) {
            add(r.addConstraints(), names, colocate, separate, pins, errors);
        }
        if (!errors.isEmpty()) {
            return p;
        }
        // a component pinned to several labels needs an agent with all of them (see ProblemBuilder)
        List<Agent> withLabels = new ArrayList<>();
        for (Agent a : agents.values()) {
            Set<String> labels = new TreeSet<>(a.labels());
            for (String pin : pins.values()) {
                if (pin.contains("&") && labels.containsAll(List.of(pin.split("&")))) {
                    labels.add(pin);
                }
            }
            withLabels.add(
                    new Agent(a.id(), a.zone(), labels, a.cpuCapacity(), a.memCapacity(), a.cpuUsed(), a.memUsed()));
        }
        return new Problem(
                components, edges, new Constraints(colocate, separate, pins), withLabels, p.previous(), model);
    }

    private static double factor(@Nullable Double value, String field, List<FieldError> errors) {
        if (value == null || !(value > 0 && value <= 1000)) {
            errors.add(invalid(field, field + " must be a number above 0 and at most 1000, was " + value));
            return 1;
        }
        return value;
    }

    private static @Nullable Agent agent(
            @Nullable AgentOverride a, String at, Map<String, Agent> agents, List<FieldError> errors) {
        if (a == null) {
            errors.add(invalid(at, at + " is null"));
            return null;
        }
        int before = errors.size();
        if (a.id() == null || !AGENT_ID.matcher(a.id()).matches()) {
            errors.add(
                    invalid(at + ".id", at + ".id must be 1-128 characters of [A-Za-z0-9-_.], was '" + a.id() + "'"));
        } else if (agents.containsKey(a.id())) {
            errors.add(invalid(at + ".id", at + ".id '" + a.id() + "' is already one of the agents"));
        }
        if (a.cpuMillis() == null || a.cpuMillis() < 1) {
            errors.add(invalid(at + ".cpuMillis", at + ".cpuMillis must be at least 1, was " + a.cpuMillis()));
        }
        if (a.memoryMiB() == null || a.memoryMiB() < 1) {
            errors.add(invalid(at + ".memoryMiB", at + ".memoryMiB must be at least 1, was " + a.memoryMiB()));
        }
        if (errors.size() > before) {
            return null;
        }
        Set<String> labels = ProblemBuilder.labels(a.labels() == null ? Map.of() : a.labels(), Map.of());
        return new Agent(
                java.util.Objects.requireNonNull(a.id()),
                a.zone() == null || a.zone().isBlank() ? "default" : a.zone(),
                labels,
                java.util.Objects.requireNonNull(a.cpuMillis()) / 1000.0,
                java.util.Objects.requireNonNull(a.memoryMiB()) / 1024.0,
                0,
                0);
    }

    private static void remove(
            ConstraintChange change,
            List<Set<String>> colocate,
            List<Separation> separate,
            Map<String, String> pins,
            List<FieldError> errors) {
        List<List<String>> sets = change.colocate() == null ? List.of() : change.colocate();
        for (int i = 0; i < sets.size(); i++) {
            Set<String> set = sets.get(i) == null ? Set.of() : new TreeSet<>(sets.get(i));
            if (!colocate.remove(set)) {
                errors.add(invalid(
                        "removeConstraints.colocate[" + i + "]",
                        "removeConstraints.colocate[" + i + "] " + set + " is not one of the version's colocate sets "
                                + colocate));
            }
        }
        List<List<String>> pairs = change.separate() == null ? List.of() : change.separate();
        for (int i = 0; i < pairs.size(); i++) {
            List<String> pair = pairs.get(i);
            boolean removed = pair != null
                    && pair.size() == 2
                    && separate.removeIf(s -> (s.a().equals(pair.get(0)) && s.b().equals(pair.get(1)))
                            || (s.a().equals(pair.get(1)) && s.b().equals(pair.get(0))));
            if (!removed) {
                errors.add(invalid(
                        "removeConstraints.separate[" + i + "]",
                        "removeConstraints.separate[" + i + "] " + pair
                                + " is not one of the version's separate pairs"));
            }
        }
        List<Pin> pinList = change.pins() == null ? List.of() : change.pins();
        for (int i = 0; i < pinList.size(); i++) {
            Pin pin = pinList.get(i);
            if (pin == null
                    || pin.component() == null
                    || !pins.containsKey(pin.component())
                    || (pin.label() != null && !pins.get(pin.component()).equals(pin.label()))) {
                errors.add(invalid(
                        "removeConstraints.pins[" + i + "]",
                        "removeConstraints.pins[" + i + "] is not one of the version's pins " + pins));
            } else {
                pins.remove(pin.component());
            }
        }
    }

    private static void add(
            ConstraintChange change,
            Set<String> names,
            List<Set<String>> colocate,
            List<Separation> separate,
            Map<String, String> pins,
            List<FieldError> errors) {
        List<List<String>> sets = change.colocate() == null ? List.of() : change.colocate();
        for (int i = 0; i < sets.size(); i++) {
            String at = "addConstraints.colocate[" + i + "]";
            List<String> set = sets.get(i);
            if (set == null || new TreeSet<>(set).size() < 2 || !known(set, names, at, errors)) {
                if (set == null || new TreeSet<>(set).size() < 2) {
                    errors.add(invalid(at, at + " must name at least two distinct components"));
                }
                continue;
            }
            colocate.add(new TreeSet<>(set));
        }
        List<List<String>> pairs = change.separate() == null ? List.of() : change.separate();
        for (int i = 0; i < pairs.size(); i++) {
            String at = "addConstraints.separate[" + i + "]";
            List<String> pair = pairs.get(i);
            if (pair == null || pair.size() != 2 || pair.get(0).equals(pair.get(1))) {
                errors.add(invalid(at, at + " must name two distinct components"));
                continue;
            }
            if (known(pair, names, at, errors)) {
                separate.add(new Separation(pair.get(0), pair.get(1)));
            }
        }
        List<Pin> pinList = change.pins() == null ? List.of() : change.pins();
        for (int i = 0; i < pinList.size(); i++) {
            String at = "addConstraints.pins[" + i + "]";
            Pin pin = pinList.get(i);
            if (pin == null
                    || pin.component() == null
                    || pin.label() == null
                    || pin.label().isBlank()) {
                errors.add(invalid(at, at + " needs a component and a label"));
                continue;
            }
            if (known(List.of(pin.component()), names, at + ".component", errors)) {
                String existing = pins.get(pin.component());
                pins.put(pin.component(), existing == null ? pin.label() : existing + "&" + pin.label());
            }
        }
    }

    private static boolean known(List<String> components, Set<String> names, String at, List<FieldError> errors) {
        for (String c : components) {
            if (c == null || !names.contains(c)) {
                errors.add(invalid(at, at + " names '" + c + "', which the version does not have"));
                return false;
            }
        }
        return true;
    }

    private static PlanInputs inputs(PlanInputs base, Problem p) {
        return new PlanInputs(
                base.computedAt(),
                base.load(),
                base.loadFrom(),
                base.loadTo(),
                p.components().stream()
                        .map(c -> new PlanInputs.ComponentInput(
                                c.name(), c.cpu(), c.mem(), 0, c.minReplicas(), c.maxReplicas()))
                        .toList(),
                p.edges().stream()
                        .limit(PlanInputs.MAX_EDGES)
                        .map(e -> new PlanInputs.EdgeInput(
                                e.caller(), e.callee(), e.callsPerSecond(), e.bytesPerSecond()))
                        .toList(),
                p.edges().size(),
                new PlanInputs.Agents(
                        p.agents().size(),
                        base.agents().keeping(),
                        base.agents().excluded()),
                PlanInputs.CostModelView.of(p.costModel()));
    }

    private static FieldError invalid(String field, String detail) {
        return new FieldError(PlanningError.INVALID_PREVIEW, field, detail);
    }
}
