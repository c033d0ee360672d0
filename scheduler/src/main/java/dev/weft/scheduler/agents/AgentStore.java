package dev.weft.scheduler.agents;

import dev.weft.scheduler.agents.AgentRow.ReplicaRecord;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes {@code agents} with plain SQL. Heartbeats are written in JDBC batches by the lease
 * sweeper, never one round trip per heartbeat.
 */
@Repository
class AgentStore {

    private static final Logger log = LoggerFactory.getLogger(AgentStore.class);

    private static final TypeReference<Map<String, String>> LABELS = new TypeReference<>() {};
    private static final TypeReference<List<ReplicaRecord>> REPLICAS = new TypeReference<>() {};
    private static final String COLUMNS = """
            id, state, cordoned, draining, address, zone, labels::text as labels, runtimes, cpu_millis, memory_mib,
            used_cpu_millis, used_memory_mib, reported_replicas::text as reported_replicas, applied_generation,
            agent_version, session_token_hash, registered_at, last_heartbeat_at, lease_expires_at, state_changed_at""";

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final JsonMapper json;

    AgentStore(JdbcClient jdbc, JdbcTemplate template, JsonMapper json) {
        this.jdbc = jdbc;
        this.template = template;
        this.json = json;
    }

    Optional<AgentRow> find(String id) {
        return jdbc.sql("select " + COLUMNS + " from agents where id = ?")
                .param(id)
                .query(this::row)
                .optional();
    }

    /** The row, locked until the transaction ends, so concurrent hellos and operator actions serialise. */
    Optional<AgentRow> lock(String id) {
        return jdbc.sql("select " + COLUMNS + " from agents where id = ? for update")
                .param(id)
                .query(this::row)
                .optional();
    }

    List<AgentRow> page(@Nullable AgentState state, long offset, int limit) {
        return jdbc.sql("select " + COLUMNS
                        + " from agents where (cast(? as varchar) is null or state = ?) order by id offset ? limit ?")
                .param(name(state))
                .param(name(state))
                .param(offset)
                .param(limit)
                .query(this::row)
                .list();
    }

    long count(@Nullable AgentState state) {
        return jdbc.sql("select count(*) from agents where (cast(? as varchar) is null or state = ?)")
                .param(name(state))
                .param(name(state))
                .query(Long.class)
                .single();
    }

    private static @Nullable String name(@Nullable AgentState state) {
        return state == null ? null : state.name();
    }

    /** Inserts or updates the agent from a hello: a reconnect keeps its id, flags and registration time. */
    void upsertFromHello(AgentHello hello, String sessionTokenHash, Instant now, Instant leaseExpiresAt) {
        jdbc.sql("""
                insert into agents (id, state, cordoned, draining, address, zone, labels, runtimes, cpu_millis, memory_mib,
                                    session_token_hash, registered_at, last_heartbeat_at, lease_expires_at,
                                    used_cpu_millis, used_memory_mib, reported_replicas, applied_generation, agent_version,
                                    state_changed_at)
                values (:id, 'CONNECTED', false, false, :address, :zone, cast(:labels as jsonb), :runtimes, :cpu, :memory,
                        :hash, :now, :now, :lease, 0, 0, cast(:replicas as jsonb), :generation, :version, :now)
                on conflict (id) do update set
                    state = 'CONNECTED', address = excluded.address, zone = excluded.zone, labels = excluded.labels,
                    runtimes = excluded.runtimes, cpu_millis = excluded.cpu_millis, memory_mib = excluded.memory_mib,
                    session_token_hash = excluded.session_token_hash, last_heartbeat_at = excluded.last_heartbeat_at,
                    lease_expires_at = excluded.lease_expires_at, reported_replicas = excluded.reported_replicas,
                    applied_generation = excluded.applied_generation, agent_version = excluded.agent_version,
                    state_changed_at = excluded.state_changed_at""")
                .param("id", hello.agentId())
                .param("address", hello.address())
                .param("zone", hello.zone())
                .param("labels", json.writeValueAsString(hello.labels()))
                .param("runtimes", hello.runtimes().toArray(String[]::new))
                .param("cpu", hello.cpuMillis())
                .param("memory", hello.memoryMiB())
                .param("hash", sessionTokenHash)
                .param("now", Timestamp.from(now))
                .param("lease", Timestamp.from(leaseExpiresAt))
                .param("replicas", json.writeValueAsString(hello.replicas()))
                .param("generation", hello.appliedGeneration())
                .param("version", hello.agentVersion())
                .update();
    }

