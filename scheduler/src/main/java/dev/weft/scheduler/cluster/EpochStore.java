package dev.weft.scheduler.cluster;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Reads and advances the fencing token in {@code cluster_leadership}, the table's one row. */
final class EpochStore {

    /** The row as a fence check sees it. */
    record Row(
            long epoch,
            @Nullable String leaderNode,
            @Nullable Instant electedAt) {}

    private final JdbcClient jdbc;

    EpochStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The current row, share-locked until the caller's transaction ends: a node becoming leader must update the row
     * and so waits until every transaction that passed the fence has committed or rolled back. Without the lock a
     * deposed leader could check, be overtaken, and commit after the new leader read the state.
     */
    Row lockShared() {
        return jdbc.sql("select epoch, leader_node, elected_at from cluster_leadership where id = 1 for share")
                .query((rs, n) -> new Row(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getTimestamp(3) == null ? null : rs.getTimestamp(3).toInstant()))
                .single();
    }

    Optional<Row> current() {
        return jdbc.sql("select epoch, leader_node, elected_at from cluster_leadership where id = 1")
                .query((rs, n) -> new Row(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getTimestamp(3) == null ? null : rs.getTimestamp(3).toInstant()))
                .optional();
    }

    /** The session's backend process id, so a watchdog can end the sessions it waits for. */
    int backendPid() {
        return jdbc.sql("select pg_backend_pid()").query(Integer.class).single();
    }

    /** An election: the epoch taken, and the node that led before (null for the first election). */
    record Advanced(long epoch, @Nullable String previousNode) {}

    /** Takes the next epoch for {@code nodeId}; waits for the row lock of transactions that passed the fence. */
    Advanced advance(String nodeId, Instant now) {
        return jdbc.sql("""
                with previous as (select leader_node from cluster_leadership where id = 1 for update)
                update cluster_leadership c set epoch = c.epoch + 1, leader_node = ?, elected_at = ?
                from previous where c.id = 1 returning c.epoch, previous.leader_node""")
                .params(nodeId, Timestamp.from(now))
                .query((rs, n) -> new Advanced(rs.getLong(1), rs.getString(2)))
                .single();
    }

    /** Ends the sessions that block backend {@code pid}; returns how many. */
    int terminateBlockersOf(int pid) {
        return jdbc.sql("select count(*) filter (where pg_terminate_backend(b)) from unnest(pg_blocking_pids(?)) as b")
                .param(pid)
                .query(Integer.class)
                .single();
    }
}
