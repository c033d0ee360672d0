package dev.weft.scheduler.planning;

import dev.weft.placement.Baselines;
import dev.weft.placement.GroupExplanation;
import dev.weft.placement.Score;
import dev.weft.scheduler.planning.PlanRecord.Assignment;
import dev.weft.scheduler.planning.PlanRecord.Group;
import dev.weft.scheduler.planning.PlanRecord.Unplaced;
import dev.weft.scheduler.planning.World.Usage;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Plans by generation, their groups and assignments, and the versions the planner keeps placed. */
@Repository
class PlanStore {

    private static final TypeReference<List<Trigger>> TRIGGERS = new TypeReference<>() {};
    private static final TypeReference<List<GroupExplanation>> EXPLANATIONS = new TypeReference<>() {};
    private static final TypeReference<List<Unplaced>> UNPLACED = new TypeReference<>() {};
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final JsonMapper json;

    PlanStore(JdbcClient jdbc, JdbcTemplate template, JsonMapper json) {
        this.jdbc = jdbc;
        this.template = template;
        this.json = json;
    }

    /** A version the planner keeps placed, or is releasing. */
    record Planned(long versionId, long applicationId, boolean releasing, Instant requestedAt) {}

    private static Planned plannedRow(ResultSet rs, int n) throws SQLException {
        return new Planned(
                rs.getLong("version_id"),
                rs.getLong("application_id"),
                rs.getBoolean("releasing"),
                rs.getTimestamp("requested_at").toInstant());
    }

    List<Planned> planned() {
        return jdbc.sql(
                        "select version_id, application_id, releasing, requested_at from planned_versions order by version_id")
                .query(PlanStore::plannedRow)
                .list();
    }

    Optional<Planned> planned(long versionId) {
        return jdbc.sql(
                        "select version_id, application_id, releasing, requested_at from planned_versions where version_id = ?")
                .param(versionId)
                .query(PlanStore::plannedRow)
                .optional();
    }

    /** The row, locked until the transaction ends: one plan of a version is decided at a time, cluster-wide. */
    Optional<Planned> lockPlanned(long versionId) {
        return jdbc.sql(
                        "select version_id, application_id, releasing, requested_at from planned_versions where version_id = ? for update")
                .param(versionId)
                .query(PlanStore::plannedRow)
                .optional();
    }

    /** Keeps the version placed (again, if it was being released). */
    void place(long versionId, long applicationId, Instant now) {
        jdbc.sql("""
                insert into planned_versions (version_id, application_id, releasing, requested_at) values (?, ?, false, ?)
                on conflict (version_id) do update set releasing = false, requested_at = excluded.requested_at""").params(versionId, applicationId, Timestamp.from(now)).update();
    }

    boolean release(long versionId) {
        return jdbc.sql("update planned_versions set releasing = true where version_id = ?")
                        .param(versionId)
                        .update()
                > 0;
    }

    void forget(long versionId) {
        jdbc.sql("delete from planned_versions where version_id = ?")
                .param(versionId)
                .update();
    }

    long nextGeneration(long versionId) {
        return jdbc.sql("select coalesce(max(generation), 0) + 1 from plans where version_id = ?")
                .param(versionId)
                .query(Long.class)
                .single();
    }

    /** Writes a generation with its groups and assignments; returns the plan's id. */
    long write(PlanRecord plan, Map<String, Long> componentIds, long leaderEpoch) {
        return write(plan, componentIds, leaderEpoch, ASSIGNMENTS_PER_STATEMENT);
    }

