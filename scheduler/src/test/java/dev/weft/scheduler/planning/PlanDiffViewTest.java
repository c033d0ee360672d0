package dev.weft.scheduler.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.planning.PlanRecord.Assignment;
import dev.weft.scheduler.planning.PlanRecord.Group;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The diff between two plans, replica by replica. */
class PlanDiffViewTest {

    static Group group(int index, List<String> components, String... agentsAndIds) {
        List<Assignment> assignments = new java.util.ArrayList<>();
        for (int i = 0; i < agentsAndIds.length; i += 2) {
            assignments.add(new Assignment(agentsAndIds[i + 1], agentsAndIds[i], i / 2, 100, 100));
        }
        return new Group(index, components.getFirst(), components, assignments.size(), 1, 1, 1, List.of(), assignments);
    }

    @Test
    void replicasThatStayMoveOrAreAddedAreCountedAndRegroupedComponentsNamed() {
        List<Group> before = List.of(
                group(0, List.of("ads"), "a", "r1"),
                group(1, List.of("email"), "b", "r2"),
                group(2, List.of("cart", "cart-store"), "a", "r3", "b", "r4"));
        List<Group> after = List.of(
                group(0, List.of("ads", "email"), "a", "n1", "c", "n2"),
                group(1, List.of("cart", "cart-store"), "a", "r3", "c", "n3"));
        PlanDiffView d = PlanDiffView.between(before, after);
        assertThat(d.unchanged()).isEqualTo(2); // ads-with-email stays on a; cart on a
        assertThat(d.moved()).isEqualTo(1); // cart from b to c
        assertThat(d.moves()).containsExactly(new PlanDiffView.Move("cart", "b", "c"));
        assertThat(d.added()).isEqualTo(1); // the second ads+email replica
        assertThat(d.removed()).isEqualTo(1); // email alone on b
        assertThat(d.restarted()).isEqualTo(3); // n1, n2, n3: new processes
        assertThat(d.regrouped()).containsExactly("ads", "email");
    }

    @Test
    void fromNothingEverythingIsAdded() {
        PlanDiffView d = PlanDiffView.between(List.of(), List.of(group(0, List.of("ads"), "a", "r1", "b", "r2")));
        assertThat(d.added()).isEqualTo(2);
        assertThat(d.regrouped()).isEmpty();
    }
}
