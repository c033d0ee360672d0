package dev.weft.scheduler.push;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.api.agent.v1.AssignmentSet;
import dev.weft.api.agent.v1.Endpoint;
import dev.weft.api.agent.v1.RoutingTable;
import dev.weft.api.agent.v1.TrafficSplit;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Reads and writes what was pushed: assignment sets, routing tables, traffic splits and start failures. */
@Repository
class PushStore {

    private static final TypeReference<List<IngressEndpoint>> INGRESS = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JsonMapper json;

    PushStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** One agent's set as last sent, with its latest ack. */
    record SetRow(
            String agentId,
            AssignmentSet set,
            Instant updatedAt,
            long ackedGeneration,
            boolean ackApplied,
            String ackMessage,
            List<String> failedAssignmentIds,
            @Nullable Instant ackedAt) {}

    /** A version's routing table as last sent, and who got it. */
    record TableRow(
            long versionId,
            RoutingTable table,
            Set<String> hosts,
            Set<String> ingressHosts,
            List<IngressEndpoint> ingress) {}

    /** An application's traffic split as last sent, and who got it. */
    record SplitRow(long applicationId, TrafficSplit split, Set<String> hosts) {}

    /** One replica of an ingress component, where an ingress sends a request it pinned to the version. */
    record IngressEndpoint(String address, String assignmentId) {
        Endpoint proto() {
            return Endpoint.newBuilder()
                    .setAddress(address)
                    .setAssignmentId(assignmentId)
                    .build();
        }
    }

    private static final String SET_COLUMNS =
            "agent_id, assignment_set, updated_at, acked_generation, ack_applied, ack_message, failed_assignment_ids, acked_at";

    /** The advisory lock every writer of agents' sets and acks takes ("weft-set" in ASCII). */
    static final long SET_WRITERS_LOCK = 0x7765_6674_2d73_6574L;

    /**
     * The agents' sets, for a change of them in the caller's transaction: every other writer of sets (and of acks)
     * waits until it ends, on one advisory lock, so nothing changes them between this read and the write. One lock
     * instead of a row lock per agent: {@code select ... for update} of 10,000 rows writes 10,000 row locks.
     */
    Map<String, AssignmentSet> lockSets(Collection<String> agentIds) {
        lockSetWriters();
        Map<String, AssignmentSet> out = new LinkedHashMap<>();
        if (agentIds.isEmpty()) {
            return out;
        }
        jdbc.sql(
                        "select agent_id, assignment_set from agent_assignment_sets where agent_id = any(?) order by agent_id for update")
                .param(agentIds.toArray(String[]::new))
                .query((RowCallbackHandler)
                        rs -> out.put(rs.getString(1), parse(rs.getBytes(2), AssignmentSet.parser())));
        return out;
    }

    /**
     * Holds off the other writers of sets, acks, tables and splits until the caller's transaction ends. Every push
     * writer takes it before any row lock of the push tables, so two writers never wait for each other's rows.
     */
    void lockSetWriters() {
        jdbc.sql("select 1 from pg_advisory_xact_lock(?)")
                .param(SET_WRITERS_LOCK)
                .query(Integer.class)
                .single();
    }

    Map<String, SetRow> sets(Collection<String> agentIds) {
        return sets("select " + SET_COLUMNS + " from agent_assignment_sets where agent_id = any(?)", agentIds);
    }

    private Map<String, SetRow> sets(String sql, Collection<String> agentIds) {
        Map<String, SetRow> out = new LinkedHashMap<>();
        if (agentIds.isEmpty()) {
            return out;
        }
        jdbc.sql(sql)
                .param(agentIds.toArray(String[]::new))
                .query(this::setRow)
                .list()
                .forEach(r -> out.put(r.agentId(), r));
        return out;
    }

    Optional<SetRow> set(String agentId) {
        return Optional.ofNullable(sets(List.of(agentId)).get(agentId));
    }

