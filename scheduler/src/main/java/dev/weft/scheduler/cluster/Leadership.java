package dev.weft.scheduler.cluster;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Which control-plane node leads, and the fence every change of the leader goes through. Exactly one node holds the
 * current epoch at any time; a node learns it lost the lock within {@code weft.cluster.check-interval}, and until then
 * {@link Term#check()} (which every fenced change runs in its own transaction) is what stops it. Listen for
 * {@link LeadershipEvent}s to start and stop leader-only work.
 */
public class Leadership {

    private final String nodeId;
    private final EpochStore store;
    private volatile @Nullable Term term;

    Leadership(String nodeId, EpochStore store) {
        this.nodeId = nodeId;
        this.store = store;
    }

    /** This node's {@code weft.cluster.node-id}. */
    public String nodeId() {
        return nodeId;
    }

    /** Whether this node believes it leads (see {@link Term#isCurrent()} for how long that belief may lag). */
    public boolean isLeader() {
        Term current = term;
        return current != null && current.isCurrent();
    }

    /** This node's current term, while it leads. */
    public Optional<Term> term() {
        Term current = term;
        return current != null && current.isCurrent() ? Optional.of(current) : Optional.empty();
    }

    /**
     * This node's current term.
     *
     * @throws FencedException (503 {@code NOT_LEADER} over REST) if this node does not lead
     */
    public Term requireTerm() {
        return term().orElseThrow(() -> {
            Optional<Leader> leader = currentLeaderQuietly();
            return new FencedException(
                    nodeId,
                    0,
                    leader.map(Leader::epoch).orElse(0L),
                    leader.map(Leader::nodeId).orElse(null),
                    "node '" + nodeId + "' is not the leader"
                            + leader.map(l -> "; node '" + l.nodeId() + "' leads")
                                    .orElse(""));
        });
    }

    /** {@link Term#fenced} of the current term; refused with {@link FencedException} if this node does not lead. */
    public <T> T fenced(Supplier<T> work) {
        return requireTerm().fenced(work);
    }

    /** {@link Term#runFenced} of the current term; refused with {@link FencedException} if this node does not lead. */
    public void runFenced(Runnable work) {
        requireTerm().runFenced(work);
    }

    /** The latest election as the database records it (empty before the first one). */
    public Optional<Leader> currentLeader() {
        return store.current()
                .flatMap(row -> row.leaderNode() == null || row.electedAt() == null
                        ? Optional.empty()
                        : Optional.of(new Leader(row.leaderNode(), row.epoch(), row.electedAt())));
    }

    private Optional<Leader> currentLeaderQuietly() {
        try {
            return currentLeader();
        } catch (RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    long epochOrZero() {
        Term current = term;
        return current != null && current.isCurrent() ? current.epoch() : 0;
    }

    void begin(Term started) {
        this.term = started;
    }

    void end(Term ended, String because) {
        ended.end(because);
        if (term == ended) {
            term = null;
        }
    }

    /** A node elected with an epoch at an instant. */
    public record Leader(String nodeId, long epoch, Instant electedAt) {}
}
