package dev.weft.scheduler.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.scheduler.WeftIntegrationTest;
import java.sql.SQLException;
import java.util.UUID;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The database itself keeps references inside their version, plan and application (V3), whatever code
 * writes the rows: each test inserts with plain JDBC a row that crosses the line, and one that does not.
 */
@WeftIntegrationTest
class SchemaIntegrityTest {

    @Autowired
    JdbcClient jdbc;

    long shop;
    long shopV1;
    long shopV2;
    long other;
    long otherV1;

    @BeforeEach
    void twoApplicationsAndThreeVersions() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        shop = application("integrity-shop-" + suffix);
        shopV1 = version(shop, "v1");
        shopV2 = version(shop, "v2");
        other = application("integrity-other-" + suffix);
        otherV1 = version(other, "v1");
    }

    @AfterEach
    void deleteThem() {
        jdbc.sql("delete from rollouts where application_id in (?, ?)")
                .params(shop, other)
                .update();
        jdbc.sql("delete from traffic_splits where application_id in (?, ?)")
                .params(shop, other)
                .update();
        jdbc.sql("delete from applications where id in (?, ?)")
                .params(shop, other)
                .update();
    }

    @Test
    void constraintMemberMustBeAComponentOfTheConstraintsVersion() {
        long cartV1 = component(shopV1, "cart");
        long cartV2 = component(shopV2, "cart");
        long constraint = id();
        jdbc.sql("insert into placement_constraints (id, version_id, kind, label_key) values (?, ?, 'PIN', 'zone')")
                .params(constraint, shopV1)
                .update();

        // the member names v2's component, whether it claims v1 or v2 as its version
        assertRefused(() -> member(constraint, shopV1, cartV2), "constraint_members_component_fkey");
        assertRefused(() -> member(constraint, shopV2, cartV2), "constraint_members_constraint_fkey");
        member(constraint, shopV1, cartV1);
    }

    @Test
    void planGroupMemberMustBeAComponentOfThePlansVersionAndInOneGroupOfThePlan() {
        long cartV1 = component(shopV1, "cart");
        long cartV2 = component(shopV2, "cart");
        long plan = plan(shopV1);
        long group = group(plan, 0);
        long secondGroup = group(plan, 1);
        long otherPlan = plan(shopV1, 2);

        assertRefused(() -> groupMember(group, plan, shopV1, cartV2), "plan_group_members_component_fkey");
        assertRefused(() -> groupMember(group, plan, shopV2, cartV2), "plan_group_members_plan_fkey");
        assertRefused(() -> groupMember(group, otherPlan, shopV1, cartV1), "plan_group_members_group_fkey");
        groupMember(group, plan, shopV1, cartV1);
        assertRefused(
                () -> groupMember(secondGroup, plan, shopV1, cartV1), "plan_group_members_plan_component_key", "23505");
    }

    @Test
    void assignmentMustBelongToItsGroupsPlan() {
        String agent = "integrity-agent-" + UUID.randomUUID().toString().substring(0, 8);
        jdbc.sql("""
                insert into agents (id, state, address, zone, cpu_millis, memory_mib, registered_at, last_heartbeat_at, lease_expires_at)
                values (?, 'CONNECTED', '127.0.0.1:7000', 'z1', 4000, 8192, now(), now(), now())""").param(agent).update();
        try {
            long plan = plan(shopV1);
            long group = group(plan, 0);
            long otherPlan = plan(shopV1, 2);
            String insert =
                    "insert into assignments (id, plan_id, group_id, replica_index, agent_id) values (nextval('weft_id_seq'), ?, ?, 0, ?)";

            assertRefused(() -> jdbc.sql(insert).params(otherPlan, group, agent).update(), "assignments_group_fkey");
            jdbc.sql(insert).params(plan, group, agent).update();
        } finally {
            jdbc.sql("delete from assignments where agent_id = ?").param(agent).update();
            jdbc.sql("delete from agents where id = ?").param(agent).update();
        }
    }

    @Test
    void trafficSplitMayOnlyWeighAVersionOfItsOwnApplication() {
        String insert =
                "insert into traffic_splits (application_id, version_id, weight_bp, updated_at) values (?, ?, 10000, now())";

        assertRefused(() -> jdbc.sql(insert).params(other, shopV1).update(), "traffic_splits_version_fkey");
        jdbc.sql(insert).params(shop, shopV1).update();
    }

    @Test
    void rolloutMayOnlyMoveBetweenVersionsOfItsOwnApplication() {
        String insert = """
                insert into rollouts (id, application_id, from_version_id, to_version_id, state, policy, created_at, updated_at)
                values (nextval('weft_id_seq'), ?, ?, ?, 'PENDING', '{}'::jsonb, now(), now())""";

        assertRefused(() -> jdbc.sql(insert).params(shop, shopV1, otherV1).update(), "rollouts_to_version_fkey");
        assertRefused(() -> jdbc.sql(insert).params(shop, otherV1, shopV2).update(), "rollouts_from_version_fkey");
        assertRefused(() -> jdbc.sql(insert).params(other, null, shopV2).update(), "rollouts_to_version_fkey");
        jdbc.sql(insert).params(shop, shopV1, shopV2).update();
    }

    @Test
    void pinLabelsFollowTheApisRulesInTheDatabaseToo() {
        String insert =
                "insert into placement_constraints (id, version_id, kind, label_key, label_value) values (nextval('weft_id_seq'), ?, 'PIN', ?, ?)";
        String longest = "a".repeat(253) + "/" + "n".repeat(63);

        jdbc.sql(insert).params(shopV1, longest, "v".repeat(63)).update();
        assertRefused(
                () -> jdbc.sql(insert)
                        .params(shopV1, "a".repeat(254) + "/zone", null)
                        .update(),
                "placement_constraints_label_key_check",
                "23514");
        assertRefused(
                () -> jdbc.sql(insert).params(shopV1, "zone", "not valid!").update(),
                "placement_constraints_label_value_check",
                "23514");
    }

    private static void assertRefused(ThrowingCallable insert, String constraint) {
        assertRefused(insert, constraint, "23503");
    }

    /** The insert fails on exactly {@code constraint}, not on some other mistake of the test's SQL. */
    private static void assertRefused(ThrowingCallable insert, String constraint, String sqlState) {
        assertThatThrownBy(insert).satisfies(thrown -> {
            Throwable cause = thrown;
            while (cause != null && !(cause instanceof SQLException)) {
                cause = cause.getCause();
            }
            assertThat(cause).as("SQLException under %s", thrown).isNotNull();
            assertThat(((SQLException) cause).getSQLState())
                    .as(cause.getMessage())
                    .isEqualTo(sqlState);
            assertThat(cause.getMessage()).contains(constraint);
        });
    }

    private long id() {
        return jdbc.sql("select nextval('weft_id_seq')").query(Long.class).single();
    }

    private long application(String name) {
        long id = id();
        jdbc.sql("insert into applications (id, name, created_at) values (?, ?, now())")
                .params(id, name)
                .update();
        return id;
    }

    private long version(long application, String name) {
        long id = id();
        jdbc.sql("""
                insert into versions (id, application_id, name, artifact_ref, spec_hash, spec, created_at)
                values (?, ?, ?, 'oci://example/shop', ?, '{}'::jsonb, now())""").params(id, application, name, "0".repeat(64)).update();
        return id;
    }

    private long component(long version, String name) {
        long id = id();
        jdbc.sql("""
                insert into components (id, version_id, name, cpu_millis, memory_mib, min_replicas, max_replicas, ingress)
                values (?, ?, ?, 100, 64, 1, 1, false)""").params(id, version, name).update();
        return id;
    }

    private void member(long constraint, long version, long component) {
        jdbc.sql(
                        "insert into constraint_members (constraint_id, position, component_id, version_id) values (?, 0, ?, ?)")
                .params(constraint, component, version)
                .update();
    }

    private long plan(long version) {
        return plan(version, 1);
    }

    private long plan(long version, int generation) {
        long id = id();
        jdbc.sql("""
                insert into plans (id, version_id, generation, active, cost_per_hour, remote_call_cpu, created_at)
                values (?, ?, ?, false, 0, 0, now())""").params(id, version, generation).update();
        return id;
    }

    private long group(long plan, int index) {
        long id = id();
        jdbc.sql("insert into plan_groups (id, plan_id, group_index, replicas) values (?, ?, ?, 1)")
                .params(id, plan, index)
                .update();
        return id;
    }

    private void groupMember(long group, long plan, long version, long component) {
        jdbc.sql("insert into plan_group_members (group_id, plan_id, version_id, component_id) values (?, ?, ?, ?)")
                .params(group, plan, version, component)
                .update();
    }
}
