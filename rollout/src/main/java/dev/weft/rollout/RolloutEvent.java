package dev.weft.rollout;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Something that happened to a rollout, why, and who asked (null when the driver decided on its own). */
public record RolloutEvent(
        EventKind kind,
        Instant at,
        String message,
        @Nullable String actor) {

    public RolloutEvent {
        requireNonNull(kind, "kind is null");
        requireNonNull(at, "at is null");
        requireNonNull(message, "message is null");
    }
}
