package dev.weft.placement.model;

/** Argument checks shared by the input records, so every message names the field. */
final class Checks {
    private Checks() {}

    static void nonNegative(double value, String field) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + " must be a finite number >= 0, was " + value);
        }
    }

    static void positive(double value, String field) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + " must be a finite number > 0, was " + value);
        }
    }
}
