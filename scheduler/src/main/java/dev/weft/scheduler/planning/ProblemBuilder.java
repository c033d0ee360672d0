package dev.weft.scheduler.planning;

import dev.weft.placement.model.Agent;
import dev.weft.placement.model.Component;
import dev.weft.placement.model.Constraints;
import dev.weft.placement.model.CostModel;
import dev.weft.placement.model.Edge;
import dev.weft.placement.model.PreviousPlan;
import dev.weft.placement.model.Problem;
import dev.weft.placement.model.Separation;
import dev.weft.scheduler.agents.AgentSnapshot;
import dev.weft.scheduler.agents.AgentState;
import dev.weft.scheduler.planning.PlanInputs.ComponentInput;
import dev.weft.scheduler.planning.PlanInputs.EdgeInput;
import dev.weft.scheduler.planning.PlanRecord.Assignment;
import dev.weft.scheduler.planning.PlanRecord.Group;
import dev.weft.scheduler.planning.World.Usage;
import dev.weft.scheduler.registry.Registry.RegisteredComponent;
import dev.weft.scheduler.registry.Registry.RegisteredEdge;
import dev.weft.scheduler.registry.Registry.RegisteredVersion;
import dev.weft.scheduler.registry.VersionSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Turns a {@link World} into the planner's {@link Problem}; pure, so a test or a preview can build one from any
 * world. Units: the registry's millicores and MiB become cores and GiB.
 *
 * <ul>
 *   <li><b>Components.</b> With load measured in the window, a component's {@code cpu} is its cores summed over every
 *       agent and averaged over the window (0 if it reported nothing while others did) and its {@code mem} the
 *       most memory any agent reported for it (the declared {@code memoryMiB} if none). Before any load, the
 *       declared hints: {@code cpu = cpuMillis × max(1, minReplicas) / 1000} — the per-replica figure times the
 *       replicas the spec asks for at least — and {@code mem = memoryMiB / 1024}. {@code minReplicas} 0 becomes 1
 *       (the planner runs every component).</li>
 *   <li><b>Edges.</b> Measured calls/s and bytes/s; before any load, {@code callsPerSecond} and
 *       {@code callsPerSecond × bytesPerCall} bytes/s (a missing figure is 0).</li>
 *   <li><b>Agents.</b> Connected agents that are neither cordoned nor draining take new replicas, offering their
 *       capacity less what other versions' active plans assign them. Cordoned agents and disconnected ones whose
 *       lease still runs keep the replicas of this version they host (they are offered exactly the room those take)
 *       and get no new ones. Draining agents, agents this version's replicas failed to start on too often, and any
 *       agent not live (lost, released, revoked) are left out.</li>
 *   <li><b>Labels.</b> An agent label {@code k=v} satisfies pins {@code k} and {@code k=v}; a component pinned to
 *       several labels needs an agent with all of them.</li>
 *   <li><b>Stability.</b> The running plan is the previous plan, so replicas stay where they are while that fits.</li>
 * </ul>
 */
final class ProblemBuilder {

    private ProblemBuilder() {}

