package dev.weft.scheduler.events;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Something worth remembering, as a feature reports it to the {@link AuditLog}. {@code kind} is a
 * stable upper-case word such as {@code VERSION_REGISTERED}; the names say what it concerns.
 */
public record AuditEvent(
        String kind,
        @Nullable String application,
        @Nullable String version,
        @Nullable String agent,
        String message,
        Map<String, Object> details) {

    public AuditEvent {
        requireNonNull(kind, "kind is null");
        requireNonNull(message, "message is null");
        details = Map.copyOf(details);
    }

    public static AuditEvent ofApplication(String kind, String application, String message) {
        return new AuditEvent(kind, application, null, null, message, Map.of());
    }

    public static AuditEvent ofVersion(
            String kind, String application, String version, String message, Map<String, Object> details) {
        return new AuditEvent(kind, application, version, null, message, details);
    }

    public static AuditEvent ofAgent(String kind, String agent, String message, Map<String, Object> details) {
        return new AuditEvent(kind, null, null, agent, message, details);
    }
}
