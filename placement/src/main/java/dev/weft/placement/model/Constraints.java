package dev.weft.placement.model;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Placement constraints given by the user.
 *
 * @param mustColocate sets of components that must share one process
 * @param mustSeparate pairs of components that must never share one
 * @param pins         component name to an agent label every replica hosting it needs
 */
public record Constraints(List<Set<String>> mustColocate, List<Separation> mustSeparate, Map<String, String> pins) {
    public static final Constraints NONE = new Constraints(List.of(), List.of(), Map.of());

    public Constraints {
        mustColocate = requireNonNull(mustColocate, "mustColocate is null").stream()
                .map(Set::copyOf)
                .toList();
        mustSeparate = List.copyOf(requireNonNull(mustSeparate, "mustSeparate is null"));
        pins = Map.copyOf(requireNonNull(pins, "pins is null"));
    }
}
