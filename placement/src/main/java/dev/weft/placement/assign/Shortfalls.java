package dev.weft.placement.assign;

import dev.weft.placement.model.Reason;
import dev.weft.placement.model.ReasonCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Turns "no agent found" into a reason naming the label, the agent count or the zones and what they lack. */
final class Shortfalls {
    private Shortfalls() {}

    static Reason explain(Demand d, AgentIndex index, Set<Integer> used, int placed) {
        String subject = "group " + d.groupId();
        int eligible = 0;
        for (int z = 0; z < index.zones.size(); z++) {
            for (int i : index.zoneTree(z, d.labels())) {
                if (index.hasLabels(i, d.labels())) {
                    eligible++;
                }
            }
        }
        if (eligible == 0) {
            return new Reason(
                    ReasonCode.NO_AGENT_WITH_LABEL,
                    subject,
                    "no agent has label(s) " + new java.util.TreeSet<>(d.labels()));
        }
        if (eligible < d.replicas()) {
            return new Reason(
                    ReasonCode.TOO_FEW_AGENTS,
                    subject,
                    d.replicas() + " replicas need distinct agents but only " + eligible + " agents" + labelText(d)
                            + " exist");
        }
        List<String> zoneNotes = new ArrayList<>();
        for (int z = 0; z < index.zones.size(); z++) {
            double bestCpu = 0;
            double bestMem = 0;
            boolean cpuFitSomewhere = false;
            boolean memFitSomewhere = false;
            for (int i : index.zoneTree(z, d.labels())) {
                if (used.contains(i) || !index.hasLabels(i, d.labels())) {
                    continue;
                }
                bestCpu = Math.max(bestCpu, index.freeCpu[i]);
                bestMem = Math.max(bestMem, index.freeMem[i]);
                cpuFitSomewhere |= index.freeCpu[i] >= d.cpuPerReplica() - 1e-9;
                memFitSomewhere |= index.freeMem[i] >= d.memPerReplica() - 1e-9;
            }
            String zone = index.zones.get(z);
            if (!memFitSomewhere) {
                zoneNotes.add(String.format("zone %s lacks memory (largest free %.3f GiB)", zone, bestMem));
            } else if (!cpuFitSomewhere) {
                zoneNotes.add(String.format("zone %s lacks cpu (largest free %.3f cores)", zone, bestCpu));
            } else {
                zoneNotes.add(String.format("zone %s has no agent with both free at once", zone));
            }
        }
        return new Reason(
                ReasonCode.INSUFFICIENT_CAPACITY,
                subject,
                String.format(
                        "replica %d of %d needs %.3f cores and %.3f GiB%s: %s",
                        placed + 1,
                        d.replicas(),
                        d.cpuPerReplica(),
                        d.memPerReplica(),
                        labelText(d),
                        String.join("; ", zoneNotes)));
    }

    private static String labelText(Demand d) {
        return d.labels().isEmpty() ? "" : " with labels " + new java.util.TreeSet<>(d.labels());
    }
}
