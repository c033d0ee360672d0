package dev.weft.examples.quotes;

import java.util.List;

/** The price of shipping one parcel, in euro cents, with the lines it is made of. */
public record Quote(Parcel parcel, String zone, double chargeableKg, long totalCents, List<String> lines) {
    public Quote {
        lines = List.copyOf(lines);
    }
}
