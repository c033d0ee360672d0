package dev.weft.rollout.gate;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The load of one version over an interval: its components and call edges that reported in it (a component
 * or edge without reports is simply absent).
 */
public record VersionLoad(String version, List<ComponentFigures> components, List<EdgeFigures> edges) {

    public VersionLoad {
        requireNonNull(version, "version is null");
        components = List.copyOf(components);
        edges = List.copyOf(edges);
        Set<String> names = new HashSet<>();
        for (ComponentFigures figures : components) {
            if (!names.add(figures.component())) {
                throw new IllegalArgumentException("component " + figures.component() + " is listed twice");
            }
        }
        Set<String> pairs = new HashSet<>();
        for (EdgeFigures edge : edges) {
            if (!pairs.add(edge.caller() + "->" + edge.callee())) {
                throw new IllegalArgumentException("edge " + edge.caller() + "->" + edge.callee() + " is listed twice");
            }
        }
    }

    /** A version that reported nothing. */
    public static VersionLoad none(String version) {
        return new VersionLoad(version, List.of(), List.of());
    }
}