    private SetRow setRow(ResultSet rs, int n) throws SQLException {
        Timestamp acked = rs.getTimestamp("acked_at");
        return new SetRow(
                rs.getString("agent_id"),
                parse(rs.getBytes("assignment_set"), AssignmentSet.parser()),
                rs.getTimestamp("updated_at").toInstant(),
                rs.getLong("acked_generation"),
                rs.getBoolean("ack_applied"),
                rs.getString("ack_message"),
                strings(rs.getArray("failed_assignment_ids")),
                acked == null ? null : acked.toInstant());
    }

    /** Agents per statement of {@link #writeSets}: 10,000 sets of one component are about 1 MB of parameters. */
    static final int SETS_PER_STATEMENT = 5000;

    /**
     * Writes the sets (inserted, or replacing the agent's set, generation, replica count and time; its ack columns
     * are kept) with one statement per {@value #SETS_PER_STATEMENT} agents: the rows travel as four arrays that
     * {@code unnest} turns back into rows, in agent id order. A JDBC batch of one upsert per agent costs PostgreSQL a
     * statement execution per agent (about a second for 10,000 agents on a busy 2-core machine); this is one.
     */
    void writeSets(Map<String, AssignmentSet> sets, Instant now) {
        writeSets(sets, now, SETS_PER_STATEMENT);
    }

    /** As {@link #writeSets(Map, Instant)}, {@code perStatement} agents a statement. */
    void writeSets(Map<String, AssignmentSet> sets, Instant now, int perStatement) {
        if (sets.isEmpty()) {
            return;
        }
        List<Map.Entry<String, AssignmentSet>> rows = new ArrayList<>(new TreeMap<>(sets).entrySet());
        Timestamp at = Timestamp.from(now);
        for (int from = 0; from < rows.size(); from += perStatement) {
            List<Map.Entry<String, AssignmentSet>> chunk =
                    rows.subList(from, Math.min(rows.size(), from + perStatement));
            String[] agents = new String[chunk.size()];
            long[] generations = new long[chunk.size()];
            byte[][] bytes = new byte[chunk.size()][];
            int[] replicas = new int[chunk.size()];
            for (int i = 0; i < chunk.size(); i++) {
                AssignmentSet set = chunk.get(i).getValue();
                agents[i] = chunk.get(i).getKey();
                generations[i] = set.getGeneration();
                bytes[i] = set.toByteArray();
                replicas[i] = set.getAssignmentsCount();
            }
            jdbc.sql("""
                    insert into agent_assignment_sets (agent_id, generation, assignment_set, replicas, updated_at)
                    select r.agent_id, r.generation, r.assignment_set, r.replicas, ?
                    from unnest(?::varchar[], ?::bigint[], ?::bytea[], ?::integer[]) with ordinality
                        as r (agent_id, generation, assignment_set, replicas, n)
                    order by r.n
                    on conflict (agent_id) do update set generation = excluded.generation,
                        assignment_set = excluded.assignment_set, replicas = excluded.replicas, updated_at = excluded.updated_at""").params(at, agents, generations, bytes, replicas).update();
        }
    }

    Optional<TableRow> lockTable(long versionId) {
        return jdbc.sql(
                        "select version_id, routing_table, hosts, ingress_hosts, ingress::text as ingress from routing_tables where version_id = ? for update")
                .param(versionId)
                .query(this::tableRow)
                .optional();
    }

    Map<Long, TableRow> tables(Collection<Long> versionIds) {
        Map<Long, TableRow> out = new LinkedHashMap<>();
        if (versionIds.isEmpty()) {
            return out;
        }
        jdbc.sql(
                        "select version_id, routing_table, hosts, ingress_hosts, ingress::text as ingress from routing_tables where version_id = any(?)")
                .param(versionIds.toArray(Long[]::new))
                .query(this::tableRow)
                .list()
                .forEach(r -> out.put(r.versionId(), r));
        return out;
    }

