package dev.weft.scheduler.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.WeftApplication;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Start the control plane as a real process, {@code kill -9} it, start it again on the same data directory: the
 * embedded PostgreSQL does not outlive it by more than a few seconds, and the next start comes up with the data,
 * with no stray server to find and kill, in no more time than the first start took.
 */
class KilledControlPlaneTest {

    @TempDir
    Path temp;

    @Test
    void aControlPlaneKilledWithSignalNineLeavesNoServerAndItsDataForTheNextStart() throws Exception {
        Path data = temp.resolve("pg");
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        long started = System.nanoTime();
        // In a process group of its own (setsid), so that the kill below can take the whole group, as a CI job's
        // timeout or `kill -9 -- -PGID` does: the watchdog must survive that and stop the server.
        boolean ownGroup = Files.isExecutable(Path.of("/usr/bin/setsid"));
        List<String> command = new ArrayList<>();
        if (ownGroup) {
            command.add("/usr/bin/setsid");
        }
        command.addAll(List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                "-XX:TieredStopAtLevel=1",
                WeftApplication.class.getName(),
                "--server.port=" + port,
                "--spring.grpc.server.port=0",
                "--weft.database.embedded.data-directory=" + data));
        Process child = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(temp.resolve("child.log").toFile())
                .start();
        HttpApi api = new HttpApi(port);
        try {
            awaitReady(api, child, temp.resolve("child.log"));
            Duration firstStart = Duration.ofNanos(System.nanoTime() - started);
            assertThat(api.post("/api/v1/applications", HttpApi.json(Map.of("name", "survivor")))
                            .status())
                    .isEqualTo(201);
            long postgres = EmbeddedPostgresServer.postmasterPid(data).orElseThrow();

            if (ownGroup) {
                // SIGKILL to the control plane's whole process group: no shutdown hook, no context close
                assertThat(new ProcessBuilder("kill", "-9", "--", "-" + child.pid())
                                .start()
                                .waitFor())
                        .isZero();
            } else {
                child.destroyForcibly(); // SIGKILL: no shutdown hook, no context close
            }
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            long killed = System.nanoTime();
            // a server that ended may linger as a zombie where nothing reaps orphans: running() says whether it runs
            long deadline = killed + TimeUnit.SECONDS.toNanos(10);
            while (ProcessHandle.of(postgres)
                            .map(EmbeddedPostgresServer::running)
                            .orElse(false)
                    && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            Duration outlived = Duration.ofNanos(System.nanoTime() - killed);
            assertThat(ProcessHandle.of(postgres)
                            .map(EmbeddedPostgresServer::running)
                            .orElse(false))
                    .as("the embedded PostgreSQL is gone within 10 s of its control plane being killed")
                    .isFalse();

            long restarting = System.nanoTime();
            try (ConfigurableApplicationContext again = new SpringApplicationBuilder(WeftApplication.class)
                    .run(
                            "--server.port=0",
                            "--spring.grpc.server.port=0",
                            "--weft.database.embedded.data-directory=" + data)) {
                Duration restart = Duration.ofNanos(System.nanoTime() - restarting);
                HttpApi restarted = new HttpApi(
                        ((WebServerApplicationContext) again).getWebServer().getPort());
                assertThat(restarted.get("/api/v1/applications/survivor").status())
                        .isEqualTo(200);
                System.out.printf(
                        "kill -9: first start %d ms, PostgreSQL gone %d ms after the kill, next start %d ms%n",
                        firstStart.toMillis(), outlived.toMillis(), restart.toMillis());
                assertThat(restart)
                        .as("the next start takes no longer than the first")
                        .isLessThan(firstStart.plusSeconds(5));
            }
        } finally {
            child.destroyForcibly();
        }
    }

    private static void awaitReady(HttpApi api, Process child, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                throw new AssertionError("the control plane exited: " + Files.readString(log));
            }
            try {
                if (api.get("/actuator/health/readiness").status() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
        throw new AssertionError("the control plane did not become ready: " + Files.readString(log));
    }
}
