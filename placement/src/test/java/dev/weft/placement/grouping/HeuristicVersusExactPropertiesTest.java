package dev.weft.placement.grouping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.placement.model.Problem;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** The heuristic is held to the exact optimum on instances small enough to enumerate. */
class HeuristicVersusExactPropertiesTest {

  @Property(tries = 300)
  void heuristicIsWithinATenthOfAPercentOfTheExactOptimum(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
                                                          @ForAll @IntRange(min = 2, max = 12) int size) {
    Problem p = TestProblems.random(seed, size, seed % 2 == 0);
    Graph g = Graph.of(p, true);
    GroupRules rules = new GroupRules(p.costModel(), new AgentLimits(p.agents()));
    ExactGrouper.Result exact = ExactGrouper.solve(g, rules, null, Long.MAX_VALUE);
    int[] heuristic = new HeuristicGrouper(rules, new SplittableRandom(seed), HeuristicGrouper.defaultRestarts(g.size()))
        .solve(g);

    assertThat(exact.proven()).isTrue();
    if (exact.groupOf() == null) {
      // Proven impossible (e.g. crossing replica bounds in a must-share set): the heuristic must not claim a plan.
      assertThat(Groupings.feasible(g, rules, heuristic)).isFalse();
      return;
    }
    assertThat(Groupings.feasible(g, rules, heuristic)).isTrue();
    double h = Groupings.cost(g, rules, heuristic);
    assertThat(h).isLessThanOrEqualTo(exact.cost() * 1.001);
    assertThat(exact.cost()).as("exact is a lower bound").isLessThanOrEqualTo(h + 1e-9);
  }
}