    /** As {@link #write(PlanRecord, Map, long)}, {@code perStatement} assignments a statement. */
    long write(PlanRecord plan, Map<String, Long> componentIds, long leaderEpoch, int perStatement) {
        Score score = plan.score();
        Baselines baselines = plan.baselines();
        long planId = jdbc.sql("""
                insert into plans (id, version_id, generation, active, cost_per_hour, remote_call_cpu, explanation, diff, created_at,
                                   status, applied, decision, decision_reason, triggers, inputs, score, baselines, unplaced,
                                   solver, proven_optimal, based_on_generation, applied_at, leader_epoch)
                values (nextval('weft_id_seq'), ?, ?, false, ?, ?, cast(? as jsonb), cast(? as jsonb), ?, ?, false, ?, ?,
                        cast(? as jsonb), cast(? as jsonb), cast(? as jsonb), cast(? as jsonb), cast(? as jsonb), ?, ?, ?, null, ?)
                returning id""")
                .param(plan.versionId())
                .param(plan.generation())
                .param(score == null ? null : score.costPerHour())
                .param(score == null || !(score.remoteCallCores() >= 0) ? null : score.remoteCallCores())
                .param(json.writeValueAsString(plan.explanations()))
                .param(json.writeValueAsString(plan.diff()))
                .param(Timestamp.from(plan.createdAt()))
                .param(plan.status().name())
                .param(plan.decision().name())
                .param(truncate(plan.decisionReason()))
                .param(json.writeValueAsString(plan.triggers()))
                .param(json.writeValueAsString(plan.inputs()))
                .param(score == null ? null : json.writeValueAsString(score))
                .param(baselines == null ? null : json.writeValueAsString(baselines))
                .param(json.writeValueAsString(plan.unplaced()))
                .param(plan.solver())
                .param(plan.provenOptimal())
                .param(plan.basedOnGeneration())
                .param(leaderEpoch)
                .query(Long.class)
                .single();
        List<Object[]> members = new ArrayList<>();
        List<GroupAssignment> assignments = new ArrayList<>();
        for (Group g : plan.groups()) {
            long groupId = jdbc.sql("""
                    insert into plan_groups (id, plan_id, group_index, replicas, name, cpu, cores, memory_gib, labels)
                    values (nextval('weft_id_seq'), ?, ?, ?, ?, ?, ?, ?, cast(? as jsonb)) returning id""")
                    .params(
                            planId,
                            g.index(),
                            g.replicas(),
                            g.name(),
                            g.cpu(),
                            g.cores(),
                            g.memoryGiB(),
                            json.writeValueAsString(g.labels()))
                    .query(Long.class)
                    .single();
            for (String component : g.components()) {
                Long componentId = componentIds.get(component);
                if (componentId == null) {
                    throw new IllegalStateException("plan names component " + component + " the version does not have");
                }
                members.add(new Object[] {groupId, componentId, planId, plan.versionId()});
            }
            for (Assignment a : g.assignments()) {
                assignments.add(new GroupAssignment(groupId, a));
            }
        }
        template.batchUpdate(
                "insert into plan_group_members (group_id, component_id, plan_id, version_id) values (?, ?, ?, ?)",
                members);
        writeAssignments(planId, assignments, perStatement);
        return planId;
    }

    /** Rows of {@code assignments} written per statement. */
    static final int ASSIGNMENTS_PER_STATEMENT = 5000;

    private record GroupAssignment(long groupId, Assignment assignment) {}

    /**
     * Writes a plan's assignments with one statement per {@value #ASSIGNMENTS_PER_STATEMENT}: the rows travel as
     * arrays that {@code unnest} turns back into rows. One insert per replica (a JDBC batch) cost PostgreSQL a
     * statement execution each: seconds for a plan of 10,000 replicas on a busy 2-core machine.
     */
    private void writeAssignments(long planId, List<GroupAssignment> assignments, int perStatement) {
        for (int from = 0; from < assignments.size(); from += perStatement) {
            List<GroupAssignment> chunk = assignments.subList(from, Math.min(assignments.size(), from + perStatement));
            int n = chunk.size();
            Long[] groups = new Long[n];
            Integer[] replicas = new Integer[n];
            String[] agents = new String[n];
            String[] uids = new String[n];
            Integer[] cpu = new Integer[n];
            Integer[] memory = new Integer[n];
            for (int i = 0; i < n; i++) {
                Assignment a = chunk.get(i).assignment();
                groups[i] = chunk.get(i).groupId();
                replicas[i] = a.replicaIndex();
                agents[i] = a.agentId();
                uids[i] = a.assignmentId();
                cpu[i] = a.cpuMillis();
                memory[i] = a.memoryMiB();
            }
            jdbc.sql("""
                    insert into assignments (id, plan_id, group_id, replica_index, agent_id, assignment_uid, cpu_millis, memory_mib)
                    select nextval('weft_id_seq'), ?, r.group_id, r.replica_index, r.agent_id, r.uid, r.cpu, r.memory
                    from unnest(?::bigint[], ?::integer[], ?::varchar[], ?::varchar[], ?::integer[], ?::integer[]) with ordinality
                        as r (group_id, replica_index, agent_id, uid, cpu, memory, n)
                    order by r.n""")
                    .params(planId, groups, replicas, agents, uids, cpu, memory)
                    .update();
        }
    }

