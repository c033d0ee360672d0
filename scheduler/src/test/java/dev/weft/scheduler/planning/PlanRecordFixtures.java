package dev.weft.scheduler.planning;

import java.time.Instant;
import java.util.List;

/** Plans to start tests from. */
final class PlanRecordFixtures {

    private PlanRecordFixtures() {}

    static PlanRecord plan(long versionId, long generation, List<PlanRecord.Group> groups) {
        return new PlanRecord(
                versionId,
                generation,
                PlanRecord.Status.FEASIBLE,
                true,
                true,
                PlanRecord.Decision.APPLIED_FIRST,
                "",
                List.of(),
                null,
                groups,
                null,
                null,
                List.of(),
                null,
                false,
                List.of(),
                null,
                PlanDiffView.NONE,
                Instant.EPOCH,
                Instant.EPOCH);
    }
}