    void setState(String id, AgentState state, Instant now) {
        jdbc.sql("update agents set state = ?, state_changed_at = ? where id = ?")
                .params(state.name(), Timestamp.from(now), id)
                .update();
    }

    /** Marks a connected agent disconnected, keeping the lease its last message earned. */
    boolean disconnect(String id, String sessionTokenHash, Instant lastSeen, Instant leaseExpiresAt, Instant now) {
        return jdbc.sql("""
                update agents set state = 'DISCONNECTED', state_changed_at = ?, last_heartbeat_at = greatest(last_heartbeat_at, ?),
                                  lease_expires_at = greatest(lease_expires_at, ?)
                where id = ? and state = 'CONNECTED' and session_token_hash = ?""")
                        .params(
                                Timestamp.from(now),
                                Timestamp.from(lastSeen),
                                Timestamp.from(leaseExpiresAt),
                                id,
                                sessionTokenHash)
                        .update()
                > 0;
    }

    /** Marks these connected streams disconnected at once, each keeping the lease its last message earned. */
    int disconnectAll(List<AgentSession> open, Duration lease, Instant now) {
        String[] ids = new String[open.size()];
        String[] hashes = new String[open.size()];
        long[] leaseMillis = new long[open.size()];
        for (int i = 0; i < ids.length; i++) {
            AgentSession session = open.get(i);
            ids[i] = session.agentId();
            hashes[i] = session.credentialHash();
            leaseMillis[i] = session.lastSeen().plus(lease).toEpochMilli();
        }
        return jdbc.sql("""
                update agents a set state = 'DISCONNECTED', state_changed_at = ?,
                                    lease_expires_at = greatest(a.lease_expires_at, to_timestamp(s.lease_ms / 1000.0))
                from unnest(?::varchar[], ?::varchar[], ?::bigint[]) as s(id, hash, lease_ms)
                where a.id = s.id and a.state = 'CONNECTED' and a.session_token_hash = s.hash""")
                .params(Timestamp.from(now), ids, hashes, leaseMillis)
                .update();
    }

    void setFlags(String id, boolean cordoned, boolean draining) {
        jdbc.sql("update agents set cordoned = ?, draining = ? where id = ?")
                .params(cordoned, draining, id)
                .update();
    }

    void revoke(String id, Instant now) {
        // the session hash stays, so a revoked agent still authenticates and then learns it is revoked
        jdbc.sql("update agents set state = 'REVOKED', state_changed_at = ? where id = ?")
                .params(Timestamp.from(now), id)
                .update();
    }

    /**
     * What the latest messages of one connected agent said, as of its {@code changes}-th change, from the
     * stream whose welcome issued the credential with {@code credentialHash}.
     */
    record Liveness(
            String id,
            String credentialHash,
            Instant lastSeen,
            Instant leaseExpiresAt,
            int usedCpuMillis,
            int usedMemoryMiB,
            List<ReplicaRecord> replicas,
            long appliedGeneration,
            long changes) {}

    /**
     * What became of a liveness batch: rows written, rows that are no longer this stream's connected agent
     * (another node marked it lost, an operator revoked it, or a newer stream took over), and rows that failed.
     */
    record LivenessOutcome(List<Liveness> written, List<Liveness> stale, List<Liveness> failed) {}

    private static final String WRITE_LIVENESS = """
            update agents set last_heartbeat_at = ?, lease_expires_at = greatest(lease_expires_at, ?), used_cpu_millis = ?,
                              used_memory_mib = ?, reported_replicas = cast(? as jsonb), applied_generation = ?
            where id = ? and state = 'CONNECTED' and session_token_hash = ?""";