    /** Makes the generation the version's active plan, replacing the one before. */
    void activate(long versionId, long generation, Instant now) {
        jdbc.sql("update plans set active = false where version_id = ? and active")
                .param(versionId)
                .update();
        jdbc.sql(
                        "update plans set active = true, applied = true, applied_at = ? where version_id = ? and generation = ?")
                .params(Timestamp.from(now), versionId, generation)
                .update();
    }

    private static final String COLUMNS = """
            id, version_id, generation, status, active, applied, decision, decision_reason, triggers::text as triggers,
            inputs::text as inputs, score::text as score, baselines::text as baselines, explanation::text as explanation,
            solver, proven_optimal, unplaced::text as unplaced, based_on_generation, diff::text as diff, created_at,
            applied_at""";

    Optional<PlanRecord> active(long versionId) {
        return one("select " + COLUMNS + " from plans where version_id = ? and active", versionId);
    }

    Optional<PlanRecord> latest(long versionId) {
        return one(
                "select " + COLUMNS + " from plans where version_id = ? order by generation desc limit 1", versionId);
    }

    /** The newest generation without its groups (its decision, reason and what it could not place). */
    Optional<PlanRecord> latestSummary(long versionId) {
        return history(versionId, 0, 1).stream().findFirst();
    }

    Optional<PlanRecord> generation(long versionId, long generation) {
        return one("select " + COLUMNS + " from plans where version_id = ? and generation = ?", versionId, generation);
    }

    /** Generations newest first, without their groups (a summary each). */
    List<PlanRecord> history(long versionId, long offset, int limit) {
        return jdbc.sql("select " + COLUMNS
                        + " from plans where version_id = ? order by generation desc offset ? limit ?")
                .params(versionId, offset, limit)
                .query((rs, n) -> record(rs, List.of()))
                .list();
    }

    long count(long versionId) {
        return jdbc.sql("select count(*) from plans where version_id = ?")
                .param(versionId)
                .query(Long.class)
                .single();
    }

    private Optional<PlanRecord> one(String sql, Object... params) {
        List<Object[]> rows = new ArrayList<>();
        Optional<PlanRecord> head = jdbc.sql(sql)
                .params(params)
                .query((rs, n) -> {
                    rows.add(new Object[] {rs.getLong("id")});
                    return record(rs, List.of());
                })
                .optional();
        if (head.isEmpty()) {
            return head;
        }
        long planId = (Long) rows.getFirst()[0];
        return Optional.of(withGroups(head.get(), groups(planId)));
    }

    private static PlanRecord withGroups(PlanRecord p, List<Group> groups) {
        return new PlanRecord(
                p.versionId(),
                p.generation(),
                p.status(),
                p.active(),
                p.applied(),
                p.decision(),
                p.decisionReason(),
                p.triggers(),
                p.inputs(),
                groups,
                p.score(),
                p.baselines(),
                p.explanations(),
                p.solver(),
                p.provenOptimal(),
                p.unplaced(),
                p.basedOnGeneration(),
                p.diff(),
                p.createdAt(),
                p.appliedAt());
    }

    private List<Group> groups(long planId) {
        Map<Long, List<String>> members = new HashMap<>();
        jdbc.sql("""
                select m.group_id, c.name from plan_group_members m join components c on c.id = m.component_id
                where m.plan_id = ? order by c.name""")
                .param(planId)
                .query((rs, n) -> {
                    members.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                            .add(rs.getString(2));
                    return null;
                })
                .list();
        Map<Long, List<Assignment>> assignments = new HashMap<>();
        jdbc.sql("""
                select group_id, assignment_uid, agent_id, replica_index, cpu_millis, memory_mib from assignments
                where plan_id = ? order by group_id, replica_index""")
                .param(planId)
                .query((rs, n) -> {
                    assignments
                            .computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                            .add(new Assignment(
                                    rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(5), rs.getInt(6)));
                    return null;
                })
                .list();
        Map<Long, Group> out = new LinkedHashMap<>();
        jdbc.sql("""
                select id, group_index, name, replicas, cpu, cores, memory_gib, labels::text as labels from plan_groups
                where plan_id = ? order by group_index""")
                .param(planId)
                .query((rs, n) -> {
                    long id = rs.getLong("id");
                    out.put(
                            id,
                            new Group(
                                    rs.getInt("group_index"),
                                    rs.getString("name"),
                                    members.getOrDefault(id, List.of()),
                                    rs.getInt("replicas"),
                                    rs.getDouble("cpu"),
                                    rs.getDouble("cores"),
                                    rs.getDouble("memory_gib"),
                                    json.readValue(rs.getString("labels"), STRINGS),
                                    assignments.getOrDefault(id, List.of())));
                    return null;
                })
                .list();
        return List.copyOf(out.values());
    }

