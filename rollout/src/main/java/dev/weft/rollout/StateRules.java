package dev.weft.rollout;

/** The invariants of a {@link RolloutState}: a state that breaks one cannot be built, so none is ever undefined. */
final class StateRules {

    private StateRules() {}

    static void check(RolloutState s) {
        require(!s.from().equals(s.to()), "a rollout needs two different versions, was " + s.to() + " twice");
        require(!s.steps().isEmpty(), "a rollout has at least one step");
        for (int i = 0; i < s.steps().size(); i++) {
            require(s.steps().get(i).index() == i, "step records must be in order, record " + i + " is not");
        }
        require(s.step() >= 0 && s.step() < s.steps().size(), "step " + s.step() + " is out of range");
        require((s.phase() == Phase.PAUSED) == (s.pausedFrom() != null), "pausedFrom is set exactly when paused");
        Phase active = s.activePhase();
        require(
                active == Phase.PENDING
                        || active == Phase.PLACING
                        || active == Phase.RAMPING
                        || s.phase() != Phase.PAUSED,
                "only pending, placing or ramping can be paused, was " + s.pausedFrom());
        require(!s.stageElapsed().isNegative(), "stageElapsed is negative");
        require(!s.rollbackWindow().isNegative(), "rollbackWindow is negative");
        require(!s.lastAdvanceAt().isBefore(s.createdAt()), "lastAdvanceAt is before createdAt");
        require(s.isFinished() == (s.finishedAt() != null), "finishedAt is set exactly when finished");
        boolean back = s.phase() == Phase.ABORTING || s.phase() == Phase.ROLLED_BACK;
        require(back == (s.abortCause() != null), "abortCause is set exactly when aborting or rolled back");
        require(s.phase() != Phase.ABORTING || s.drainStartedAt() != null, "an aborting rollout is draining");
        int weight = s.toWeightBasisPoints();
        int stepWeight = s.steps().get(s.step()).weightBasisPoints();
        switch (active) {
            case PENDING, PLACING -> require(weight == 0, "no traffic reaches a version before it is placed");
            case RAMPING -> require(weight == stepWeight, "a ramping rollout holds its step's weight");
            case PROMOTED, DONE -> {
                require(weight == 10_000, "a promoted rollout sends everything to the new version");
                require(s.promotedAt() != null, "a promoted rollout knows when it was promoted");
                require(s.step() == s.steps().size() - 1, "a promoted rollout is at its last step");
            }
            case ABORTING, ROLLED_BACK -> require(weight == 0, "a rollout going back sends nothing to the new version");
            case PAUSED -> throw new IllegalStateException("the active phase is never PAUSED");
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