    /** The tables of the versions any of these agents hosts. */
    List<TableRow> tablesHostedByAny(Collection<String> agentIds) {
        return jdbc.sql(
                        "select version_id, routing_table, hosts, ingress_hosts, ingress::text as ingress from routing_tables where hosts && ?::varchar[] order by version_id")
                .param(agentIds.toArray(String[]::new))
                .query(this::tableRow)
                .list();
    }

    /** Every routing table of the application, by version name. */
    Map<String, TableRow> tablesOf(long applicationId) {
        Map<String, TableRow> out = new LinkedHashMap<>();
        jdbc.sql("""
                select r.version_id, r.routing_table, r.hosts, r.ingress_hosts, r.ingress::text as ingress from routing_tables r
                where r.application_id = ? order by r.version_id""")
                .param(applicationId)
                .query(this::tableRow)
                .list()
                .forEach(r -> out.put(r.table().getVersion(), r));
        return out;
    }

    private TableRow tableRow(ResultSet rs, int n) throws SQLException {
        return new TableRow(
                rs.getLong("version_id"),
                parse(rs.getBytes("routing_table"), RoutingTable.parser()),
                new LinkedHashSet<>(strings(rs.getArray("hosts"))),
                new LinkedHashSet<>(strings(rs.getArray("ingress_hosts"))),
                json.readValue(rs.getString("ingress"), INGRESS));
    }

    void writeTable(
            long versionId,
            long applicationId,
            RoutingTable table,
            Set<String> hosts,
            Set<String> ingressHosts,
            List<IngressEndpoint> ingress,
            Instant now) {
        jdbc.sql("""
                insert into routing_tables (version_id, application_id, generation, routing_table, hosts, ingress_hosts, ingress, updated_at)
                values (?, ?, ?, ?, ?, ?, cast(? as jsonb), ?)
                on conflict (version_id) do update set generation = excluded.generation, routing_table = excluded.routing_table,
                    hosts = excluded.hosts, ingress_hosts = excluded.ingress_hosts, ingress = excluded.ingress, updated_at = excluded.updated_at""")
                .params(
                        versionId,
                        applicationId,
                        table.getGeneration(),
                        table.toByteArray(),
                        hosts.toArray(String[]::new),
                        ingressHosts.toArray(String[]::new),
                        json.writeValueAsString(ingress),
                        Timestamp.from(now))
                .update();
    }

    Optional<SplitRow> lockSplit(long applicationId) {
        return jdbc.sql(
                        "select application_id, traffic_split, hosts from traffic_split_pushes where application_id = ? for update")
                .param(applicationId)
                .query(this::splitRow)
                .optional();
    }

    Map<Long, SplitRow> splits(Collection<Long> applicationIds) {
        Map<Long, SplitRow> out = new LinkedHashMap<>();
        if (applicationIds.isEmpty()) {
            return out;
        }
        jdbc.sql("select application_id, traffic_split, hosts from traffic_split_pushes where application_id = any(?)")
                .param(applicationIds.toArray(Long[]::new))
                .query(this::splitRow)
                .list()
                .forEach(r -> out.put(r.applicationId(), r));
        return out;
    }

    List<SplitRow> splitsHostedByAny(Collection<String> agentIds) {
        return jdbc.sql(
                        "select application_id, traffic_split, hosts from traffic_split_pushes where hosts && ?::varchar[] order by application_id")
                .param(agentIds.toArray(String[]::new))
                .query(this::splitRow)
                .list();
    }

    private SplitRow splitRow(ResultSet rs, int n) throws SQLException {
        return new SplitRow(
                rs.getLong("application_id"),
                parse(rs.getBytes("traffic_split"), TrafficSplit.parser()),
                new LinkedHashSet<>(strings(rs.getArray("hosts"))));
    }

    void writeSplit(long applicationId, TrafficSplit split, Set<String> hosts, Instant now) {
        jdbc.sql("""
                insert into traffic_split_pushes (application_id, generation, traffic_split, hosts, updated_at)
                values (?, ?, ?, ?, ?)
                on conflict (application_id) do update set generation = excluded.generation, traffic_split = excluded.traffic_split,
                    hosts = excluded.hosts, updated_at = excluded.updated_at""")
                .params(
                        applicationId,
                        split.getGeneration(),
                        split.toByteArray(),
                        hosts.toArray(String[]::new),
                        Timestamp.from(now))
                .update();
    }