    private PlanRecord record(ResultSet rs, List<Group> groups) throws SQLException {
        Timestamp applied = rs.getTimestamp("applied_at");
        long based = rs.getLong("based_on_generation");
        boolean basedNull = rs.wasNull();
        String inputs = rs.getString("inputs");
        String score = rs.getString("score");
        String baselines = rs.getString("baselines");
        return new PlanRecord(
                rs.getLong("version_id"),
                rs.getLong("generation"),
                PlanRecord.Status.valueOf(rs.getString("status")),
                rs.getBoolean("active"),
                rs.getBoolean("applied"),
                decision(rs.getString("decision")),
                rs.getString("decision_reason"),
                list(rs.getString("triggers"), TRIGGERS),
                inputs == null || inputs.equals("{}") ? null : json.readValue(inputs, PlanInputs.class),
                groups,
                score == null ? null : json.readValue(score, Score.class),
                baselines == null ? null : json.readValue(baselines, Baselines.class),
                list(rs.getString("explanation"), EXPLANATIONS),
                rs.getString("solver"),
                rs.getBoolean("proven_optimal"),
                list(rs.getString("unplaced"), UNPLACED),
                basedNull ? null : based,
                diff(rs.getString("diff")),
                rs.getTimestamp("created_at").toInstant(),
                applied == null ? null : applied.toInstant());
    }

    private static PlanRecord.Decision decision(String name) {
        try {
            return PlanRecord.Decision.valueOf(name);
        } catch (IllegalArgumentException e) {
            return PlanRecord.Decision.APPLIED_FIRST;
        }
    }

    /** A JSON list; plans written before the planner (their columns hold '{}') read as empty. */
    private <T> List<T> list(@Nullable String text, TypeReference<List<T>> type) {
        if (text == null) {
            return List.of();
        }
        JsonNode node = json.readTree(text);
        return node.isArray() ? json.readValue(text, type) : List.of();
    }

    private PlanDiffView diff(@Nullable String text) {
        if (text == null) {
            return PlanDiffView.NONE;
        }
        JsonNode node = json.readTree(text);
        return node.has("moved") ? json.readValue(text, PlanDiffView.class) : PlanDiffView.NONE;
    }

    /** What active plans of other versions take on each agent. */
    Map<String, Usage> usageByOthers(long versionId) {
        Map<String, Usage> out = new HashMap<>();
        jdbc.sql("""
                select a.agent_id, sum(a.cpu_millis) as cpu, sum(a.memory_mib) as memory
                from assignments a join plans p on p.id = a.plan_id
                where p.active and p.version_id <> ? group by a.agent_id""")
                .param(versionId)
                .query((rs, n) -> out.put(rs.getString("agent_id"), new Usage(rs.getInt("cpu"), rs.getInt("memory"))))
                .list();
        return out;
    }

    /** Planned versions whose active plan assigns a replica to the agent. */
    List<Long> hostedBy(String agentId) {
        return jdbc.sql("""
                select distinct p.version_id from assignments a join plans p on p.id = a.plan_id
                join planned_versions pv on pv.version_id = p.version_id
                where p.active and a.agent_id = ? order by p.version_id""").param(agentId).query((rs, n) -> rs.getLong(1)).list();
    }

    boolean applicationExists(String name) {
        return jdbc.sql("select count(*) from applications where name = ?")
                        .param(name)
                        .query(Long.class)
                        .single()
                > 0;
    }

    private static String truncate(String text) {
        return text.length() <= 4096 ? text : text.substring(0, 4093) + "...";
    }
}
