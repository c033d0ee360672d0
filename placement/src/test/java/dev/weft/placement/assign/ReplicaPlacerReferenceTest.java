package dev.weft.placement.assign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.placement.model.Agent;
import dev.weft.placement.model.Preference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The placer's choices against a plain reference that scans every agent for every replica (no index, nothing hidden):
 * best fit (PACK) or worst fit (SPREAD) by free cpu, ties by agent position, the least-used zone first, one replica
 * per agent per group, groups largest first. The placer's index and the agents it hides while placing a group only
 * make it faster; they must never change a choice.
 */
class ReplicaPlacerReferenceTest {

    private static final double EPS = 1e-9;

    @Test
    void choosesWhatAFullScanChoosesOnRandomInstances() {
        Random random = new Random(20261202);
        int placedSome = 0;
        int unplacedSome = 0;
        for (int instance = 0; instance < 400; instance++) {
            List<Agent> agents = agents(random, 20 + random.nextInt(180));
            List<Demand> demands = new ArrayList<>();
            int groups = 1 + random.nextInt(6);
            for (int g = 0; g < groups; g++) {
                Set<String> labels = random.nextInt(4) == 0 ? Set.of("gpu") : Set.of();
                demands.add(new Demand(
                        "g" + g,
                        1 + random.nextInt(agents.size()),
                        0.25 * (1 + random.nextInt(8)),
                        0.5 * (1 + random.nextInt(8)),
                        labels,
                        List.of()));
            }
            for (Preference preference : Preference.values()) {
                ReplicaPlacer.Outcome actual = new ReplicaPlacer(preference).place(demands, agents);
                Map<String, List<String>> expected = reference(demands, agents, preference == Preference.PACK);
                if (expected == null) {
                    assertThat(actual)
                            .as("instance %d %s", instance, preference)
                            .isInstanceOf(ReplicaPlacer.Outcome.Unplaced.class);
                    unplacedSome++;
                } else {
                    assertThat(actual)
                            .as("instance %d %s", instance, preference)
                            .isEqualTo(new ReplicaPlacer.Outcome.Placed(expected));
                    placedSome++;
                }
            }
        }
        // both outcomes are exercised, so neither branch is vacuous
        assertThat(placedSome).isGreaterThan(100);
        assertThat(unplacedSome).isGreaterThan(100);
    }

    @Test
    void oneGroupWithAReplicaOnEveryAgentChoosesWhatAFullScanChooses() {
        List<Agent> agents = agents(new Random(7), 3000);
        List<Demand> demands = List.of(new Demand("all", 3000, 0.01, 0.01, Set.of(), List.of()));
        for (Preference preference : Preference.values()) {
            Map<String, List<String>> expected = reference(demands, agents, preference == Preference.PACK);
            assertThat(expected).isNotNull();
            assertThat(new HashSet<>(expected.get("all"))).hasSize(3000);
            assertThat(new ReplicaPlacer(preference).place(demands, agents))
                    .isEqualTo(new ReplicaPlacer.Outcome.Placed(expected));
        }
    }

    private static List<Agent> agents(Random random, int n) {
        List<Agent> agents = new ArrayList<>(n);
        int zones = 1 + random.nextInt(3);
        for (int i = 0; i < n; i++) {
            double cpu = 2 + 2 * random.nextInt(4);
            double mem = 4 + 4 * random.nextInt(4);
            agents.add(new Agent(
                    "a" + i,
                    "zone-" + random.nextInt(zones),
                    random.nextInt(5) == 0 ? Set.of("gpu") : Set.of(),
                    cpu,
                    mem,
                    // coarse steps, so that many agents tie on free cpu and the tie-break matters
                    0.5 * random.nextInt((int) cpu * 2),
                    random.nextInt((int) mem)));
        }
        return agents;
    }

    /** Agents of each group in the order chosen, or null when some replica has no agent. */
    private static Map<String, List<String>> reference(List<Demand> demands, List<Agent> agents, boolean pack) {
        int n = agents.size();
        double[] cpu = new double[n];
        double[] mem = new double[n];
        for (int i = 0; i < n; i++) {
            cpu[i] = agents.get(i).freeCpu();
            mem[i] = agents.get(i).freeMem();
        }
        List<String> zones =
                agents.stream().map(Agent::zone).distinct().sorted().toList();
        List<Demand> order = new ArrayList<>(demands);
        order.sort(Comparator.comparingDouble((Demand d) -> -d.memPerReplica())
                .thenComparingDouble(d -> -d.cpuPerReplica())
                .thenComparing(Demand::groupId));
        Map<String, List<String>> chosen = new LinkedHashMap<>();
        demands.forEach(d -> chosen.put(d.groupId(), new ArrayList<>()));
        for (Demand d : order) {
            Set<Integer> used = new HashSet<>();
            int[] perZone = new int[zones.size()];
            while (used.size() < d.replicas()) {
                List<Integer> zoneOrder = new ArrayList<>();
                for (int z = 0; z < zones.size(); z++) {
                    zoneOrder.add(z);
                }
                zoneOrder.sort(
                        Comparator.comparingInt((Integer z) -> perZone[z]).thenComparingInt(z -> z));
                int best = -1;
                for (int z : zoneOrder) {
                    for (int i = 0; i < n; i++) {
                        boolean fits = cpu[i] >= d.cpuPerReplica() - EPS
                                && mem[i] >= d.memPerReplica() - EPS
                                && !used.contains(i)
                                && agents.get(i).zone().equals(zones.get(z))
                                && agents.get(i).labels().containsAll(d.labels());
                        if (fits
                                && (best < 0
                                        || (pack
                                                ? cpu[i] < cpu[best] || (cpu[i] == cpu[best] && i < best)
                                                : cpu[i] > cpu[best] || (cpu[i] == cpu[best] && i > best)))) {
                            best = i;
                        }
                    }
                    if (best >= 0) {
                        break;
                    }
                }
                if (best < 0) {
                    return null;
                }
                cpu[best] -= d.cpuPerReplica();
                mem[best] -= d.memPerReplica();
                used.add(best);
                perZone[zones.indexOf(agents.get(best).zone())]++;
                chosen.get(d.groupId()).add(agents.get(best).id());
            }
        }
        return chosen;
    }
}
