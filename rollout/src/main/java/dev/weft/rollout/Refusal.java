package dev.weft.rollout;

import static java.util.Objects.requireNonNull;

/** A refused request, with its code and a sentence that says why and what would work instead. */
public record Refusal(RefusalCode code, String detail) implements Decision {

    public Refusal {
        requireNonNull(code, "code is null");
        requireNonNull(detail, "detail is null");
    }
}