    /** One acknowledgement to record. */
    record Ack(String agentId, long generation, boolean applied, String message, List<String> failed, Instant at) {}

    /**
     * Records the latest ack of each agent (one per agent), in the caller's transaction; an older ack than the one
     * stored changes nothing. One statement for all of them (the acks travel as arrays, as in {@link #writeSets}),
     * after taking the writers' lock ({@link #lockSets}): the statement's row locks come in whatever order PostgreSQL
     * joins the rows in, and without that lock a plan's write of the same rows in id order could deadlock with it.
     */
    void writeAcks(List<Ack> acks) {
        if (acks.isEmpty()) {
            return;
        }
        lockSetWriters();
        String[] agents = new String[acks.size()];
        long[] generations = new long[acks.size()];
        boolean[] applied = new boolean[acks.size()];
        String[] messages = new String[acks.size()];
        String[] failed = new String[acks.size()];
        String[] at = new String[acks.size()];
        for (int i = 0; i < acks.size(); i++) {
            Ack ack = acks.get(i);
            agents[i] = ack.agentId();
            generations[i] = ack.generation();
            applied[i] = ack.applied();
            messages[i] = ack.message();
            failed[i] = json.writeValueAsString(ack.failed());
            at[i] = ack.at().toString();
        }
        jdbc.sql("""
                update agent_assignment_sets s set acked_generation = a.generation, ack_applied = a.applied,
                    ack_message = a.message,
                    failed_assignment_ids = array(select jsonb_array_elements_text(a.failed::jsonb)),
                    acked_at = a.at::timestamptz
                from unnest(?::varchar[], ?::bigint[], ?::boolean[], ?::varchar[], ?::text[], ?::text[])
                    as a (agent_id, generation, applied, message, failed, at)
                where s.agent_id = a.agent_id and s.acked_generation <= a.generation""").params(agents, generations, applied, messages, failed, at).update();
    }

    /** Counts one more start failure of the version on the agent; returns the count. */
    int countFailure(long versionId, String agentId, String assignmentId, String message, Instant now) {
        return jdbc.sql("""
                insert into replica_start_failures (version_id, agent_id, failures, last_assignment_id, last_message, last_failed_at)
                values (?, ?, 1, ?, ?, ?)
                on conflict (version_id, agent_id) do update set failures = replica_start_failures.failures + 1,
                    last_assignment_id = excluded.last_assignment_id, last_message = excluded.last_message,
                    last_failed_at = excluded.last_failed_at
                returning failures""")
                .params(versionId, agentId, assignmentId, message, Timestamp.from(now))
                .query(Integer.class)
                .single();
    }

    void exclude(long versionId, String agentId) {
        jdbc.sql("update replica_start_failures set excluded = true where version_id = ? and agent_id = ?")
                .params(versionId, agentId)
                .update();
    }

    Set<String> excluded(long versionId) {
        return new LinkedHashSet<>(jdbc.sql(
                        "select agent_id from replica_start_failures where version_id = ? and excluded order by agent_id")
                .param(versionId)
                .query(String.class)
                .list());
    }

    /** Forgets the agent's start failures (it said hello again, so it may have been fixed); true if it had any. */
    boolean forgetFailures(String agentId) {
        return jdbc.sql("delete from replica_start_failures where agent_id = ?")
                        .param(agentId)
                        .update()
                > 0;
    }

    /** The version named by an application and version name, if it exists. */
    Optional<Long> versionId(String application, String version) {
        return jdbc.sql(
                        "select v.id from versions v join applications a on a.id = v.application_id where a.name = ? and v.name = ?")
                .params(application, version)
                .query(Long.class)
                .optional();
    }

    private static <T> T parse(byte[] bytes, com.google.protobuf.Parser<T> parser) {
        try {
            return parser.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a stored push message does not parse", e);
        }
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
