package dev.weft.scheduler.agents;

import dev.weft.scheduler.system.ErrorCode;
import io.grpc.Status;
import org.springframework.http.HttpStatus;

/** Everything that can go wrong between the control plane and an agent, or an operator and the agent registry. */
public enum AgentError implements ErrorCode {
    AGENT_NOT_FOUND(HttpStatus.NOT_FOUND, Status.Code.NOT_FOUND, "Agent not found"),
    AGENT_REVOKED(HttpStatus.CONFLICT, Status.Code.PERMISSION_DENIED, "Agent was revoked"),
    MISSING_IDENTITY(HttpStatus.BAD_REQUEST, Status.Code.INVALID_ARGUMENT, "Hello does not say which agent this is"),
    INVALID_HELLO(HttpStatus.BAD_REQUEST, Status.Code.INVALID_ARGUMENT, "Hello has an invalid field"),
    UNAUTHENTICATED(
            HttpStatus.UNAUTHORIZED,
            Status.Code.UNAUTHENTICATED,
            "Bootstrap token or session credential missing or wrong"),
    NOT_REGISTERED(HttpStatus.CONFLICT, Status.Code.FAILED_PRECONDITION, "Message sent before hello"),
    ALREADY_REGISTERED(HttpStatus.CONFLICT, Status.Code.FAILED_PRECONDITION, "Hello sent twice on one stream"),
    UNKNOWN_VERSION(HttpStatus.NOT_FOUND, Status.Code.NOT_FOUND, "Report names a version that is not registered"),
    UNKNOWN_COMPONENT(
            HttpStatus.NOT_FOUND, Status.Code.NOT_FOUND, "Report names a component its version does not have"),
    INVALID_FIGURE(HttpStatus.BAD_REQUEST, Status.Code.INVALID_ARGUMENT, "Report has a negative or non-finite figure"),
    INVALID_REPORT(HttpStatus.BAD_REQUEST, Status.Code.INVALID_ARGUMENT, "Report is malformed"),
    MESSAGE_TOO_LARGE(
            HttpStatus.CONTENT_TOO_LARGE, Status.Code.RESOURCE_EXHAUSTED, "Agent message larger than allowed"),
    RATE_LIMITED(
            HttpStatus.TOO_MANY_REQUESTS, Status.Code.RESOURCE_EXHAUSTED, "Agent sends messages faster than allowed"),
    NOT_READING(HttpStatus.TOO_MANY_REQUESTS, Status.Code.RESOURCE_EXHAUSTED, "Agent does not read its stream"),
    SUPERSEDED(HttpStatus.CONFLICT, Status.Code.ABORTED, "A newer stream of the same agent replaced this one"),
    LEASE_EXPIRED(HttpStatus.GONE, Status.Code.DEADLINE_EXCEEDED, "Agent's lease expired"),
    SHUTTING_DOWN(HttpStatus.SERVICE_UNAVAILABLE, Status.Code.UNAVAILABLE, "Control-plane node is shutting down");

    private final HttpStatus httpStatus;
    private final Status.Code grpcStatus;
    private final String title;

    AgentError(HttpStatus httpStatus, Status.Code grpcStatus, String title) {
        this.httpStatus = httpStatus;
        this.grpcStatus = grpcStatus;
        this.title = title;
    }

    @Override
    public HttpStatus httpStatus() {
        return httpStatus;
    }

    @Override
    public Status.Code grpcStatus() {
        return grpcStatus;
    }

    @Override
    public String title() {
        return title;
    }

    /** The gRPC status an agent sees for this error, with a message naming the problem. */
    Status status(String message) {
        return Status.fromCode(grpcStatus).withDescription(message);
    }
}
