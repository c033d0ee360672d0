package dev.weft.placement.model;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Set;

/** The plan currently running, so the planner keeps replicas where they are while that stays valid. */
public record PreviousPlan(List<Group> groups) {
  public PreviousPlan {
    groups = List.copyOf(requireNonNull(groups, "groups is null"));
  }

  /** One running group: its components and the agent of each of its replicas. */
  public record Group(Set<String> components, List<String> agents) {
    public Group {
      components = Set.copyOf(requireNonNull(components, "components is null"));
      agents = List.copyOf(requireNonNull(agents, "agents is null"));
    }
  }
}
