package dev.weft.scheduler.cluster;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One leadership term of this node: the epoch (fencing token) it was elected with. Every change the leader makes
 * goes through {@link #check()} inside the transaction that makes it ({@link #fenced} does both), so a change made
 * after another node took a newer epoch is refused and rolled back, even if this node has not noticed yet that it
 * lost the lock. A term never comes back: a node that loses leadership and wins it again gets a new term.
 */
public final class Term {

    private final String nodeId;
    private final long epoch;
    private final Instant startedAt;
    private final Fence fence;
    private volatile @Nullable String endedBecause;

    Term(String nodeId, long epoch, Instant startedAt, Fence fence) {
        this.nodeId = requireNonNull(nodeId, "nodeId is null");
        this.epoch = epoch;
        this.startedAt = requireNonNull(startedAt, "startedAt is null");
        this.fence = requireNonNull(fence, "fence is null");
    }

    public String nodeId() {
        return nodeId;
    }

    /** The fencing token: increases with every election in the database, never repeats. */
    public long epoch() {
        return epoch;
    }

    /** When this node was elected (the control plane's clock). */
    public Instant startedAt() {
        return startedAt;
    }

    /**
     * Whether this node still believes it holds this term. It may believe so for up to
     * {@code weft.cluster.check-interval} after it lost the lock; {@link #check()} is the authority.
     */
    public boolean isCurrent() {
        return endedBecause == null;
    }

    /**
     * Verifies, inside the caller's transaction, that this term's epoch is still the database's, and share-locks the
     * epoch row until that transaction ends (so no other node can become leader before it commits or rolls back).
     *
     * @throws FencedException if this term ended or another node took a newer epoch; let it propagate so the
     *     transaction rolls back
     * @throws org.springframework.transaction.IllegalTransactionStateException if no transaction is active
     */
    public void check() {
        fence.check(this);
    }

    /**
     * Runs {@code work} fenced: in the caller's transaction if there is one, else in a new one, after {@link #check()}.
     * If the check fails nothing of {@code work} runs; if the transaction cannot commit nothing of it is applied.
     */
    public <T> T fenced(Supplier<T> work) {
        return fence.run(this, work);
    }

    /** {@link #fenced} for work without a result. */
    public void runFenced(Runnable work) {
        fence.run(this, () -> {
            work.run();
            return Boolean.TRUE;
        });
    }

    /** Why the term ended, or null while it is current. */
    @Nullable
    String endedBecause() {
        return endedBecause;
    }

    void end(String because) {
        if (endedBecause == null) {
            endedBecause = because;
        }
    }

    @Override
    public String toString() {
        return "Term[node=" + nodeId + ", epoch=" + epoch + (endedBecause == null ? "" : ", ended: " + endedBecause)
                + "]";
    }
}
