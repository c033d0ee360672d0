package dev.weft.scheduler.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL is the owner's alone (a password only it can read, 127.0.0.1, no Unix socket), takes
 * over a data directory of the older, trusting version without losing data, stops a server an earlier run left
 * behind, and refuses in one line a server Weft did not start or a second control plane on the same directory.
 */
class EmbeddedDatabaseSafetyTest {

    @TempDir
    Path temp;

    private static EmbeddedPostgresServer start(Path dir, boolean watchdog) throws IOException {
        return EmbeddedPostgresServer.start(new EmbeddedPostgresServer.Settings(dir, 0, false, watchdog));
    }

    private static Connection connect(EmbeddedPostgresServer server, String password) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(), server.username(), password);
    }

    private static String one(Connection c, String sql) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void aNewDatabaseTakesOnlyThePasswordItsOwnerCanRead() throws Exception {
        Path dir = temp.resolve("pg");
        try (EmbeddedPostgresServer server = start(dir, true)) {
            Path password = dir.resolve(EmbeddedPostgresServer.PASSWORD_FILE);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(password)))
                    .isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                    .isEqualTo("rwx------");
            assertThat(Files.readString(dir.resolve("pg_hba.conf")))
                    .contains("scram-sha-256")
                    .doesNotContain("trust")
                    .doesNotContain("local ");
            try (Connection c = connect(server, Files.readString(password).trim())) {
                assertThat(one(c, "show listen_addresses")).isEqualTo("127.0.0.1");
                assertThat(one(c, "show unix_socket_directories")).isEmpty();
                assertThat(one(c, "show password_encryption")).isEqualTo("scram-sha-256");
                assertThat(one(c, "select rolpassword from pg_authid where rolname = 'postgres'"))
                        .startsWith("SCRAM-SHA-256$");
            }
            assertThatThrownBy(() -> connect(server, "wrong").close())
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("password authentication failed");
            assertThatThrownBy(() -> DriverManager.getConnection(server.jdbcUrl(), "postgres", null)
                            .close())
                    .isInstanceOf(SQLException.class);
            assertThat(Files.exists(Path.of("/tmp/.s.PGSQL." + server.getPort())))
                    .isFalse();
            anotherUserIsRefused(server, password);
        }
    }

    /** As uid nobody, as the issue tried: neither the server nor the password file lets it in. */
    private static void anotherUserIsRefused(EmbeddedPostgresServer server, Path password) throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        boolean tools =
                Files.isExecutable(Path.of("/usr/sbin/runuser")) || Files.isExecutable(Path.of("/sbin/runuser"));
        boolean psql = Files.isExecutable(Path.of("/usr/bin/psql"));
        assumeTrue(root && tools && psql, "needs root, runuser and psql to act as another user");
        Process connectAsNobody = new ProcessBuilder(
                        "runuser",
                        "-u",
                        "nobody",
                        "--",
                        "psql",
                        "-h",
                        "127.0.0.1",
                        "-p",
                        String.valueOf(server.getPort()),
                        "-U",
                        "postgres",
                        "-w",
                        "-c",
                        "select 1")
                .redirectErrorStream(true)
                .start();
        String said = new String(connectAsNobody.getInputStream().readAllBytes());
        assertThat(connectAsNobody.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(connectAsNobody.exitValue()).as(said).isNotZero();
        assertThat(said).contains("password");
        Process readAsNobody = new ProcessBuilder("runuser", "-u", "nobody", "--", "cat", password.toString())
                .redirectErrorStream(true)
                .start();
        String read = new String(readAsNobody.getInputStream().readAllBytes());
        assertThat(readAsNobody.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(readAsNobody.exitValue()).as(read).isNotZero();
    }

    @Test
    void aDirectoryMadeByTheOlderVersionIsSecuredAndKeepsItsData() throws Exception {
        Path dir = temp.resolve("old");
        // how the previous version ran it: zonky's library, trusting every local connection
        try (EmbeddedPostgres old = EmbeddedPostgres.builder()
                        .setDataDirectory(dir)
                        .setCleanDataDirectory(false)
                        .setServerConfig("max_connections", "200")
                        .start();
                Connection c = old.getPostgresDatabase().getConnection()) {
            c.createStatement().execute("create table legacy (v text); insert into legacy values ('kept')");
        }
        assertThat(Files.readString(dir.resolve("pg_hba.conf"))).contains("trust");
        try (EmbeddedPostgresServer server = start(dir, true)) {
            String password = Files.readString(dir.resolve(EmbeddedPostgresServer.PASSWORD_FILE))
                    .trim();
            try (Connection c = connect(server, password)) {
                assertThat(one(c, "select v from legacy")).isEqualTo("kept");
            }
            assertThat(Files.readString(dir.resolve("pg_hba.conf"))).doesNotContain("trust");
            assertThatThrownBy(() -> connect(server, "").close()).isInstanceOf(SQLException.class);
        }
        // and the next start needs no migration: the same password still works
        String password = Files.readString(dir.resolve(EmbeddedPostgresServer.PASSWORD_FILE))
                .trim();
        try (EmbeddedPostgresServer again = start(dir, true);
                Connection c = connect(again, password)) {
            assertThat(one(c, "select v from legacy")).isEqualTo("kept");
        }
    }

    @Test
    void aServerAnEarlierRunLeftBehindIsStoppedAndItsDataKept() throws Exception {
        Path dir = temp.resolve("left");
        EmbeddedPostgresServer first = start(dir, false);
        String password = first.password();
        try (Connection c = connect(first, password)) {
            c.createStatement().execute("create table survivor (v text); insert into survivor values ('here')");
        }
        long leftBehind = first.pid();
        first.abandon(); // as a killed control plane would: the server runs on, nobody holds the directory
        assertThat(ProcessHandle.of(leftBehind).map(EmbeddedPostgresServer::running))
                .contains(true);
        try (EmbeddedPostgresServer second = start(dir, true);
                Connection c = connect(second, password)) {
            assertThat(second.pid()).isNotEqualTo(leftBehind);
            assertThat(ProcessHandle.of(leftBehind)
                            .map(EmbeddedPostgresServer::running)
                            .orElse(false))
                    .isFalse();
            assertThatThrownBy(() -> DriverManager.getConnection(
                                    "jdbc:postgresql://127.0.0.1:" + first.getPort() + "/postgres",
                                    "postgres",
                                    password)
                            .close())
                    .as("the server left behind no longer answers")
                    .isInstanceOf(SQLException.class);
            assertThat(one(c, "select v from survivor")).isEqualTo("here");
        }
    }

    @Test
    void aServerWeftDidNotStartIsRefusedInOneLineThatSaysWhatToDo() throws Exception {
        Path dir = temp.resolve("foreign");
        start(dir, false).close();
        Path pgCtl = EmbeddedPostgresServer.binaries().resolve("bin").resolve("pg_ctl");
        int port;
        try (var socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        run(
                pgCtl.toString(),
                "-D",
                dir.toString(),
                "-w",
                "-l",
                temp.resolve("foreign.log").toString(),
                "-o",
                "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''",
                "start");
        try {
            long pid = EmbeddedPostgresServer.postmasterPid(dir).orElseThrow();
            assertThatThrownBy(() -> start(dir, true))
                    .isInstanceOf(EmbeddedDatabaseException.class)
                    .hasMessageContaining("is in use by a PostgreSQL server that Weft did not start")
                    .hasMessageContaining("PID " + pid)
                    .satisfies(e -> assertThat(((EmbeddedDatabaseException) e).action())
                            .contains("pg_ctl -D " + dir.toAbsolutePath().normalize() + " stop")
                            .contains("weft.database.embedded.data-directory"));
            assertThat(ProcessHandle.of(pid).map(EmbeddedPostgresServer::running))
                    .as("left alone")
                    .contains(true);
        } finally {
            run(pgCtl.toString(), "-D", dir.toString(), "-m", "fast", "-w", "stop");
        }
    }

    @Test
    void aSecondControlPlaneOnTheSameDirectoryIsRefused() throws Exception {
        Path dir = temp.resolve("shared");
        try (EmbeddedPostgresServer first = start(dir, true)) {
            assertThatThrownBy(() -> start(dir, true))
                    .isInstanceOf(EmbeddedDatabaseException.class)
                    .hasMessageContaining("is using the embedded database in");
            try (Connection c = connect(first, first.password())) {
                assertThat(one(c, "select 1")).isEqualTo("1");
            }
        }
    }

    @Test
    void aPidFileNamingAProcessThatIsNoPostgresIsStale() throws Exception {
        Path dir = temp.resolve("stale");
        start(dir, false).close();
        // this JVM's PID: alive, and no PostgreSQL server (PostgreSQL itself would refuse to start)
        Files.writeString(
                dir.resolve("postmaster.pid"), ProcessHandle.current().pid() + "\n" + dir + "\n0\n5432\n\n\n");
        try (EmbeddedPostgresServer server = start(dir, true);
                Connection c = connect(server, server.password())) {
            assertThat(one(c, "select 1")).isEqualTo("1");
        }
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(EmbeddedPostgresServer.command(List.of(command)))
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();
    }
}
