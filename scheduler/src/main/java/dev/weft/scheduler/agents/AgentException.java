package dev.weft.scheduler.agents;

import static java.util.Objects.requireNonNull;

import dev.weft.scheduler.violations.Violations;
import org.jspecify.annotations.Nullable;

/** A rejected agent message: its code decides the gRPC status, its message names the problem. */
final class AgentException extends RuntimeException {

    private final AgentError error;
    private final String detail;
    private final Violations.@Nullable Observed evidence;

    AgentException(AgentError error, String message) {
        this(error, message, null);
    }

    /** A refusal that is also evidence of calls across versions (a load report's edge between two versions). */
    AgentException(AgentError error, String message, Violations.@Nullable Observed evidence) {
        super(requireNonNull(message, "message is null"), null, false, false);
        this.error = requireNonNull(error, "error is null");
        this.detail = message;
        this.evidence = evidence;
    }

    /** The cross-version calls this refusal is evidence of, if any. */
    Violations.@Nullable Observed evidence() {
        return evidence;
    }

    /** What was wrong, naming the field; never null (unlike {@link #getMessage()} as the JDK declares it). */
    String detail() {
        return detail;
    }

    AgentError error() {
        return error;
    }
}
