package dev.weft.agent.runtime;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How an agent tells a process it starts that it is a replica: arguments {@code --weft.replica.<key>=<value>}
 * on the application's command line (so a Spring Boot app sees them as properties too). Without
 * {@code --weft.replica.id} the process is not a replica.
 *
 * @param assignmentId the assignment the replica serves
 * @param application application name
 * @param version the version the replica runs (and the only one it accepts calls of)
 * @param components the components it hosts
 * @param supervisor 127.0.0.1:port of its agent's ReplicaSupervisor
 * @param token the secret to present in its ReplicaHello
 * @param deadlineMillis default deadline of its outgoing calls
 * @param exitOnDetach whether the process exits when its agent link ends (true for a replica in its own process)
 */
public record ReplicaConfig(
        String assignmentId,
        String application,
        String version,
        List<String> components,
        String supervisor,
        String token,
        long deadlineMillis,
        boolean exitOnDetach) {

    public static final String PREFIX = "--weft.replica.";

    public ReplicaConfig {
        requireNonNull(assignmentId, "assignmentId is null");
        requireNonNull(application, "application is null");
        requireNonNull(version, "version is null");
        components = List.copyOf(components);
        requireNonNull(supervisor, "supervisor is null");
        requireNonNull(token, "token is null");
        if (deadlineMillis <= 0) {
            throw new IllegalArgumentException("deadline-millis must be > 0, was " + deadlineMillis);
        }
    }

    /** The replica configuration in these arguments, if any; a partial one is refused naming what is missing. */
    public static Optional<ReplicaConfig> fromArgs(String... args) {
        Map<String, String> values = new HashMap<>();
        for (String arg : args) {
            if (arg.startsWith(PREFIX) && arg.indexOf('=') > 0) {
                values.put(arg.substring(PREFIX.length(), arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            }
        }
        if (!values.containsKey("id")) {
            return Optional.empty();
        }
        return Optional.of(new ReplicaConfig(
                required(values, "id"),
                required(values, "application"),
                required(values, "version"),
                List.of(required(values, "components").split(",")),
                required(values, "supervisor"),
                required(values, "token"),
                Long.parseLong(values.getOrDefault("deadline-millis", "10000")),
                Boolean.parseBoolean(values.getOrDefault("exit-on-detach", "false"))));
    }

    private static String required(Map<String, String> values, String key) {
        @Nullable String value = values.get(key);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("replica argument " + PREFIX + key + " is missing");
        }
        return value;
    }

    /** These settings as command-line arguments. */
    public List<String> toArgs() {
        return List.of(
                PREFIX + "id=" + assignmentId,
                PREFIX + "application=" + application,
                PREFIX + "version=" + version,
                PREFIX + "components=" + String.join(",", components),
                PREFIX + "supervisor=" + supervisor,
                PREFIX + "token=" + token,
                PREFIX + "deadline-millis=" + deadlineMillis,
                PREFIX + "exit-on-detach=" + exitOnDetach);
    }
}
