package dev.weft.scheduler.agents;

import static java.util.Objects.requireNonNull;

/** A rejected agent message: its code decides the gRPC status, its message names the problem. */
final class AgentException extends RuntimeException {

    private final AgentError error;

    AgentException(AgentError error, String message) {
        super(requireNonNull(message, "message is null"), null, false, false);
        this.error = requireNonNull(error, "error is null");
    }

    AgentError error() {
        return error;
    }
}
