package dev.weft.rollout.gate;

/** Argument checks shared by the load records. */
final class Checks {

    private Checks() {}

    static void figure(double value, String what) {
        if (!Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException(what + " must be a finite number >= 0, was " + value);
        }
    }

    static void count(long value, String what) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " must be >= 0, was " + value);
        }
    }
}
