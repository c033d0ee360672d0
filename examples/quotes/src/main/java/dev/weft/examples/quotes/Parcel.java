package dev.weft.examples.quotes;

import static java.util.Objects.requireNonNull;

/** A parcel to ship: origin and destination country codes, weight and volume. */
public record Parcel(String from, String to, double weightKg, double volumeLitres) {
    public Parcel {
        requireNonNull(from, "from is null");
        requireNonNull(to, "to is null");
        if (!(weightKg > 0 && weightKg <= 70)) {
            throw new IllegalArgumentException("weightKg must be in (0, 70], was " + weightKg);
        }
        if (!(volumeLitres >= 0 && volumeLitres <= 500)) {
            throw new IllegalArgumentException("volumeLitres must be in [0, 500], was " + volumeLitres);
        }
    }
}
