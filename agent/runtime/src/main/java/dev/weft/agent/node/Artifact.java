package dev.weft.agent.node;

import static java.util.Objects.requireNonNull;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Where a version's code is, as {@code Assignment.artifact} names it. Two forms:
 *
 * <ul>
 *   <li>{@code file:/srv/shop-1.0.jar} — a runnable jar (its manifest names the main class), or
 *       {@code file:/srv/shop-1.0.jar#com.example.Main} to name the main class;
 *   <li>{@code classpath:/srv/shop/classes:/srv/shop/lib/a.jar#com.example.Main} — a class path (entries
 *       separated by the platform's path separator, {@code :} on Linux) and the main class, e.g. a Maven-built
 *       {@code target/classes} with its dependencies.
 * </ul>
 *
 * Paths are absolute. The main class hands over to Weft with {@code Weft.run(app, args)} (or is a Spring Boot
 * application with the Weft starter).
 *
 * @param classPath jars and directories
 * @param mainClass the main class, or null to run the jar's own (only for a single jar)
 */
public record Artifact(List<Path> classPath, @Nullable String mainClass) {

    public Artifact {
        classPath = List.copyOf(classPath);
        if (classPath.isEmpty()) {
            throw new IllegalArgumentException("artifact has an empty class path");
        }
        if (mainClass == null && classPath.size() != 1) {
            throw new IllegalArgumentException("a class path artifact must name its main class after '#'");
        }
    }

    /** Parses and checks an artifact reference; the message of a refusal says what is wrong with it. */
    public static Artifact parse(String reference) {
        requireNonNull(reference, "reference is null");
        String main = null;
        String body = reference;
        int hash = reference.lastIndexOf('#');
        if (hash >= 0) {
            main = reference.substring(hash + 1);
            body = reference.substring(0, hash);
            if (!main.matches("[A-Za-z_$][\\w$]*(\\.[A-Za-z_$][\\w$]*)*")) {
                throw new IllegalArgumentException(
                        "artifact '" + reference + "': '" + main + "' after '#' is not a Java class name");
            }
        }
        List<Path> paths = new ArrayList<>();
        if (body.startsWith("file:")) {
            paths.add(Path.of(body.substring("file:".length())));
        } else if (body.startsWith("classpath:")) {
            if (main == null) {
                throw new IllegalArgumentException(
                        "artifact '" + reference + "': a classpath: artifact must name its main class after '#'");
            }
            for (String entry : body.substring("classpath:".length()).split(File.pathSeparator)) {
                if (!entry.isEmpty()) {
                    paths.add(Path.of(entry));
                }
            }
        } else {
            throw new IllegalArgumentException("artifact '" + reference + "' is not supported by this agent: it runs "
                    + "'file:/path/app.jar[#MainClass]' and 'classpath:/dir:/x.jar#MainClass'");
        }
        for (Path path : paths) {
            if (!path.isAbsolute()) {
                throw new IllegalArgumentException("artifact '" + reference + "': path " + path + " is not absolute");
            }
            if (!Files.exists(path)) {
                throw new IllegalArgumentException("artifact '" + reference + "': " + path + " does not exist");
            }
        }
        if (body.startsWith("file:") && !Files.isRegularFile(paths.get(0))) {
            throw new IllegalArgumentException("artifact '" + reference + "': " + paths.get(0) + " is not a jar file");
        }
        return new Artifact(paths, main);
    }

    /** The class path as one string. */
    public String classPathString() {
        return String.join(
                File.pathSeparator, classPath.stream().map(Path::toString).toList());
    }
}
