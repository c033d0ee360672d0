package dev.weft.scheduler.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.scheduler.WeftIntegrationTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The schema comes from db/migrations alone, Hibernate only validates the entities against it (the
 * context would not start on a mismatch), and the database itself refuses rows that break its rules.
 */
@WeftIntegrationTest
class SchemaTest {

    @Autowired
    JdbcClient jdbc;

    @Value("${spring.jpa.hibernate.ddl-auto}")
    String ddlAuto;

    @Test
    void hibernateValidatesAndNeverGeneratesTheSchema() {
        assertThat(ddlAuto).isEqualTo("validate");
        assertThat(jdbc.sql("select count(*) from flyway_schema_history where success and version = '1'")
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void everyConceptOfTheDesignHasItsTable() {
        List<String> tables = jdbc.sql("select table_name from information_schema.tables where table_schema = 'public'")
                .query(String.class).list();
        assertThat(tables).contains("applications", "versions", "components", "call_edges", "placement_constraints",
                "constraint_members", "agents", "component_load", "edge_load", "plans", "plan_groups",
                "plan_group_members", "assignments", "traffic_splits", "rollouts", "rollout_steps", "events");
    }

    @Test
    void databaseRejectsRowsThatBreakItsChecks() {
        assertThatThrownBy(() -> jdbc.sql("insert into applications (id, name, created_at) values (-1, 'Not_A_Label', now())").update())
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThatThrownBy(() -> jdbc.sql("""
                insert into agents (id, state, address, zone, cpu_millis, memory_mib, registered_at, last_heartbeat_at, lease_expires_at)
                values ('a-1', 'SLEEPING', 'h:1', 'z', 1000, 1024, now(), now(), now())""").update())
                .isInstanceOf(DataIntegrityViolationException.class);
    }
}
