package dev.weft.scheduler.registry;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** A version's deployment as its REST resource shows it; implemented by the deployments feature. */
public interface DeploymentStatus {

    /** Empty when the version was never deployed. */
    Optional<Summary> of(long versionId);

    /**
     * A version's deployment in short.
     *
     * @param state PLACING, SHORT_OF_CAPACITY, PLACED, FAILED, RELEASING or RELEASED
     * @param reason why it is in that state
     * @param since when it entered it
     * @param placedAt when it was first fully placed
     * @param weightBasisPoints its share of the application's traffic
     * @param planGeneration its active plan's generation (null: none applied)
     * @param replicasWanted replicas its active plan wants
     * @param replicasRunning of those, reported RUNNING by their connected agents
     */
    record Summary(
            String state,
            String reason,
            Instant since,
            @Nullable Instant placedAt,
            int weightBasisPoints,
            @Nullable Long planGeneration,
            int replicasWanted,
            int replicasRunning) {}
}
