package dev.weft.placement.assign;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.placement.model.Agent;
import dev.weft.placement.model.Preference;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Stability of the placer itself: which previous agents a group keeps when it shrinks. */
class ReplicaPlacerTest {

    private static List<String> agentsOf(ReplicaPlacer.Outcome outcome, String group) {
        return switch (outcome) {
            case ReplicaPlacer.Outcome.Placed placed -> placed.agentsByGroup().get(group);
            case ReplicaPlacer.Outcome.Unplaced unplaced -> throw new AssertionError(unplaced.reasons());
        };
    }

    @Test
    void aShrinkingGroupKeepsAPreviousAgentThatStillFitsRatherThanOneThatNoLongerDoes() {
        // The group ran on x and y and now needs one replica. x has filled up since (other work took its cpu), y
        // still has room, and z (in the first zone, and fuller) is where a new replica would go. Keeping y moves
        // nothing; giving y up first (it is the later of two equally crowded zones) and then finding x full moves one.
        List<Agent> agents = List.of(
                new Agent("x", "z1", Set.of(), 4, 16, 3.5, 0),
                new Agent("y", "z2", Set.of(), 4, 16, 0, 0),
                new Agent("z", "z1", Set.of(), 4, 16, 2.5, 0));
        Demand d = new Demand("g", 1, 1.0, 1.0, Set.of(), List.of("x", "y"));
        assertThat(agentsOf(new ReplicaPlacer(Preference.PACK).place(List.of(d), agents), "g"))
                .containsExactly("y");
    }

    @Test
    void aShrinkingGroupGivesUpReplicasInItsMostCrowdedZoneWhenAllStillFit() {
        List<Agent> agents = List.of(
                new Agent("x1", "east", Set.of(), 4, 16, 0, 0),
                new Agent("x2", "east", Set.of(), 4, 16, 0, 0),
                new Agent("y", "west", Set.of(), 4, 16, 0, 0));
        Demand d = new Demand("g", 2, 1.0, 1.0, Set.of(), List.of("x1", "x2", "y"));
        assertThat(agentsOf(new ReplicaPlacer(Preference.PACK).place(List.of(d), agents), "g"))
                .containsExactlyInAnyOrder("x1", "y");
    }
}
