package dev.weft.scheduler.registry;

import dev.weft.scheduler.registry.VersionSpec.ComponentSpec;
import dev.weft.scheduler.registry.VersionSpec.ConstraintsSpec;
import dev.weft.scheduler.registry.VersionSpec.EdgeSpec;
import dev.weft.scheduler.registry.VersionSpec.PinSpec;
import dev.weft.scheduler.system.FieldError;
import dev.weft.scheduler.system.WeftException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Checks a version spec against every rule the registry promises and returns it in canonical form
 * (defaults filled in, lists sorted). All problems found are reported together, each naming the
 * JSON path of the offending field; nothing is stored unless there are none.
 */
final class VersionSpecValidator {

    static final int MAX_COMPONENTS = 2_000;
    static final int MAX_EDGES = 20_000;
    static final int MAX_CPU_MILLIS = 256_000;
    static final int MAX_MEMORY_MIB = 1_048_576;
    static final int MAX_REPLICAS = 10_000;
    static final double MAX_CALLS_PER_SECOND = 1e9;
    static final double MAX_BYTES_PER_CALL = 1e9;
    static final int DEFAULT_MIN_REPLICAS = 1;
    static final int DEFAULT_MAX_REPLICAS = 100;
    /** Characters (Unicode code points) of an artifact reference. */
    static final int MAX_ARTIFACT = 2048;

    private static final int MAX_REPORTED = 100;

    private final List<FieldError> errors = new ArrayList<>();

    private VersionSpecValidator() {}

    static VersionSpec canonical(VersionSpec spec) {
        VersionSpecValidator validator = new VersionSpecValidator();
        VersionSpec result = validator.check(spec);
        if (!validator.errors.isEmpty()) {
            throw new WeftException(validator.errors.subList(0, Math.min(MAX_REPORTED, validator.errors.size())));
        }
        return result;
    }

    private VersionSpec check(VersionSpec spec) {
        String version = spec.version();
        if (version == null) {
            missing("version");
        } else if (!Names.isVersion(version)) {
            fail(
                    RegistryError.INVALID_NAME,
                    "version",
                    "Version name '" + Names.shown(version) + "' is invalid: " + Names.VERSION_RULE);
        }
        String artifact = spec.artifact();
        if (artifact == null) {
            missing("artifact");
        } else {
            int length = artifact.codePointCount(0, artifact.length());
            int unprintable = artifact.codePoints()
                    .filter(VersionSpecValidator::unprintable)
                    .findFirst()
                    .orElse(-1);
            if (artifact.isBlank() || length > MAX_ARTIFACT) {
                fail(
                        RegistryError.INVALID_ARTIFACT,
                        "artifact",
                        "Artifact reference must be 1-" + MAX_ARTIFACT + " printable characters, was " + length
                                + " characters" + (artifact.isBlank() && length > 0 ? " of white space" : ""));
            } else if (unprintable >= 0) {
                fail(
                        RegistryError.INVALID_ARTIFACT,
                        "artifact",
                        "Artifact reference must be printable characters; it contains U+"
                                + String.format("%04X", unprintable)
                                + ", a control, format or separator character");
            }
        }
        List<ComponentSpec> components = checkComponents(spec.components());
        // With no components at all, every reference would be "unknown": that says nothing the missing
        // or empty list does not, so references are only checked against a list that is there.
        @Nullable Set<String> names = null;
        if (!components.isEmpty()) {
            names = new HashSet<>();
            for (ComponentSpec c : components) {
                names.add(c.name());
            }
        }
        List<EdgeSpec> edges = checkEdges(spec.edges(), names);
        ConstraintsSpec constraints = checkConstraints(spec.constraints(), names, components);
        return new VersionSpec(version, artifact, components, edges, constraints);
    }

