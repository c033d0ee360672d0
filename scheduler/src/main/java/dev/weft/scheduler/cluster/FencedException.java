package dev.weft.scheduler.cluster;

import dev.weft.scheduler.system.WeftException;
import org.jspecify.annotations.Nullable;

/**
 * A change refused because the node making it is not the leader, or no longer holds the epoch it checked: another
 * node became leader since (this one was paused, or lost its lock connection). Thrown inside the caller's
 * transaction, so everything it did rolls back. Over REST it is a 503 problem with code {@code NOT_LEADER}.
 */
public final class FencedException extends WeftException {

    private final String nodeId;
    private final long epoch;
    private final long currentEpoch;
    private final @Nullable String currentLeader;

    FencedException(String nodeId, long epoch, long currentEpoch, @Nullable String currentLeader, String detail) {
        super(ClusterError.NOT_LEADER, detail);
        this.nodeId = nodeId;
        this.epoch = epoch;
        this.currentEpoch = currentEpoch;
        this.currentLeader = currentLeader;
    }

    /** The node whose change was refused. */
    public String nodeId() {
        return nodeId;
    }

    /** The epoch the refused change was made under; 0 when the node held none. */
    public long epoch() {
        return epoch;
    }

    /** The epoch the database holds, as far as the refusal knew it; 0 when it did not read it. */
    public long currentEpoch() {
        return currentEpoch;
    }

    /** The node the database names leader, when the refusal read it. */
    public @Nullable String currentLeader() {
        return currentLeader;
    }
}
