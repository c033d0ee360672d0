package dev.weft.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The demo's whole path with real processes over real sockets: the control plane's jar with its embedded
 * PostgreSQL, three agents, each replica a JVM of the boutique's jar, the load generator driving the ingress; the
 * plan re-computed from the load the agents measured and settled, then a rollout to v2 to {@code DONE} with no call
 * across versions. The short windows are {@link Demo#CONTROL_PLANE_SETTINGS}; the quiet period that counts as converged is
 * 25 s here. The jars come from the reactor build (system properties set in this module's pom).
 */
class DemoEndToEndTest {

    @Test
    @Timeout(value = 10, unit = java.util.concurrent.TimeUnit.MINUTES)
    void theBoutiqueIsReplannedFromItsLoadAndRolledOutToV2WithNoViolation() throws Exception {
        Path scheduler = Path.of(System.getProperty("weft.scheduler.jar", "../../scheduler/target/weft-scheduler.jar"));
        Path boutique =
                Path.of(System.getProperty("weft.boutique.jar", "../boutique/target/weft-example-boutique.jar"));
        assertThat(scheduler)
                .as("the control plane's jar (build the scheduler module first)")
                .isRegularFile();
        assertThat(boutique).as("the boutique's jar").isRegularFile();
        Path work = Path.of(System.getProperty("weft.demo.work-dir", "target/demo-test"));
        Files.createDirectories(work);
        Path dir = Files.createTempDirectory(work, "run-");

        Demo.Outcome outcome = new Demo(new Demo.Settings(
                        scheduler.toAbsolutePath().normalize(),
                        boutique.toAbsolutePath().normalize(),
                        dir,
                        "weft_local-dev-admin-token",
                        "weft-local-dev-token",
                        20,
                        50,
                        Duration.ofSeconds(25),
                        Duration.ofMinutes(3),
                        null,
                        null))
                .run();

        assertThat(outcome.failure()).isEmpty();
        assertThat(outcome.ok()).isTrue();
        assertThat(outcome.agentsConnected()).isEqualTo(3);
        // the first plan came from the hints, a later one from what the agents measured under the load
        assertThat(outcome.planLines().getFirst()).contains("generation 1 from DECLARED load");
        assertThat(outcome.measuredPlanGeneration()).isGreaterThan(1);
        assertThat(outcome.planLines()).anyMatch(l -> l.contains("from MEASURED load") && l.contains("LOAD_CHANGED"));
        assertThat(outcome.converged()).isTrue();
        assertThat(outcome.rolloutState()).isEqualTo("DONE");
        assertThat(outcome.violations()).isZero();
        // the load really ran through both versions, and (almost) nothing failed
        assertThat(outcome.versionsServed()).containsKeys("v1", "v2");
        assertThat(outcome.loadTasks()).isGreaterThan(200);
        assertThat(outcome.loadErrors()).isLessThanOrEqualTo(outcome.loadTasks() / 100);
        // everything it started is gone
        for (String pid : Files.readAllLines(dir.resolve("pids"))) {
            boolean alive = ProcessHandle.of(Long.parseLong(pid.trim()))
                    .map(ProcessHandle::isAlive)
                    .orElse(false);
            assertThat(alive).as("process " + pid + " is still running").isFalse();
        }
        System.out.println("demo took " + outcome.elapsed());
    }
}