    private List<ComponentSpec> checkComponents(@Nullable List<ComponentSpec> components) {
        if (components == null) {
            missing("components");
            return List.of();
        }
        if (components.isEmpty()) {
            fail(
                    RegistryError.NO_COMPONENTS,
                    "components",
                    "A version needs at least one component; 'components' is empty");
            return List.of();
        }
        if (components.size() > MAX_COMPONENTS) {
            // Still read them all (cheap: the body size is bounded), so edges and constraints naming them
            // are not also reported as naming unknown components.
            fail(
                    RegistryError.TOO_MANY_COMPONENTS,
                    "components",
                    "A version may declare at most " + MAX_COMPONENTS + " components, this one declares "
                            + components.size());
        }
        List<ComponentSpec> result = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < components.size(); i++) {
            String at = "components[" + i + "]";
            ComponentSpec c = components.get(i);
            if (c == null) {
                missing(at);
                continue;
            }
            String name = c.name();
            String shown = name == null ? "null" : Names.shown(name);
            if (name == null) {
                missing(at + ".name");
            } else if (!Names.isLabel(name)) {
                fail(
                        RegistryError.INVALID_NAME,
                        at + ".name",
                        "Component name '" + shown + "' is invalid: " + Names.LABEL_RULE);
            } else if (seen.putIfAbsent(name, i) != null) {
                fail(
                        RegistryError.DUPLICATE_COMPONENT,
                        at + ".name",
                        "Component '" + name + "' is declared twice: components[" + seen.get(name) + "] and " + at);
            }
            Integer cpu = c.cpuMillis();
            if (cpu == null) {
                missing(at + ".cpuMillis");
            } else if (cpu < 1 || cpu > MAX_CPU_MILLIS) {
                fail(
                        RegistryError.INVALID_RESOURCE,
                        at + ".cpuMillis",
                        "cpuMillis of component '" + shown + "' must be 1.." + MAX_CPU_MILLIS
                                + " (millicores per replica), was " + cpu);
            }
            Integer mem = c.memoryMiB();
            if (mem == null) {
                missing(at + ".memoryMiB");
            } else if (mem < 1 || mem > MAX_MEMORY_MIB) {
                fail(
                        RegistryError.INVALID_RESOURCE,
                        at + ".memoryMiB",
                        "memoryMiB of component '" + shown + "' must be 1.." + MAX_MEMORY_MIB
                                + " (MiB per replica), was " + mem);
            }
            int min = c.minReplicas() == null ? DEFAULT_MIN_REPLICAS : c.minReplicas();
            int max = c.maxReplicas() == null ? DEFAULT_MAX_REPLICAS : c.maxReplicas();
            if (c.maxReplicas() == null && min > DEFAULT_MAX_REPLICAS && min <= MAX_REPLICAS) {
                // a default that quietly followed minReplicas up would make the documented default a lie
                fail(
                        RegistryError.INVALID_REPLICAS,
                        at + ".minReplicas",
                        "minReplicas (" + min + ") of component '" + shown + "' exceeds the default maxReplicas ("
                                + DEFAULT_MAX_REPLICAS + "); give maxReplicas too");
            } else if (min < 0 || min > MAX_REPLICAS) {
                fail(
                        RegistryError.INVALID_REPLICAS,
                        at + ".minReplicas",
                        "minReplicas of component '" + shown + "' must be 0.." + MAX_REPLICAS + ", was " + min);
            } else if (max < 1 || max > MAX_REPLICAS) {
                fail(
                        RegistryError.INVALID_REPLICAS,
                        at + ".maxReplicas",
                        "maxReplicas of component '" + shown + "' must be 1.." + MAX_REPLICAS + ", was " + max);
            } else if (min > max) {
                fail(
                        RegistryError.INVALID_REPLICAS,
                        at + ".minReplicas",
                        "minReplicas (" + min + ") of component '" + shown + "' exceeds its maxReplicas (" + max + ")");
            }
            result.add(new ComponentSpec(name, cpu, mem, min, max, Boolean.TRUE.equals(c.ingress())));
        }
        result.sort(Comparator.comparing(c -> String.valueOf(c.name())));
        return result;
    }

    private List<EdgeSpec> checkEdges(@Nullable List<EdgeSpec> edges, @Nullable Set<String> names) {
        if (edges == null) {
            return List.of();
        }
        if (edges.size() > MAX_EDGES) {
            fail(
                    RegistryError.TOO_MANY_EDGES,
                    "edges",
                    "A version may declare at most " + MAX_EDGES + " call edges, this one declares " + edges.size());
            return List.of();
        }
        List<EdgeSpec> result = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < edges.size(); i++) {
            String at = "edges[" + i + "]";
            EdgeSpec e = edges.get(i);
            if (e == null) {
                missing(at);
                continue;
            }
            String caller = knownComponent(e.caller(), at + ".caller", names);
            String callee = knownComponent(e.callee(), at + ".callee", names);
            if (caller != null && caller.equals(callee)) {
                fail(
                        RegistryError.SELF_EDGE,
                        at,
                        "Edge " + at + " goes from '" + caller + "' to itself; calls inside a component are not edges");
            } else if (caller != null && callee != null && seen.putIfAbsent(caller + "->" + callee, i) != null) {
                fail(
                        RegistryError.DUPLICATE_EDGE,
                        at,
                        "Edge '" + caller + "' -> '" + callee + "' is declared twice: edges["
                                + seen.get(caller + "->" + callee) + "] and " + at);
            }
            checkLoad(e.callsPerSecond(), at + ".callsPerSecond", MAX_CALLS_PER_SECOND);
            checkLoad(e.bytesPerCall(), at + ".bytesPerCall", MAX_BYTES_PER_CALL);
            result.add(new EdgeSpec(caller, callee, positiveZero(e.callsPerSecond()), positiveZero(e.bytesPerCall())));
        }
        result.sort(Comparator.comparing((EdgeSpec e) -> String.valueOf(e.caller()))
                .thenComparing(e -> String.valueOf(e.callee())));
        return result;
    }

    /** Control (Cc), format (Cf), surrogate, line and paragraph separator characters; a space is fine. */
    private static boolean unprintable(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL
                || type == Character.FORMAT
                || type == Character.SURROGATE
                || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }

    /** -0.0 is 0: the database keeps no negative zero, so an answer showing one would not read back the same. */
    private static @Nullable Double positiveZero(@Nullable Double value) {
        return value != null && value == 0 ? Double.valueOf(0) : value;
    }

    private void checkLoad(@Nullable Double value, String field, double max) {
        if (value != null && (value.isNaN() || value < 0 || value > max)) {
            fail(
                    RegistryError.INVALID_LOAD,
                    field,
                    field + " must be a number from 0 to " + (long) max + ", was " + value);
        }
    }

    private ConstraintsSpec checkConstraints(
            @Nullable ConstraintsSpec spec, @Nullable Set<String> names, List<ComponentSpec> components) {
        if (spec == null) {
            return new ConstraintsSpec(List.of(), List.of(), List.of());
        }
        List<List<String>> colocate = checkSets(spec.colocate(), "constraints.colocate", names, 2, Integer.MAX_VALUE);
        List<List<String>> separate = checkSets(spec.separate(), "constraints.separate", names, 2, 2);
        List<PinSpec> pins = checkPins(spec.pins(), names);
        ConstraintsSpec result = new ConstraintsSpec(colocate, separate, pins);
        if (errors.isEmpty()) {
            ConstraintConsistency.check(result, components).forEach(errors::add);
        }
        return result;
    }

    private List<List<String>> checkSets(
            @Nullable List<List<String>> sets, String at, @Nullable Set<String> names, int min, int max) {
        if (sets == null) {
            return List.of();
        }
        List<List<String>> result = new ArrayList<>();
        for (int i = 0; i < sets.size(); i++) {
            String setAt = at + "[" + i + "]";
            List<String> set = sets.get(i);
            if (set == null) {
                missing(setAt);
                continue;
            }
            Set<String> members = new HashSet<>();
            for (int j = 0; j < set.size(); j++) {
                String name = knownComponent(set.get(j), setAt + "[" + j + "]", names);
                if (name != null && !members.add(name)) {
                    fail(RegistryError.INVALID_CONSTRAINT, setAt, "Component '" + name + "' appears twice in " + setAt);
                }
            }
            if (set.size() < min || set.size() > max) {
                fail(
                        RegistryError.INVALID_CONSTRAINT,
                        setAt,
                        min == max
                                ? setAt + " must name exactly " + min + " components, it names " + set.size()
                                : setAt + " must name at least " + min + " components, it names " + set.size());
            }
            result.add(set.stream().map(String::valueOf).sorted().toList());
        }
        result.sort(Comparator.comparing(Object::toString));
        return result;
    }

    private List<PinSpec> checkPins(@Nullable List<PinSpec> pins, @Nullable Set<String> names) {
        if (pins == null) {
            return List.of();
        }
        List<PinSpec> result = new ArrayList<>();
        for (int i = 0; i < pins.size(); i++) {
            String at = "constraints.pins[" + i + "]";
            PinSpec pin = pins.get(i);
            if (pin == null) {
                missing(at);
                continue;
            }
            String component = knownComponent(pin.component(), at + ".component", names);
            String label = pin.label();
            if (label == null) {
                missing(at + ".label");
            } else {
                String problem = LabelSelector.problem(label);
                if (problem != null) {
                    fail(
                            RegistryError.INVALID_CONSTRAINT,
                            at + ".label",
                            at + ".label '" + Names.shown(label) + "' is invalid: " + problem + " ("
                                    + LabelSelector.RULE + ")");
                }
            }
            result.add(new PinSpec(component, label));
        }
        result.sort(Comparator.comparing((PinSpec p) -> String.valueOf(p.component()))
                .thenComparing(p -> String.valueOf(p.label())));
        return result;
    }

    /** {@code names} is null when the version declares no components, so no reference can be checked. */
    private @Nullable String knownComponent(@Nullable String name, String field, @Nullable Set<String> names) {
        if (name == null) {
            missing(field);
            return null;
        }
        if (names != null && !names.contains(name)) {
            fail(
                    RegistryError.UNKNOWN_COMPONENT,
                    field,
                    field + " names component '" + Names.shown(name) + "', which this version does not declare");
            return null;
        }
        return name;
    }

    private void missing(String field) {
        fail(RegistryError.MISSING_FIELD, field, "Required field '" + field + "' is missing");
    }

    private void fail(RegistryError code, String field, String detail) {
        errors.add(new FieldError(code, field, detail.contains(field) ? detail : field + ": " + detail));
    }
}
