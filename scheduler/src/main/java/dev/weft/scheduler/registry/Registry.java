package dev.weft.scheduler.registry;

import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** How other features read registered versions; versions are immutable, so results can be cached. */
public interface Registry {

    Optional<RegisteredVersion> version(String application, String version);

    Optional<RegisteredVersion> version(long versionId);

    /** A stored version with the database ids other tables refer to. */
    record RegisteredVersion(
            long id,
            String application,
            String name,
            String artifact,
            List<RegisteredComponent> components,
            List<RegisteredEdge> edges,
            VersionSpec.ConstraintsSpec constraints) {

        public RegisteredVersion {
            components = List.copyOf(components);
            edges = List.copyOf(edges);
        }

        public Optional<RegisteredComponent> component(String name) {
            return components.stream().filter(c -> c.name().equals(name)).findFirst();
        }
    }

    /** A component of a stored version. */
    record RegisteredComponent(
            long id, String name, int cpuMillis, int memoryMiB, int minReplicas, int maxReplicas, boolean ingress) {}

    /** A declared call edge of a stored version. */
    record RegisteredEdge(
            long callerId,
            String caller,
            long calleeId,
            String callee,
            @Nullable Double callsPerSecond,
            @Nullable Double bytesPerCall) {}
}
