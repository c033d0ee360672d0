package dev.weft.placement;

/**
 * Decides whether a new plan is worth the churn of applying it: it must be cheaper than the current one by
 * more than a relative margin, so noise in measured load does not flap the placement.
 */
public final class Hysteresis {
    private final double margin;

    /** @param margin relative improvement required, e.g. 0.05 for 5 % */
    public Hysteresis(double margin) {
        if (!(margin >= 0 && margin < 1)) {
            throw new IllegalArgumentException("margin must be in [0, 1), was " + margin);
        }
        this.margin = margin;
    }

    /** True when {@code candidateCost} is below {@code currentCost × (1 − margin)}. */
    public boolean beats(double candidateCost, double currentCost) {
        return candidateCost < currentCost * (1 - margin);
    }

    public boolean beats(Plan candidate, Plan current) {
        return beats(candidate.score().costPerHour(), current.score().costPerHour());
    }

    /**
     * Whether to switch to {@code candidate} when the running grouping costs {@code currentCost} under today's
     * load (see {@link Planner#costOfPrevious}); with no running plan, always.
     */
    public boolean beats(Plan candidate, java.util.OptionalDouble currentCost) {
        return currentCost.isEmpty() || beats(candidate.score().costPerHour(), currentCost.getAsDouble());
    }
}
