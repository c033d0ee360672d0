/**
 * Several control-plane replicas against one PostgreSQL: leader election, fencing and a change bus. Other features
 * use three things from here.
 *
 * <ul>
 *   <li>{@link dev.weft.scheduler.cluster.Leadership}: which node leads. A node leads while a plain JDBC connection of
 *       its own (outside the pool) holds a PostgreSQL session-level advisory lock; followers try for it every
 *       {@code weft.cluster.retry-interval}, and since PostgreSQL frees the lock when the holder's session ends, a
 *       killed or stopped leader is replaced within about that interval. Becoming leader, a node takes the next
 *       <em>epoch</em> (the fencing token, in table {@code cluster_leadership}) and records {@code LEADER_ELECTED} in
 *       the audit log; {@link dev.weft.scheduler.cluster.LeadershipEvent}s tell the node's listeners.
 *   <li>{@link dev.weft.scheduler.cluster.Term}: one node's leadership term. Every change the leader makes runs
 *       {@link dev.weft.scheduler.cluster.Term#check()} inside its own transaction (or goes through
 *       {@link dev.weft.scheduler.cluster.Term#fenced}): it share-locks the epoch row and refuses with
 *       {@link dev.weft.scheduler.cluster.FencedException} unless the epoch is still the term's. So a leader that lost
 *       the lock while paused cannot apply anything: its transaction rolls back. A node becoming leader waits for
 *       fenced transactions of its predecessor to finish, for at most {@code weft.cluster.fence-wait}, then ends
 *       their sessions.
 *   <li>{@link dev.weft.scheduler.cluster.ClusterBus}: typed change notifications ({@link
 *       dev.weft.scheduler.cluster.Topic}, JSON) published inside a transaction with {@code pg_notify}, delivered
 *       after commit to the subscribers of every node, the publisher's too, over a dedicated {@code LISTEN}
 *       connection; after that connection broke and came back, subscribers are told to resynchronise.
 * </ul>
 */
@NullMarked
package dev.weft.scheduler.cluster;

import org.jspecify.annotations.NullMarked;
