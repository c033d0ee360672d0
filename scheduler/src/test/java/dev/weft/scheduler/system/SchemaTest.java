package dev.weft.scheduler.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.scheduler.WeftIntegrationTest;
import dev.weft.schemacheck.ComponentWithAMisspelledColumn;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.SchemaValidationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.hibernate.SessionFactory;
import org.hibernate.boot.MetadataSources;
import org.hibernate.boot.registry.StandardServiceRegistry;
import org.hibernate.boot.registry.StandardServiceRegistryBuilder;
import org.hibernate.cfg.AvailableSettings;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The schema comes from db/migrations alone, Hibernate only validates the entities against it, and
 * the database itself refuses rows that break its rules.
 */
@WeftIntegrationTest
class SchemaTest {

    @Autowired
    JdbcClient jdbc;

    @Autowired
    EntityManagerFactory entityManagerFactory;

    @Autowired
    DataSource dataSource;

    @Test
    void everyMigrationRanAndHibernateOnlyValidatesTheSchemaTheyMade() throws SchemaValidationException, IOException {
        List<String> files;
        try (Stream<Path> migrations = Files.list(Path.of("..", "db", "migrations"))) {
            files = migrations
                    .map(path -> path.getFileName().toString())
                    .filter(name -> name.matches("V\\d+__.+\\.sql"))
                    .map(name -> name.substring(1, name.indexOf("__")))
                    .sorted(Comparator.comparingInt(Integer::parseInt))
                    .toList();
        }
        assertThat(files).isNotEmpty();
        assertThat(jdbc.sql("select version from flyway_schema_history where success order by installed_rank")
                        .query(String.class)
                        .list())
                .as("every file of db/migrations ran, in order")
                .containsExactlyElementsOf(files);
        assertThat(entityManagerFactory.getProperties()).containsEntry(AvailableSettings.HBM2DDL_AUTO, "validate");
        // the application's own entities against the migrated schema: throws on any mismatch
        entityManagerFactory.getSchemaManager().validate();
    }

    @Test
    void validationFailsForAnEntityThatDoesNotMatchTheMigratedSchema() {
        StandardServiceRegistry registry = new StandardServiceRegistryBuilder()
                .applySetting(AvailableSettings.JAKARTA_NON_JTA_DATASOURCE, dataSource)
                .applySetting(AvailableSettings.HBM2DDL_AUTO, "none")
                .build();
        try (SessionFactory wrong = new MetadataSources(registry)
                .addAnnotatedClass(ComponentWithAMisspelledColumn.class)
                .buildMetadata()
                .buildSessionFactory()) {
            assertThatThrownBy(() -> wrong.getSchemaManager().validate())
                    .isInstanceOf(SchemaValidationException.class)
                    .hasMessageContaining("cpu_milis");
        } finally {
            StandardServiceRegistryBuilder.destroy(registry);
        }
    }

    @Test
    void everyConceptOfTheDesignHasItsTable() {
        List<String> tables = jdbc.sql("select table_name from information_schema.tables where table_schema = 'public'")
                .query(String.class)
                .list();
        assertThat(tables)
                .contains(
                        "applications",
                        "versions",
                        "components",
                        "call_edges",
                        "placement_constraints",
                        "constraint_members",
                        "agents",
                        "component_load",
                        "edge_load",
                        "plans",
                        "plan_groups",
                        "plan_group_members",
                        "assignments",
                        "traffic_splits",
                        "rollouts",
                        "rollout_steps",
                        "events");
    }

    @Test
    void databaseRejectsRowsThatBreakItsChecks() {
        assertThatThrownBy(() -> jdbc.sql(
                                "insert into applications (id, name, created_at) values (-1, 'Not_A_Label', now())")
                        .update())
                .isInstanceOf(DataIntegrityViolationException.class);
        assertThatThrownBy(() -> jdbc.sql("""
                insert into agents (id, state, address, zone, cpu_millis, memory_mib, registered_at, last_heartbeat_at, lease_expires_at)
                values ('a-1', 'SLEEPING', 'h:1', 'z', 1000, 1024, now(), now(), now())""").update()).isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void noIndexRepeatsAnother() {
        // two indexes of one table over the same columns in the same order (direction aside) are one too many
        List<String> repeated = jdbc.sql("""
                select a.indexrelid::regclass || ' repeats ' || b.indexrelid::regclass
                from pg_index a join pg_index b on a.indrelid = b.indrelid and a.indexrelid > b.indexrelid
                    and a.indkey::text = b.indkey::text
                    and coalesce(a.indpred::text, '') = coalesce(b.indpred::text, '')
                join pg_class t on t.oid = a.indrelid join pg_namespace n on n.oid = t.relnamespace
                where n.nspname = 'public'""").query(String.class).list();
        assertThat(repeated).isEmpty();
    }
}