    /**
     * Writes the batch in JDBC batches of 500. If a batch fails as a whole, its rows are written one at a time,
     * so one row the database refuses cannot keep every other agent's lease from being renewed.
     */
    LivenessOutcome writeLiveness(List<Liveness> batch) {
        List<Liveness> written = new ArrayList<>();
        List<Liveness> stale = new ArrayList<>();
        List<Liveness> failed = new ArrayList<>();
        for (int from = 0; from < batch.size(); from += 500) {
            List<Liveness> chunk = batch.subList(from, Math.min(batch.size(), from + 500));
            try {
                int[] counts = template.batchUpdate(WRITE_LIVENESS, new BatchPreparedStatementSetter() {
                    @Override
                    public void setValues(PreparedStatement ps, int i) throws SQLException {
                        bind(ps, chunk.get(i));
                    }

                    @Override
                    public int getBatchSize() {
                        return chunk.size();
                    }
                });
                for (int i = 0; i < chunk.size(); i++) {
                    (counts[i] == 0 ? stale : written).add(chunk.get(i));
                }
            } catch (DataAccessException batchFailed) {
                for (Liveness live : chunk) {
                    try {
                        int count = template.update(WRITE_LIVENESS, ps -> bind(ps, live));
                        (count == 0 ? stale : written).add(live);
                    } catch (DataAccessException rowFailed) {
                        log.warn(
                                "Could not write the liveness of agent {}: {}",
                                live.id(),
                                rowFailed.getMostSpecificCause().toString());
                        failed.add(live);
                    }
                }
            }
        }
        return new LivenessOutcome(written, stale, failed);
    }

    private void bind(PreparedStatement ps, Liveness live) throws SQLException {
        ps.setTimestamp(1, Timestamp.from(live.lastSeen()));
        ps.setTimestamp(2, Timestamp.from(live.leaseExpiresAt()));
        ps.setInt(3, live.usedCpuMillis());
        ps.setInt(4, live.usedMemoryMiB());
        ps.setString(5, json.writeValueAsString(live.replicas()));
        ps.setLong(6, live.appliedGeneration());
        ps.setString(7, live.id());
        ps.setString(8, live.credentialHash());
    }

    /** An agent marked lost, and the hash of the session credential it held. */
    record Expired(String id, @Nullable String credentialHash) {}

    /**
     * Marks every live agent whose lease ran out before {@code now} as lost, except those in {@code liveHere}:
     * agents whose stream on this node was heard from within a lease, whatever the database says (its copy of
     * the lease may lag when writes were slow or failed). Returns the agents marked lost. Must run in a
     * transaction: the candidates stay locked until they are updated.
     */
    List<Expired> expireLeases(Instant now, Set<String> liveHere) {
        // the few expired candidates are filtered here rather than the thousands of live ids sent to the database
        List<String> candidates =
                jdbc.sql("""
                select id from agents where state in ('CONNECTED', 'DISCONNECTED') and lease_expires_at < ?
                order by lease_expires_at for update skip locked""").param(Timestamp.from(now)).query((rs, n) -> rs.getString(1)).list().stream()
                        .filter(id -> !liveHere.contains(id))
                        .toList();
        if (candidates.isEmpty()) {
            return List.of();
        }
        return jdbc.sql(
                        "update agents set state = 'LOST', state_changed_at = ? where id = any(?) returning id, session_token_hash")
                .params(Timestamp.from(now), candidates.toArray(String[]::new))
                .query((rs, n) -> new Expired(rs.getString(1), rs.getString(2)))
                .list();
    }

    /** Live agents (connected, or disconnected with the lease running), by id. */
    List<AgentRow> live() {
        return jdbc.sql("select " + COLUMNS + " from agents where state in ('CONNECTED', 'DISCONNECTED') order by id")
                .query(this::row)
                .list();
    }

