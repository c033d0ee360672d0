package dev.weft.rollout.policy;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * What a policy check needs to know of a registered version: its components, and those that some declared
 * call edge calls (edge metrics such as {@code latencyP99Ratio} read calls into them).
 */
public record VersionShape(String version, Set<String> components, Set<String> calledComponents) {

    public VersionShape {
        requireNonNull(version, "version is null");
        components = Set.copyOf(components);
        calledComponents = Set.copyOf(calledComponents);
        if (!components.containsAll(calledComponents)) {
            throw new IllegalArgumentException("called components must be components of " + version);
        }
    }
}
