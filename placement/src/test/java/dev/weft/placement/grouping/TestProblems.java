package dev.weft.placement.grouping;

import dev.weft.placement.model.Problem;

/** Gives the grouping tests the shared random problems of the top-level test package. */
final class TestProblems {
    private TestProblems() {}

    static Problem random(long seed, int size, boolean constraints) {
        return dev.weft.placement.Problems.random(seed, size, constraints);
    }
}
