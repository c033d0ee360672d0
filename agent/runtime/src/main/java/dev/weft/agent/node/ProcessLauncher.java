package dev.weft.agent.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Each replica in its own JVM: {@code java <jvm options> [-Xmx] -cp <class path> <main> <args>} (or
 * {@code -jar <jar>} for a runnable jar), its output appended to {@code <log dir>/<assignment>.log}. A replica
 * is given 75 % of its memory allowance as heap ({@code -Xmx}), the rest for the JVM's own use.
 */
public final class ProcessLauncher implements ReplicaLauncher {

    private final String java;
    private final List<String> jvmOptions;
    private final Path logDirectory;

    public ProcessLauncher(String java, List<String> jvmOptions, Path logDirectory) {
        this.java = java;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.logDirectory = logDirectory;
    }

    /** The java binary of this JVM. */
    public static String currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public Launched launch(Artifact artifact, List<String> args, int memoryMib, String logName) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmOptions);
        if (memoryMib > 0 && jvmOptions.stream().noneMatch(o -> o.startsWith("-Xmx"))) {
            command.add("-Xmx" + Math.max(16, memoryMib * 3 / 4) + "m");
        }
        if (artifact.mainClass() == null) {
            command.add("-jar");
            command.add(artifact.classPath().get(0).toString());
        } else {
            command.add("-cp");
            command.add(artifact.classPathString());
            command.add(artifact.mainClass());
        }
        command.addAll(args);
        Files.createDirectories(logDirectory);
        Path log = logDirectory.resolve(logName.replaceAll("[^A-Za-z0-9._-]", "_") + ".log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        return new Launched() {
            @Override
            public long pid() {
                return process.pid();
            }

            @Override
            public CompletableFuture<Integer> exit() {
                return process.onExit().thenApply(Process::exitValue);
            }

            @Override
            public void stop(Duration grace) {
                process.destroy();
                try {
                    if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                        process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    process.destroyForcibly();
                }
            }
        };
    }
}
