package dev.weft.placement;

/** Where a plan's grouping came from; {@link #label()} is what {@link Plan#solver()} says. */
enum Solver {
    /** The exact search completed: no allowed grouping is cheaper. */
    EXACT("exact"),
    /** The exact search ran out of budget: the best of the heuristic's grouping and what it reached. */
    EXACT_PARTIAL("heuristic+exact-partial"),
    /** The heuristic alone (more nodes than the exact limit). */
    HEURISTIC("heuristic"),
    /** The running grouping, kept because nothing found beat it by more than the regroup margin. */
    PREVIOUS("previous"),
    /** Fallback: one process per component. */
    ONE_PER_PROCESS("one-per-process"),
    /** Fallback: everything in one process. */
    SINGLE_PROCESS("single-process");

    private final String label;

    Solver(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /** True for groupings a solver searched for (not a baseline or the running one), which a retry may change. */
    boolean searched() {
        return switch (this) {
            case EXACT, EXACT_PARTIAL, HEURISTIC -> true;
            case PREVIOUS, ONE_PER_PROCESS, SINGLE_PROCESS -> false;
        };
    }
}
