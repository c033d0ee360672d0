package dev.weft.scheduler.rollouts;

import dev.weft.rollout.RolloutState;
import dev.weft.rollout.StepRecord;
import dev.weft.rollout.policy.Policy;
import dev.weft.rollout.policy.PolicyDraft;
import dev.weft.rollout.policy.PolicyValidation;
import dev.weft.rollout.policy.PolicyValidator;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes {@code rollouts} and {@code rollout_steps}. The whole {@link RolloutState} is kept as JSON in
 * {@code rollouts.document} after every move (the source of truth); the columns beside it and the step rows are
 * written from it in the same statement batch, for queries and for people reading the database.
 */
@Repository
class RolloutStore {

    /** JSON of the library's records, read back by their canonical constructors (which check every invariant). */
    private final JsonMapper json = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final JdbcClient jdbc;

    RolloutStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One stored rollout: its ids, its state, the policy it follows, and how often it was written. */
    record Stored(
            long id,
            long applicationId,
            long fromVersionId,
            long toVersionId,
            RolloutState state,
            Policy policy,
            long revision,
            String createdBy) {}

    private static final String SELECT = """
            select r.id, r.application_id, r.from_version_id, r.to_version_id, r.document::text as document,
                   r.policy::text as policy, r.revision, r.created_by
            from rollouts r""";

    private Stored row(ResultSet rs, int n) throws SQLException {
        return new Stored(
                rs.getLong("id"),
                rs.getLong("application_id"),
                rs.getLong("from_version_id"),
                rs.getLong("to_version_id"),
                json.readValue(rs.getString("document"), RolloutState.class),
                policy(rs.getString("policy")),
                rs.getLong("revision"),
                rs.getString("created_by"));
    }

    String policyJson(Policy policy) {
        return json.writeValueAsString(PolicyDraft.of(policy));
    }

    private Policy policy(String text) {
        PolicyValidation read = PolicyValidator.validate(json.readValue(text, PolicyDraft.class));
        if (read instanceof PolicyValidation.Valid valid) {
            return valid.policy();
        }
        throw new IllegalStateException("a stored policy no longer validates: " + read);
    }

    /** The application's id, its row locked (as deployments lock it) so moves of one application serialise. */
    Optional<Long> lockApplication(String name) {
        return jdbc.sql("select id from applications where name = ? for update")
                .param(name)
                .query(Long.class)
                .optional();
    }

    Optional<Long> applicationId(String name) {
        return jdbc.sql("select id from applications where name = ?")
                .param(name)
                .query(Long.class)
                .optional();
    }

    Optional<Long> versionId(long applicationId, String version) {
        return jdbc.sql("select id from versions where application_id = ? and name = ?")
                .params(applicationId, version)
                .query(Long.class)
                .optional();
    }

    /** A new rollout; returns its id. */
    long insert(
            long applicationId, long fromVersionId, long toVersionId, RolloutState state, Policy policy, String by) {
        long id = jdbc.sql("""
                insert into rollouts (application_id, from_version_id, to_version_id, state, current_step, policy,
                    reason, created_at, updated_at, document, revision, created_by, finished_at)
                values (?, ?, ?, ?, ?, cast(? as jsonb), ?, ?, ?, cast(? as jsonb), 0, ?, ?)
                returning id""")
                .param(applicationId)
                .param(fromVersionId)
                .param(toVersionId)
                .param(state.phase().name())
                .param(state.step())
                .param(policyJson(policy))
                .param(state.reason())
                .param(Timestamp.from(state.createdAt()))
                .param(Timestamp.from(state.updatedAt()))
                .param(json.writeValueAsString(state))
                .param(by.length() <= 256 ? by : by.substring(0, 256))
                .param(timestamp(state.finishedAt()))
                .query(Long.class)
                .single();
        writeSteps(id, state.steps());
        return id;
    }

    /** Replaces the stored state of a rollout read at {@code revision}; false if it was written meanwhile. */
    boolean update(long id, long revision, RolloutState state) {
        int updated = jdbc.sql("""
                update rollouts set state = ?, current_step = ?, reason = ?, updated_at = ?,
                    document = cast(? as jsonb), revision = revision + 1, finished_at = ?
                where id = ? and revision = ?""")
                .param(state.phase().name())
                .param(state.step())
                .param(state.reason())
                .param(Timestamp.from(state.updatedAt()))
                .param(json.writeValueAsString(state))
                .param(timestamp(state.finishedAt()))
                .param(id)
                .param(revision)
                .update();
        if (updated > 0) {
            writeSteps(id, state.steps());
        }
        return updated > 0;
    }

    private void writeSteps(long id, List<StepRecord> steps) {
        for (StepRecord step : steps) {
            jdbc.sql("""
                    insert into rollout_steps (rollout_id, step_index, weight_bp, hold_seconds, started_at, finished_at,
                        outcome, readings)
                    values (?, ?, ?, ?, ?, ?, ?, cast(? as jsonb))
                    on conflict (rollout_id, step_index) do update set started_at = excluded.started_at,
                        finished_at = excluded.finished_at, outcome = excluded.outcome, readings = excluded.readings""")
                    .param(id)
                    .param(step.index())
                    .param(step.weightBasisPoints())
                    .param((int) step.hold().toSeconds())
                    .param(timestamp(step.startedAt()))
                    .param(timestamp(step.finishedAt()))
                    .param(step.outcome() == null ? null : step.outcome().name())
                    .param(json.writeValueAsString(step.readings()))
                    .update();
        }
    }

    Optional<Stored> find(long id) {
        return jdbc.sql(SELECT + " where r.id = ?").param(id).query(this::row).optional();
    }

    /** The rollout, its row locked until the transaction ends. */
    Optional<Stored> lock(long id) {
        return jdbc.sql(SELECT + " where r.id = ? for update")
                .param(id)
                .query(this::row)
                .optional();
    }

    /** The application's rollout that has not finished, if any (the unique index allows one). */
    Optional<Stored> active(long applicationId) {
        return jdbc.sql(SELECT + " where r.application_id = ? and r.state not in ('DONE', 'ROLLED_BACK')")
                .param(applicationId)
                .query(this::row)
                .optional();
    }

    /** Every rollout that has not finished, oldest first. */
    List<Long> activeIds() {
        return jdbc.sql("select id from rollouts where state not in ('DONE', 'ROLLED_BACK') order by id")
                .query((rs, n) -> rs.getLong(1))
                .list();
    }

    /** Rollouts that finished at or after {@code since}, oldest first (their last actions are checked again). */
    List<Long> finishedSince(Instant since) {
        return jdbc.sql("select id from rollouts where finished_at >= ? order by id")
                .param(Timestamp.from(since))
                .query((rs, n) -> rs.getLong(1))
                .list();
    }

    /** The application's rollouts, newest first. */
    List<Stored> history(long applicationId, int offset, int limit) {
        return jdbc.sql(SELECT + " where r.application_id = ? order by r.id desc offset ? limit ?")
                .params(applicationId, offset, limit)
                .query(this::row)
                .list();
    }

    long count(long applicationId) {
        return jdbc.sql("select count(*) from rollouts where application_id = ?")
                .param(applicationId)
                .query(Long.class)
                .single();
    }

    /** The rollout in flight that takes {@code versionId} in, as either side. */
    Optional<Long> activeWith(long versionId) {
        return jdbc.sql("""
                select id from rollouts where state not in ('DONE', 'ROLLED_BACK')
                    and (from_version_id = ? or to_version_id = ?)""").params(versionId, versionId).query(Long.class).optional();
    }

    private static @Nullable Timestamp timestamp(@Nullable Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
