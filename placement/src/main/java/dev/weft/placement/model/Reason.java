package dev.weft.placement.model;

import static java.util.Objects.requireNonNull;

/**
 * One explained cause of infeasibility.
 *
 * @param code    the kind of cause
 * @param subject the group, component set or constraint it concerns
 * @param message what cannot be met and why, with the numbers
 */
public record Reason(ReasonCode code, String subject, String message) {
    public Reason {
        requireNonNull(code, "code is null");
        requireNonNull(subject, "subject is null");
        requireNonNull(message, "message is null");
    }
}
