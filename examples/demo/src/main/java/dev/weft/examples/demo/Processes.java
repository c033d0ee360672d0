package dev.weft.examples.demo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The processes the demo starts, each with its output in a log file (or handed line by line to a consumer); stops
 * them all, last started first, on {@link #close()} — SIGTERM, then after a grace period SIGKILL of the process
 * and every process it started (an agent's replicas). Their pids are listed in {@code <work>/pids}, one a line,
 * so the {@code run} script's trap can kill them even if this JVM is killed.
 */
public final class Processes implements AutoCloseable {

    /** One started process; {@code output} the thread copying its output lines, if they are read. */
    public record Started(
            String name,
            Process process,
            Path log,
            @Nullable Thread output) {}

    private final Path workDir;
    private final Path pidFile;
    private final List<Started> started = new ArrayList<>();

    public Processes(Path workDir) throws IOException {
        this.workDir = workDir;
        this.pidFile = workDir.resolve("pids");
        Files.createDirectories(workDir.resolve("logs"));
        Files.writeString(pidFile, "");
    }

    /** The java command running this JVM, for the children. */
    public static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** Starts a process with its output (stdout and stderr) in {@code logs/<name>.log}. */
    public synchronized Started start(String name, List<String> command) throws IOException {
        return start(name, command, java.util.Map.of());
    }

    /** As {@link #start(String, List)}, with these variables added to its environment (its children inherit them). */
    public synchronized Started start(String name, List<String> command, java.util.Map<String, String> environment)
            throws IOException {
        Path log = workDir.resolve("logs").resolve(name + ".log");
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return track(name, builder.start(), log, null);
    }

    /** Starts a process whose output lines go to {@code lines} (and to {@code logs/<name>.log}). */
    public synchronized Started start(String name, List<String> command, Consumer<String> lines) throws IOException {
        Path log = workDir.resolve("logs").resolve(name + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread pump = new Thread(
                () -> {
                    try (BufferedReader in = new BufferedReader(
                            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = in.readLine()) != null) {
                            Files.writeString(log, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                            lines.accept(line);
                        }
                    } catch (IOException e) {
                        // the process ended
                    }
                },
                name + "-output");
        pump.setDaemon(true);
        pump.start();
        return track(name, process, log, pump);
    }

    /** The processes started under a name. */
    public synchronized List<Started> named(String name) {
        return started.stream().filter(s -> s.name().equals(name)).toList();
    }

    private Started track(String name, Process process, Path log, @Nullable Thread output) {
        Started s = new Started(name, process, log, output);
        started.add(s);
        try {
            Files.writeString(pidFile, process.pid() + "\n", StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return s;
    }

    /** Sends SIGTERM to one process and waits up to {@code graceSeconds} before killing it and its children. */
    public static void stop(Started s, long graceSeconds) {
        Process p = s.process();
        List<ProcessHandle> children = p.descendants().toList();
        // SIGTERM through the handle: Process.destroy() would also close the pipe of its output, losing what it
        // prints while it stops (the load generator's table)
        p.toHandle().destroy();
        try {
            if (!p.waitFor(graceSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
        // replicas an agent could not stop in its grace period, or whose agent was killed
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        Thread output = s.output();
        if (output != null) {
            try {
                output.join(TimeUnit.SECONDS.toMillis(5)); // its last lines (the load generator's table)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Stops everything still running: every process but the first at once (the load, the agents, which stop their
     * replicas), then the first (the control plane, whose PostgreSQL stops with it).
     */
    @Override
    public synchronized void close() {
        List<Thread> stopping = new ArrayList<>();
        for (int i = started.size() - 1; i >= 1; i--) {
            Started s = started.get(i);
            if (s.process().isAlive()) {
                stopping.add(Thread.ofPlatform().start(() -> stop(s, 30)));
            }
        }
        for (Thread t : stopping) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!started.isEmpty() && started.get(0).process().isAlive()) {
            stop(started.get(0), 30);
        }
        started.clear();
    }
}
