package dev.weft.scheduler.deployments;

import dev.weft.scheduler.deployments.Deployments.State;
import dev.weft.scheduler.deployments.Deployments.Weight;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads and writes {@code deployments} and the applications' {@code traffic_splits}. */
@Repository
class DeploymentStore {

    private final JdbcClient jdbc;

    DeploymentStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One row of {@code deployments}, with the names it concerns. */
    record Row(
            long versionId,
            long applicationId,
            String application,
            String version,
            State state,
            String reason,
            boolean takesTraffic,
            Instant requestedAt,
            Instant stateChangedAt,
            @Nullable Instant placedAt) {}

    private static final String SELECT = """
            select d.version_id, d.application_id, a.name as application, v.name as version, d.state, d.reason,
                   d.takes_traffic, d.requested_at, d.state_changed_at, d.placed_at
            from deployments d join versions v on v.id = d.version_id join applications a on a.id = d.application_id""";

    private static Row row(ResultSet rs, int n) throws SQLException {
        Timestamp placed = rs.getTimestamp("placed_at");
        return new Row(
                rs.getLong("version_id"),
                rs.getLong("application_id"),
                rs.getString("application"),
                rs.getString("version"),
                State.valueOf(rs.getString("state")),
                rs.getString("reason"),
                rs.getBoolean("takes_traffic"),
                rs.getTimestamp("requested_at").toInstant(),
                rs.getTimestamp("state_changed_at").toInstant(),
                placed == null ? null : placed.toInstant());
    }

    /** The application's id, its row locked so deploys and releases of one application serialise. */
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

    Optional<Row> find(long versionId) {
        return jdbc.sql(SELECT + " where d.version_id = ?")
                .param(versionId)
                .query(DeploymentStore::row)
                .optional();
    }

    /** The application's deployments, oldest first; released ones only when asked. */
    List<Row> ofApplication(long applicationId, boolean released) {
        return jdbc.sql(
                        SELECT
                                + " where d.application_id = ? and (? or d.state <> 'RELEASED') order by d.requested_at, v.name")
                .params(applicationId, released)
                .query(DeploymentStore::row)
                .list();
    }

    /** Every deployment not released yet. */
    List<Row> unreleased() {
        return jdbc.sql(SELECT + " where d.state <> 'RELEASED' order by d.version_id")
                .query(DeploymentStore::row)
                .list();
    }

    void upsert(long versionId, long applicationId, State state, String reason, boolean takesTraffic, Instant now) {
        jdbc.sql("""
                insert into deployments (version_id, application_id, state, reason, takes_traffic, requested_at, state_changed_at)
                values (?, ?, ?, ?, ?, ?, ?)
                on conflict (version_id) do update set state = excluded.state, reason = excluded.reason,
                    takes_traffic = excluded.takes_traffic, requested_at = excluded.requested_at,
                    state_changed_at = excluded.state_changed_at, placed_at = null""")
                .params(
                        versionId,
                        applicationId,
                        state.name(),
                        reason,
                        takesTraffic,
                        Timestamp.from(now),
                        Timestamp.from(now))
                .update();
    }

    /** Moves the deployment to {@code state}; false if it was not in {@code from} (someone else moved it). */
    boolean transition(long versionId, State from, State to, String reason, Instant now) {
        return jdbc.sql("""
                update deployments set state = ?, reason = ?, state_changed_at = ?,
                    placed_at = case when ? = 'PLACED' and placed_at is null then ? else placed_at end
                where version_id = ? and state = ?""")
                        .params(
                                to.name(),
                                truncate(reason),
                                Timestamp.from(now),
                                to.name(),
                                Timestamp.from(now),
                                versionId,
                                from.name())
                        .update()
                > 0;
    }

    /** Updates the reason of a state without changing it. */
    void reason(long versionId, String reason) {
        jdbc.sql("update deployments set reason = ? where version_id = ?")
                .params(truncate(reason), versionId)
                .update();
    }

    /** The application's split in routing order. */
    List<Weight> weights(long applicationId) {
        return jdbc.sql("""
                select v.name, t.weight_bp from traffic_splits t join versions v on v.id = t.version_id
                where t.application_id = ? order by t.position, v.name""")
                .param(applicationId)
                .query((rs, n) -> new Weight(rs.getString(1), rs.getInt(2)))
                .list();
    }

    int weight(long versionId) {
        return jdbc.sql("select coalesce(max(weight_bp), 0) from traffic_splits where version_id = ?")
                .param(versionId)
                .query(Integer.class)
                .single();
    }

    /** Replaces the application's split: one row per version, in routing order. */
    void writeWeights(long applicationId, List<Long> versionIds, List<Weight> weights, Instant now) {
        jdbc.sql("delete from traffic_splits where application_id = ?")
                .param(applicationId)
                .update();
        for (int i = 0; i < weights.size(); i++) {
            jdbc.sql("""
                    insert into traffic_splits (application_id, version_id, weight_bp, updated_at, position)
                    values (?, ?, ?, ?, ?)""")
                    .params(applicationId, versionIds.get(i), weights.get(i).basisPoints(), Timestamp.from(now), i)
                    .update();
        }
    }

    private static String truncate(String text) {
        return text.length() <= 4096 ? text : text.substring(0, 4093) + "...";
    }
}