    /** These agents, in any state. */
    List<AgentRow> findAll(java.util.Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select " + COLUMNS + " from agents where id = any(?) order by id")
                .param(ids.toArray(String[]::new))
                .query(this::row)
                .list();
    }

    /** An agent's id and the hash of the credential its current session holds (null when it has none). */
    record SessionRow(String id, @Nullable String sessionTokenHash) {}

    /** The replicas an agent's row holds. */
    record ReplicaRow(String id, List<ReplicaRecord> replicas) {}

    /**
     * The id and credential hash of these agents that are CONNECTED (all live ones, CONNECTED or DISCONNECTED, when
     * {@code ids} is null): a narrow read, without the replicas.
     */
    List<SessionRow> sessionsOf(java.util.@Nullable Collection<String> ids) {
        var query = ids == null
                ? jdbc.sql("select id, session_token_hash from agents where state in ('CONNECTED', 'DISCONNECTED')")
                : jdbc.sql("select id, session_token_hash from agents where id = any(?) and state = 'CONNECTED'")
                        .param(ids.toArray(String[]::new));
        return query.query((rs, n) -> new SessionRow(rs.getString(1), rs.getString(2)))
                .list();
    }

    /** The replicas the rows of these agents hold. */
    List<ReplicaRow> replicasOf(java.util.Collection<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select id, reported_replicas::text from agents where id = any(?)")
                .param(ids.toArray(String[]::new))
                .query((rs, n) -> new ReplicaRow(rs.getString(1), json.readValue(rs.getString(2), REPLICAS)))
                .list();
    }

    /** Replicas the active plans assign to the agent. */
    long assignedReplicas(String id) {
        return jdbc.sql(
                        "select count(*) from assignments a join plans p on p.id = a.plan_id where p.active and a.agent_id = ?")
                .param(id)
                .query(Long.class)
                .single();
    }

    /** What an operator decides about an agent: its state and drain flag, and the session its row belongs to. */
    record OperatorFlags(
            String id,
            AgentState state,
            boolean draining,
            @Nullable String sessionTokenHash) {}

    /** The operator flags of these agents, in one query (the ids of the streams open on a node, say). */
    List<OperatorFlags> operatorFlags(List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select id, state, draining, session_token_hash from agents where id = any(?)")
                .param(ids.toArray(String[]::new))
                .query((rs, n) -> new OperatorFlags(
                        rs.getString(1), AgentState.valueOf(rs.getString(2)), rs.getBoolean(3), rs.getString(4)))
                .list();
    }

    /** Ids of draining agents that are still live, for the sweeper to check whether they can be released. */
    List<String> drainingLive() {
        return jdbc.sql("select id from agents where draining and state in ('CONNECTED', 'DISCONNECTED')")
                .query((rs, n) -> rs.getString(1))
                .list();
    }

    private AgentRow row(ResultSet rs, int n) throws SQLException {
        return new AgentRow(
                rs.getString("id"),
                AgentState.valueOf(rs.getString("state")),
                rs.getBoolean("cordoned"),
                rs.getBoolean("draining"),
                rs.getString("address"),
                rs.getString("zone"),
                json.readValue(rs.getString("labels"), LABELS),
                strings(rs.getArray("runtimes")),
                rs.getInt("cpu_millis"),
                rs.getInt("memory_mib"),
                rs.getInt("used_cpu_millis"),
                rs.getInt("used_memory_mib"),
                json.readValue(rs.getString("reported_replicas"), REPLICAS),
                rs.getLong("applied_generation"),
                rs.getString("agent_version"),
                rs.getString("session_token_hash"),
                rs.getTimestamp("registered_at").toInstant(),
                rs.getTimestamp("last_heartbeat_at").toInstant(),
                rs.getTimestamp("lease_expires_at").toInstant(),
                rs.getTimestamp("state_changed_at").toInstant());
    }

    private static List<String> strings(@Nullable Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (Object value : (Object[]) array.getArray()) {
            out.add(String.valueOf(value));
        }
        return out;
    }
}
