package dev.weft.placement.model;

import static java.util.Objects.requireNonNull;

/** Two components that must never share a process (e.g. for fault isolation). */
public record Separation(String a, String b) {
    public Separation {
        requireNonNull(a, "a is null");
        requireNonNull(b, "b is null");
    }
}
