package dev.weft.placement.model;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Set;

/** The plan currently running, so the planner keeps replicas where they are while that stays valid. */
public record PreviousPlan(List<Group> groups) {
    public PreviousPlan {
        groups = List.copyOf(requireNonNull(groups, "groups is null"));
        // A component runs in one process; a plan listing it twice is corrupt, and which group it "is in" would be
        // whichever was read last.
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Group g : groups) {
            for (String c : new java.util.TreeSet<>(g.components())) {
                if (!seen.add(c)) {
                    throw new IllegalArgumentException("previous plan lists component " + c + " in two groups");
                }
            }
        }
    }

    /** One running group: its components and the agent of each of its replicas. */
    public record Group(Set<String> components, List<String> agents) {
        public Group {
            components = Set.copyOf(requireNonNull(components, "components is null"));
            agents = List.copyOf(requireNonNull(agents, "agents is null"));
        }
    }
}
