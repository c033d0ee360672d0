package dev.weft.placement;

import dev.weft.placement.grouping.AgentLimits;
import dev.weft.placement.grouping.Graph;
import dev.weft.placement.grouping.GroupRules;
import dev.weft.placement.model.Component;
import dev.weft.placement.model.Problem;
import dev.weft.placement.model.Reason;
import dev.weft.placement.model.ReasonCode;
import dev.weft.placement.model.Separation;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Finds what no grouping can fix, before any search: contradictory constraints, must-share sets whose bounds
 * cross or that no agent can hold, and pins to labels no agent has.
 */
final class Prechecks {
  private Prechecks() {}

  static List<Reason> check(Problem p, Graph merged, GroupRules rules) {
    List<Reason> out = new ArrayList<>();
    if (p.agents().isEmpty() && !p.components().isEmpty()) {
      out.add(new Reason(ReasonCode.INSUFFICIENT_CAPACITY, "agents", "no agents are registered"));
      return out;
    }
    java.util.Map<String, Integer> index = new java.util.HashMap<>();
    for (int i = 0; i < p.components().size(); i++) {
      index.put(p.components().get(i).name(), i);
    }
    for (Separation s : p.constraints().mustSeparate()) {
      int a = merged.nodeOfComponent(index.get(s.a()));
      int b = merged.nodeOfComponent(index.get(s.b()));
      if (a == b) {
        out.add(new Reason(ReasonCode.CONTRADICTORY_CONSTRAINTS, "mustSeparate " + s.a() + "/" + s.b(),
            s.a().equals(s.b()) ? s.a() + " cannot be separated from itself"
                : s.a() + " and " + s.b() + " must never share a process, but must-colocate sets "
                + merged.memberNames(a) + " force them together"));
      }
    }
    AgentLimits limits = rules.limits();
    var m = rules.model();
    for (int v = 0; v < merged.size(); v++) {
      List<String> names = merged.memberNames(v);
      String subject = names.size() == 1 ? "component " + names.get(0) : "must-share set " + names;
      double cpu = 0;
      double mem = 0;
      int maxMin = 0;
      int minMax = Integer.MAX_VALUE;
      for (String name : names) {
        Component c = p.components().get(index.get(name));
        cpu += c.cpu();
        mem += c.mem();
        maxMin = Math.max(maxMin, c.minReplicas());
        minMax = Math.min(minMax, c.maxReplicas());
      }
      if (maxMin > minMax) {
        out.add(new Reason(ReasonCode.REPLICA_BOUNDS_CROSS, subject,
            "needs at least " + maxMin + " replicas but allows at most " + minMax));
        continue;
      }
      Set<String> labels = labelsOf(p, names);
      AgentLimits.Frontier f = limits.forLabels(labels);
      if (f.count() == 0) {
        out.add(new Reason(ReasonCode.NO_AGENT_WITH_LABEL, subject, "pinned to label(s) " + new java.util.TreeSet<>(labels)
            + " but no agent has " + (labels.size() == 1 ? "that label" : "all of them")));
        continue;
      }
      double replicaMem = m.processMem() + mem;
      if (replicaMem > f.maxMem() + 1e-9) {
        out.add(new Reason(ReasonCode.EXCEEDS_LARGEST_AGENT, subject, String.format(
            "one replica needs %.3f GiB but the largest agent%s has %.3f GiB free", replicaMem,
            labels.isEmpty() ? "" : " with " + new java.util.TreeSet<>(labels), f.maxMem())));
        continue;
      }
      // The least cpu one replica can ask for: no remote-call overhead and as many replicas as allowed.
      int r = Math.min(minMax, Math.max(maxMin, Math.max(1, m.replicasForCpu(cpu))));
      double replicaCpu = m.cores(cpu, r) / r;
      if (replicaCpu > f.maxCpu() + 1e-9) {
        out.add(new Reason(ReasonCode.EXCEEDS_LARGEST_AGENT, subject, String.format(
            "one replica needs %.3f cores but the largest agent%s has %.3f cores free", replicaCpu,
            labels.isEmpty() ? "" : " with " + new java.util.TreeSet<>(labels), f.maxCpu())));
      } else if (maxMin > f.count()) {
        out.add(new Reason(ReasonCode.TOO_FEW_AGENTS, subject, "needs " + maxMin
            + " replicas on distinct agents but only " + f.count() + " agents qualify"));
      }
    }
    return out;
  }

  static Set<String> labelsOf(Problem p, List<String> names) {
    java.util.TreeSet<String> labels = new java.util.TreeSet<>();
    for (String n : names) {
      String pin = p.constraints().pins().get(n);
      if (pin != null) {
        labels.add(pin);
      }
    }
    return Set.copyOf(labels);
  }
}
