package dev.weft.rollout.policy;

import dev.weft.rollout.policy.PolicyDraft.GateDraft;
import dev.weft.rollout.policy.PolicyDraft.StepDraft;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Short ways to write policy drafts in tests, as the JSON would read. */
final class Drafts {

    private Drafts() {}

    static StepDraft step(@Nullable String weight, @Nullable String hold, @Nullable GateDraft... gates) {
        return new StepDraft(
                weight == null ? null : new BigDecimal(weight), hold, gates.length == 0 ? null : Arrays.asList(gates));
    }

    static GateDraft max(String metric, double max) {
        return new GateDraft(metric, null, null, max);
    }

    static PolicyDraft policy(List<@Nullable StepDraft> steps) {
        return new PolicyDraft(steps, null, null, null, null);
    }

    static PolicyDraft policy(List<@Nullable StepDraft> steps, List<@Nullable GateDraft> gates) {
        return new PolicyDraft(steps, gates, null, null, null);
    }
}
