package dev.weft.scheduler.system;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tukaani.xz.XZInputStream;

/**
 * The embedded PostgreSQL server: a real server from the binaries zonky's Maven artifacts ship, run so that it is
 * safe on a shared machine and never outlives its control plane for long.
 *
 * <ul>
 *   <li>Only the owner can reach it: it listens on 127.0.0.1 alone, has no Unix socket, and takes only password
 *       (scram-sha-256) logins; the password is random, made when the data directory is, and kept in
 *       {@code weft-password} inside it, readable by its owner only. A data directory made by an older Weft
 *       (which trusted every local connection) is migrated on start: password set in single-user mode, then
 *       {@code pg_hba.conf} rewritten; no data is touched.</li>
 *   <li>One control plane per data directory: it holds {@code weft.lock} while it runs.</li>
 *   <li>A server left running by an earlier run of ours (the control plane was killed) is stopped before a new
 *       one starts; a server Weft did not start is refused with one line saying what to do.</li>
 *   <li>A watchdog process waits on a pipe from the control plane; when the control plane is gone, however it
 *       ended (even {@code kill -9}), the pipe closes and the watchdog stops the server within a second or two.
 *       It checks the server's command line for this run's token first, so it never stops a later run's server.</li>
 * </ul>
 */
public final class EmbeddedPostgresServer implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    static final String PASSWORD_FILE = "weft-password";
    static final String LOCK_FILE = "weft.lock";
    static final String INSTANCE_SETTING = "weft.instance";
    static final String HBA_MARKER = "# Written by Weft";
    private static final boolean WINDOWS =
            System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");

    // Stops the server (its PID in $1) when its standard input closes, which happens when the control plane's
    // process is gone however it ended; signals that end the control plane (Ctrl-C, a closed terminal) are ignored.
    private static final String WATCHDOG = """
            trap '' INT TERM HUP
            cat >/dev/null 2>&1
            args=$(tr '\\000' ' ' < "/proc/$1/cmdline" 2>/dev/null || ps -o args= -p "$1" 2>/dev/null)
            case "$args" in *"$2"*) ;; *) exit 0 ;; esac
            kill -INT "$1" 2>/dev/null
            i=0
            while kill -0 "$1" 2>/dev/null; do
              case $(cat "/proc/$1/stat" 2>/dev/null) in *") Z "*) exit 0 ;; esac
              i=$((i + 1))
              if [ "$i" -ge 400 ]; then kill -QUIT "$1" 2>/dev/null; exit 0; fi
              sleep 0.05
            done
            """;

    private final Path dataDirectory;
    private final Path binaries;
    private final int port;
    private final String password;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final @Nullable Process watchdog;
    private final long pid;
    private final boolean throwaway;
    private boolean closed;

    private EmbeddedPostgresServer(
            Path dataDirectory,
            Path binaries,
            int port,
            String password,
            FileChannel lockChannel,
            FileLock lock,
            @Nullable Process watchdog,
            long pid,
            boolean throwaway) {
        this.dataDirectory = dataDirectory;
        this.binaries = binaries;
        this.port = port;
        this.password = password;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.watchdog = watchdog;
        this.pid = pid;
        this.throwaway = throwaway;
    }

    /** How to start it. {@code throwaway}: a data directory wiped afterwards, so durability does not matter. */
    record Settings(Path dataDirectory, int port, boolean throwaway, boolean watchdog) {}

    public int getPort() {
        return port;
    }

    /** The PID of the postmaster. */
    public long pid() {
        return pid;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    public String username() {
        return "postgres";
    }

    public String password() {
        return password;
    }

    static EmbeddedPostgresServer start(Settings settings) throws IOException {
        Path dir = settings.dataDirectory().toAbsolutePath().normalize();
        Path bin = binaries();
        Files.createDirectories(dir);
        if (!Files.exists(dir.resolve("PG_VERSION"))) {
            initialise(bin, dir);
        }
        FileChannel channel =
                FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new EmbeddedDatabaseException(
                    "Another Weft control plane is using the embedded database in " + dir + " (it holds "
                            + dir.resolve(LOCK_FILE) + ")",
                    "Stop that control plane, or give this one another directory with"
                            + " weft.database.embedded.data-directory (or WEFT_DATABASE_EMBEDDED_DATA_DIRECTORY)");
        }
        try {
            refuseOldVersionOwner(dir);
            stopLeftover(bin, dir);
            String password = secure(bin, dir);
            int port = settings.port() == 0 ? freePort() : settings.port();
            String token = UUID.randomUUID().toString();
            List<String> options = new ArrayList<>(List.of(
                    "-p", String.valueOf(port),
                    "-c", "listen_addresses=127.0.0.1",
                    "-c", WINDOWS ? "unix_socket_directories=" : "unix_socket_directories=''",
                    "-c", "max_connections=200",
                    "-c", "timezone=UTC",
                    "-c", "synchronous_commit=off",
                    "-c", "password_encryption=scram-sha-256",
                    "-c", INSTANCE_SETTING + "=" + token));
            if (settings.throwaway()) {
                options.add("-F"); // no fsync for a directory wiped afterwards
            }
            Files.createDirectories(dir.resolve("log"));
            run(
                    List.of(
                            pg(bin, "pg_ctl"),
                            "-D",
                            dir.toString(),
                            "-l",
                            dir.resolve("log").resolve("postgres.log").toString(),
                            "-w",
                            "-t",
                            "120",
                            "-o",
                            String.join(" ", options),
                            "start"),
                    "start the embedded PostgreSQL server (its log: "
                            + dir.resolve("log").resolve("postgres.log") + ")");
            long pid = postmasterPid(dir).orElseThrow(() -> new IOException("postmaster.pid is missing after start"));
            Process watchdog = settings.watchdog() && !WINDOWS ? watchdog(pid, token) : null;
            return new EmbeddedPostgresServer(
                    dir, bin, port, password, channel, lock, watchdog, pid, settings.throwaway());
        } catch (IOException | RuntimeException e) {
            lock.release();
            channel.close();
            throw e;
        }
    }

    /** The postmaster's PID, from the first line of {@code postmaster.pid}. */
    static Optional<Long> postmasterPid(Path dir) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("postmaster.pid"));
            return lines.isEmpty()
                    ? Optional.empty()
                    : Optional.of(Long.parseLong(lines.getFirst().trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void initialise(Path bin, Path dir) throws IOException {
        Path secret = Files.createTempFile("weft-initdb", ".pw", PosixFilePermissions.asFileAttribute(ownerOnly()));
        try {
            String password = newPassword();
            Files.writeString(secret, password + "\n");
            run(
                    List.of(
                            pg(bin, "initdb"),
                            "-D",
                            dir.toString(),
                            "-U",
                            "postgres",
                            "-E",
                            "UTF-8",
                            "-A",
                            "scram-sha-256",
                            "--pwfile=" + secret),
                    "create the embedded database in " + dir);
            writeHba(dir);
            writePassword(dir, password);
            log.info(
                    "Created the embedded PostgreSQL database in {} (password in {})", dir, dir.resolve(PASSWORD_FILE));
        } finally {
            Files.deleteIfExists(secret);
        }
    }

    /**
     * Makes sure the server takes only the password in {@code weft-password}: a directory made by an older Weft
     * (trusting every local connection) or one whose password file was lost gets a new password, set in
     * single-user mode, where no connection is possible.
     */
    private static String secure(Path bin, Path dir) throws IOException {
        Path file = dir.resolve(PASSWORD_FILE);
        Path hba = dir.resolve("pg_hba.conf");
        boolean ours = Files.exists(hba) && Files.readString(hba).startsWith(HBA_MARKER);
        if (Files.exists(file) && ours) {
            restrict(file);
            return Files.readString(file).trim();
        }
        String password = newPassword();
        ProcessBuilder single = new ProcessBuilder(command(List.of(
                        pg(bin, "postgres"), "--single", "-D", dir.toString(), "-c", "listen_addresses=", "postgres")))
                .redirectErrorStream(true);
        Process process = single.start();
        process.getOutputStream()
                .write(("ALTER ROLE postgres PASSWORD '" + password + "';\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0 || output.contains("ERROR")) {
                throw new IOException("could not set the embedded database's password: " + output.trim());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while setting the embedded database's password", e);
        }
        writeHba(dir);
        writePassword(dir, password);
        log.warn(
                "Secured the embedded PostgreSQL database in {}: it now takes only password (scram-sha-256) logins on"
                        + " 127.0.0.1, with the password in {} (it {})",
                dir,
                file,
                ours ? "had lost its password file" : "trusted every local connection before");
        return password;
    }

    private static void writeHba(Path dir) throws IOException {
        Files.writeString(dir.resolve("pg_hba.conf"), HBA_MARKER + """
                : only password logins from this machine, over TCP on 127.0.0.1 (there is no Unix socket).
                # TYPE  DATABASE  USER  ADDRESS       METHOD
                host    all       all   127.0.0.1/32  scram-sha-256
                """);
        restrict(dir.resolve("pg_hba.conf"));
    }

    private static void writePassword(Path dir, String password) throws IOException {
        Path file = dir.resolve(PASSWORD_FILE);
        Path next = dir.resolve(PASSWORD_FILE + ".new");
        Files.deleteIfExists(next);
        Files.createFile(next, PosixFilePermissions.asFileAttribute(ownerOnly()));
        Files.writeString(next, password + "\n");
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void restrict(Path file) throws IOException {
        if (!WINDOWS) {
            Files.setPosixFilePermissions(file, ownerOnly());
        }
    }

    private static Set<PosixFilePermission> ownerOnly() {
        return PosixFilePermissions.fromString("rw-------");
    }

    private static String newPassword() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The version of Weft before this one let zonky's library run the server; it held {@code epg-lock}. */
    private static void refuseOldVersionOwner(Path dir) throws IOException {
        Path old = dir.resolve("epg-lock");
        if (!Files.exists(old)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(old, StandardOpenOption.WRITE)) {
            FileLock held = channel.tryLock();
            if (held == null) {
                throw new EmbeddedDatabaseException(
                        "An older Weft control plane is using the embedded database in " + dir,
                        "Stop it, or set weft.database.embedded.data-directory to another directory");
            }
            held.release();
        } catch (OverlappingFileLockException sameProcess) {
            throw new EmbeddedDatabaseException(
                    "This process already uses the embedded database in " + dir,
                    "Give each control plane its own weft.database.embedded.data-directory");
        }
        Files.deleteIfExists(old);
    }

    /**
     * A server still running on this directory while we hold its lock was left by a run that ended without
     * stopping it: stop it if it is ours, refuse to start if it is not.
     */
    private static void stopLeftover(Path bin, Path dir) throws IOException {
        Optional<Long> pid = postmasterPid(dir);
        if (pid.isEmpty()) {
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid.get()).filter(EmbeddedPostgresServer::running);
        if (process.isEmpty()) {
            return; // a stale postmaster.pid: PostgreSQL replaces it itself
        }
        String command = process.get().info().commandLine().orElse("");
        String executable = process.get().info().command().orElse("");
        if (command.contains(INSTANCE_SETTING + "=") || startedByOlderWeft(command)) {
            log.warn(
                    "Stopping the embedded PostgreSQL server (PID {}) that an earlier run of the control plane left"
                            + " running on {}",
                    pid.get(),
                    dir);
            run(
                    List.of(pg(bin, "pg_ctl"), "-D", dir.toString(), "-m", "fast", "-w", "-t", "60", "stop"),
                    "stop the PostgreSQL server (PID " + pid.get() + ") left running on " + dir);
            return;
        }
        String name = Path.of(executable.isEmpty() ? "unknown" : executable)
                .getFileName()
                .toString();
        if (!executable.isEmpty() && !name.startsWith("postgres") && !name.startsWith("postmaster")) {
            // the PID was reused by another program since the server that wrote the file ended
            log.info("Removing a stale {} (PID {} is now {})", dir.resolve("postmaster.pid"), pid.get(), executable);
            Files.deleteIfExists(dir.resolve("postmaster.pid"));
            return;
        }
        throw new EmbeddedDatabaseException(
                "The embedded database directory " + dir + " is in use by a PostgreSQL server that Weft did not start"
                        + " (PID " + pid.get() + (executable.isEmpty() ? "" : ", " + executable) + ")",
                "Stop that server (pg_ctl -D " + dir + " stop), or set weft.database.embedded.data-directory to"
                        + " another directory");
    }

    /**
     * Whether a process runs: alive and, on Linux, not a zombie. A server that ended is a zombie until its parent
     * reaps it, which in a container whose first process reaps nothing may be never.
     */
    static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        Path stat = Path.of("/proc", String.valueOf(process.pid()), "stat");
        try {
            String text = Files.readString(stat);
            int end = text.lastIndexOf(')');
            return end < 0 || end + 2 >= text.length() || text.charAt(end + 2) != 'Z';
        } catch (IOException | RuntimeException noProc) {
            return true;
        }
    }

    /** The options the previous version of Weft (through zonky's library) started its servers with. */
    private static boolean startedByOlderWeft(String command) {
        return command.contains(" -F ")
                && command.contains("synchronous_commit=off")
                && command.contains("max_connections=200");
    }

    private static Process watchdog(long pid, String token) throws IOException {
        // In a session of its own (setsid, where there is one), so that killing the control plane's whole process
        // group (kill -9 -- -PGID, a CI job's timeout) does not take the watchdog with it and leave the server behind.
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid");
        }
        command.addAll(List.of("/bin/sh", "-c", WATCHDOG, "weft-postgres-watchdog", String.valueOf(pid), token));
        return new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String pg(Path bin, String name) {
        return bin.resolve("bin").resolve(WINDOWS ? name + ".exe" : name).toString();
    }

    /**
     * The command to run a PostgreSQL program. PostgreSQL refuses to run as root; as root on Linux it runs in a user
     * namespace of its own ({@code unshare -U}), where it is an unprivileged user, as zonky's own library does.
     */
    static List<String> command(List<String> command) {
        if (!LinuxUtils.isUnshareAvailable()) {
            return command;
        }
        List<String> unshared = new ArrayList<>(List.of("unshare", "-U"));
        unshared.addAll(command);
        return unshared;
    }

    private static void run(List<String> command, String what) throws IOException {
        Process process =
                new ProcessBuilder(command(command)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (process.waitFor() != 0) {
                throw new IOException("Could not " + what + ": " + output.trim());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while trying to " + what, e);
        }
    }

    /** Unpacks the PostgreSQL binaries of zonky's artifact once per machine, where zonky's own library puts them. */
    static Path binaries() throws IOException {
        String os = System.getProperty("os.name", "");
        String system = os.startsWith("Windows") ? "Windows" : os.startsWith("Mac") ? "Darwin" : "Linux";
        String arch = System.getProperty("os.arch", "");
        String machine = "amd64".equals(arch) ? "x86_64" : arch;
        byte[] archive;
        try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machine)) {
            if (in == null) {
                throw new IOException("No embedded PostgreSQL binaries for " + system + " " + machine);
            }
            archive = in.readAllBytes();
        }
        String digest;
        try {
            digest = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(archive));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Path root = Path.of(System.getProperty(
                "ot.epg.working-dir",
                Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg").toString()));
        Path dir = root.resolve("PG-" + digest);
        Path done = dir.resolve(".exists");
        if (Files.exists(done)) {
            return dir;
        }
        Files.createDirectories(dir);
        try (FileChannel channel = FileChannel.open(
                        dir.resolve("weft-unpack.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = channel.lock()) {
            if (Files.exists(done)) {
                return dir;
            }
            try (TarArchiveInputStream tar =
                    new TarArchiveInputStream(new XZInputStream(new ByteArrayInputStream(archive)))) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    Path target = dir.resolve(entry.getName()).normalize();
                    if (!target.startsWith(dir)) {
                        throw new IOException("Unsafe path in the PostgreSQL archive: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(target);
                    } else if (entry.isSymbolicLink()) {
                        Files.createDirectories(target.getParent());
                        Files.deleteIfExists(target);
                        Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                        if (entry.getName().startsWith("bin/")
                                || entry.getName().startsWith("./bin/")) {
                            target.toFile().setExecutable(true);
                        }
                    }
                }
            }
            Files.createFile(done);
        }
        return dir;
    }

    /** Stops the server and the watchdog, and lets go of the data directory. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            run(
                    List.of(
                            pg(binaries, "pg_ctl"),
                            "-D",
                            dataDirectory.toString(),
                            "-m",
                            "fast",
                            "-w",
                            "-t",
                            "60",
                            "stop"),
                    "stop the embedded PostgreSQL server");
        } catch (IOException e) {
            log.warn("{}", e.getMessage());
        } finally {
            Process dog = watchdog;
            if (dog != null) {
                dog.getOutputStream().close(); // the server is already stopped: it finds nothing to stop
            }
            lock.release();
            lockChannel.close();
            if (throwaway) {
                deleteRecursively(dataDirectory);
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Lets go of the data directory's lock and the watchdog without stopping the server, as a killed run would. */
    void abandon() throws IOException {
        closed = true;
        Process dog = watchdog;
        if (dog != null) {
            dog.destroyForcibly();
        }
        lock.release();
        lockChannel.close();
    }
}
