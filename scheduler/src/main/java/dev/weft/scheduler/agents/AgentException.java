package dev.weft.scheduler.agents;

import static java.util.Objects.requireNonNull;

/** A rejected agent message: its code decides the gRPC status, its message names the problem. */
final class AgentException extends RuntimeException {

    private final AgentError error;
    private final String detail;

    AgentException(AgentError error, String message) {
        super(requireNonNull(message, "message is null"), null, false, false);
        this.error = requireNonNull(error, "error is null");
        this.detail = message;
    }

    /** What was wrong, naming the field; never null (unlike {@link #getMessage()} as the JDK declares it). */
    String detail() {
        return detail;
    }

    AgentError error() {
        return error;
    }
}