    static BuiltProblem build(World world, CostModel model) {
        RegisteredVersion v = world.version();
        boolean measured = world.load().measured();
        Map<Long, String> names = new HashMap<>();
        v.components().forEach(c -> names.put(c.id(), c.name()));

        List<Component> components = new ArrayList<>();
        List<ComponentInput> componentInputs = new ArrayList<>();
        for (RegisteredComponent c : v.components()) {
            int min = Math.max(1, c.minReplicas());
            double cpu;
            double memGiB;
            double rps = 0;
            if (measured) {
                cpu = world.load().cpu(c.id());
                OptionalDouble memory = world.load().memoryMiB(c.id());
                memGiB = (memory.isPresent() ? memory.getAsDouble() : c.memoryMiB()) / 1024.0;
                rps = world.load().requestsPerSecond(c.id());
            } else {
                cpu = c.cpuMillis() * (double) min / 1000.0;
                memGiB = c.memoryMiB() / 1024.0;
            }
            components.add(new Component(c.name(), cpu, memGiB, min, c.maxReplicas()));
            componentInputs.add(new ComponentInput(c.name(), cpu, memGiB, rps, min, c.maxReplicas()));
        }

        List<Edge> edges = new ArrayList<>();
        if (measured) {
            for (MeasuredLoad.EdgeRate e : world.load().edges()) {
                String caller = names.get(e.callerId());
                String callee = names.get(e.calleeId());
                if (caller != null && callee != null && !caller.equals(callee)) {
                    edges.add(new Edge(caller, callee, e.callsPerSecond(), e.bytesPerSecond()));
                }
            }
        } else {
            for (RegisteredEdge e : v.edges()) {
                double calls = e.callsPerSecond() == null ? 0 : e.callsPerSecond();
                double bytes = calls * (e.bytesPerCall() == null ? 0 : e.bytesPerCall());
                edges.add(new Edge(e.caller(), e.callee(), calls, bytes));
            }
        }
        List<EdgeInput> edgeInputs = edges.stream()
                .sorted(Comparator.comparingDouble((Edge e) -> -model.edgeCores(e.callsPerSecond(), e.bytesPerSecond()))
                        .thenComparing(Edge::caller)
                        .thenComparing(Edge::callee))
                .limit(PlanInputs.MAX_EDGES)
                .map(e -> new EdgeInput(e.caller(), e.callee(), e.callsPerSecond(), e.bytesPerSecond()))
                .toList();

        VersionSpec.ConstraintsSpec spec = v.constraints();
        List<Set<String>> colocate = new ArrayList<>();
        Objects.requireNonNull(spec.colocate()).forEach(set -> colocate.add(new TreeSet<>(set)));
        List<Separation> separate = new ArrayList<>();
        Objects.requireNonNull(spec.separate()).forEach(pair -> separate.add(new Separation(pair.get(0), pair.get(1))));
        Map<String, List<String>> pinLabels = new TreeMap<>();
        for (VersionSpec.PinSpec pin : Objects.requireNonNull(spec.pins())) {
            pinLabels
                    .computeIfAbsent(Objects.requireNonNull(pin.component()), k -> new ArrayList<>())
                    .add(Objects.requireNonNull(pin.label()));
        }
        // one label per component for the planner: several pins of one component become one combined label that
        // only agents carrying all of them get
        Map<String, String> pins = new TreeMap<>();
        Map<String, List<String>> combined = new LinkedHashMap<>();
        pinLabels.forEach((component, labels) -> {
            List<String> sorted = new TreeSet<>(labels).stream().toList();
            String label = String.join("&", sorted);
            pins.put(component, label);
            if (sorted.size() > 1) {
                combined.put(label, sorted);
            }
        });

        Map<String, AgentSnapshot> usable = new TreeMap<>();
        Set<String> eligible = new TreeSet<>();
        Map<String, String> unusable = new TreeMap<>();
        Map<String, Set<String>> labelSets = new TreeMap<>();
        List<Agent> agents = new ArrayList<>();
        Map<String, Usage> mine = ownUsage(world.current());
        int keeping = 0;
        for (AgentSnapshot a : world.live()) {
            String why = null;
            boolean keepOnly = false;
            if (a.draining()) {
                why = "draining: its replicas move elsewhere";
            } else if (world.failedAgents().contains(a.id())) {
                why = "replicas of this version failed to start on it too often";
            } else if (a.cordoned() || a.state() != AgentState.CONNECTED) {
                keepOnly = true;
                if (!mine.containsKey(a.id())) {
                    why = a.cordoned()
                            ? "cordoned: it takes no new replicas"
                            : "disconnected: it takes no new replicas until it reconnects";
                }
            }
            if (why != null) {
                unusable.put(a.id(), why);
                continue;
            }
            Usage others = world.usedByOthers().getOrDefault(a.id(), Usage.NONE);
            double cpuCapacity = a.cpuMillis() / 1000.0;
            double memCapacity = a.memoryMiB() / 1024.0;
            if (keepOnly) {
                Usage own = mine.get(a.id());
                cpuCapacity = (others.cpuMillis() + Objects.requireNonNull(own).cpuMillis()) / 1000.0;
                memCapacity = (others.memoryMiB() + own.memoryMiB()) / 1024.0;
                keeping++;
            } else {
                eligible.add(a.id());
            }
            Set<String> labels = labels(a.labels(), combined);
            labelSets.put(a.id(), labels);
            agents.add(new Agent(
                    a.id(),
                    a.zone(),
                    labels,
                    cpuCapacity,
                    memCapacity,
                    others.cpuMillis() / 1000.0,
                    others.memoryMiB() / 1024.0));
            usable.put(a.id(), a);
        }

        Problem problem = new Problem(
                components, edges, new Constraints(colocate, separate, pins), agents, previous(world.current()), model);
        List<PlanInputs.Excluded> excluded = unusable.entrySet().stream()
                .limit(100)
                .map(e -> new PlanInputs.Excluded(e.getKey(), e.getValue()))
                .toList();
        PlanInputs inputs = new PlanInputs(
                world.now(),
                measured ? "MEASURED" : "DECLARED",
                measured ? world.load().measuredFrom() : null,
                measured ? world.load().to() : null,
                componentInputs,
                edgeInputs,
                edges.size(),
                new PlanInputs.Agents(eligible.size(), keeping, excluded),
                PlanInputs.CostModelView.of(model));
        return new BuiltProblem(problem, inputs, usable, eligible, unusable, labelSets, pins);
    }

    /** The labels pins match: {@code k} and {@code k=v} for each label, and each combined label it satisfies. */
    static Set<String> labels(Map<String, String> agentLabels, Map<String, List<String>> combined) {
        Set<String> out = new TreeSet<>();
        agentLabels.forEach((k, v) -> {
            out.add(k);
            out.add(k + "=" + v);
        });
        combined.forEach((label, parts) -> {
            if (out.containsAll(parts)) {
                out.add(label);
            }
        });
        return out;
    }

    /** What the running plan of this version takes on each agent. */
    static Map<String, Usage> ownUsage(@org.jspecify.annotations.Nullable PlanRecord current) {
        Map<String, Usage> out = new HashMap<>();
        if (current != null) {
            for (Group g : current.groups()) {
                for (Assignment a : g.assignments()) {
                    out.merge(
                            a.agentId(),
                            new Usage(a.cpuMillis(), a.memoryMiB()),
                            (x, y) -> x.plus(y.cpuMillis(), y.memoryMiB()));
                }
            }
        }
        return out;
    }

    private static @org.jspecify.annotations.Nullable PreviousPlan previous(
            @org.jspecify.annotations.Nullable PlanRecord current) {
        if (current == null || current.groups().isEmpty()) {
            return null;
        }
        List<PreviousPlan.Group> groups = new ArrayList<>();
        for (Group g : current.groups()) {
            groups.add(new PreviousPlan.Group(
                    g.componentSet(),
                    g.assignments().stream().map(Assignment::agentId).toList()));
        }
        return new PreviousPlan(groups);
    }
}
