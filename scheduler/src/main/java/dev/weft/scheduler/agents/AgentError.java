package dev.weft.scheduler.agents;

import dev.weft.scheduler.system.ErrorCode;
import dev.weft.scheduler.system.Problem;
import io.grpc.Status;
import org.springframework.http.HttpStatus;

/** Everything that can go wrong between the control plane and an agent, or an operator and the agent registry. */
public enum AgentError implements ErrorCode {
    @Problem(http = HttpStatus.NOT_FOUND, grpc = Status.Code.NOT_FOUND, title = "Agent not found")
    AGENT_NOT_FOUND,

    @Problem(http = HttpStatus.CONFLICT, grpc = Status.Code.PERMISSION_DENIED, title = "Agent was revoked")
    AGENT_REVOKED,

    @Problem(
            http = HttpStatus.BAD_REQUEST,
            grpc = Status.Code.INVALID_ARGUMENT,
            title = "Hello does not say which agent this is")
    MISSING_IDENTITY,

    @Problem(http = HttpStatus.BAD_REQUEST, grpc = Status.Code.INVALID_ARGUMENT, title = "Hello has an invalid field")
    INVALID_HELLO,

    @Problem(
            http = HttpStatus.UNAUTHORIZED,
            grpc = Status.Code.UNAUTHENTICATED,
            title = "Bootstrap token or session credential missing or wrong")
    UNAUTHENTICATED,

    @Problem(http = HttpStatus.CONFLICT, grpc = Status.Code.FAILED_PRECONDITION, title = "Message sent before hello")
    NOT_REGISTERED,

    @Problem(
            http = HttpStatus.CONFLICT,
            grpc = Status.Code.FAILED_PRECONDITION,
            title = "Hello sent twice on one stream")
    ALREADY_REGISTERED,

    @Problem(
            http = HttpStatus.NOT_FOUND,
            grpc = Status.Code.NOT_FOUND,
            title = "Report names a version that is not registered")
    UNKNOWN_VERSION,

    @Problem(
            http = HttpStatus.NOT_FOUND,
            grpc = Status.Code.NOT_FOUND,
            title = "Report names a component its version does not have")
    UNKNOWN_COMPONENT,

    @Problem(
            http = HttpStatus.BAD_REQUEST,
            grpc = Status.Code.INVALID_ARGUMENT,
            title = "Report has a negative or non-finite figure")
    INVALID_FIGURE,

    @Problem(http = HttpStatus.BAD_REQUEST, grpc = Status.Code.INVALID_ARGUMENT, title = "Report is malformed")
    INVALID_REPORT,

    @Problem(
            http = HttpStatus.CONTENT_TOO_LARGE,
            grpc = Status.Code.RESOURCE_EXHAUSTED,
            title = "Agent message larger than allowed")
    MESSAGE_TOO_LARGE,

    @Problem(
            http = HttpStatus.TOO_MANY_REQUESTS,
            grpc = Status.Code.RESOURCE_EXHAUSTED,
            title = "Agent sends messages faster than allowed")
    RATE_LIMITED,

    @Problem(
            http = HttpStatus.TOO_MANY_REQUESTS,
            grpc = Status.Code.RESOURCE_EXHAUSTED,
            title = "Agent does not read its stream")
    NOT_READING,

    @Problem(
            http = HttpStatus.CONFLICT,
            grpc = Status.Code.ABORTED,
            title = "A newer stream of the same agent replaced this one")
    SUPERSEDED,

    @Problem(http = HttpStatus.GONE, grpc = Status.Code.DEADLINE_EXCEEDED, title = "Agent's lease expired")
    LEASE_EXPIRED,

    @Problem(
            http = HttpStatus.SERVICE_UNAVAILABLE,
            grpc = Status.Code.UNAVAILABLE,
            title = "Control-plane node is shutting down")
    SHUTTING_DOWN
}
