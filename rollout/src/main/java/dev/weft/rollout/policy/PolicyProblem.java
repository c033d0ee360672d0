package dev.weft.rollout.policy;

import static java.util.Objects.requireNonNull;

/**
 * One thing wrong with a policy: its code, the JSON path of the field (e.g. {@code steps[1].weight}, relative
 * to the policy object) and a sentence that names the value and what was wrong. The scheduler turns each into
 * an entry of an RFC 9457 problem's {@code errors}, prefixing the path with where the policy sits in its request.
 */
public record PolicyProblem(PolicyError code, String field, String detail) {

    public PolicyProblem {
        requireNonNull(code, "code is null");
        requireNonNull(field, "field is null");
        requireNonNull(detail, "detail is null");
    }
}
