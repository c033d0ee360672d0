package dev.weft.scheduler.registry;

import dev.weft.scheduler.system.ErrorCode;
import io.grpc.Status;
import org.springframework.http.HttpStatus;

/** Everything that can go wrong when registering, reading or deleting applications and versions. */
public enum RegistryError implements ErrorCode {
    APPLICATION_NOT_FOUND(HttpStatus.NOT_FOUND, Status.Code.NOT_FOUND, "Application not found"),
    APPLICATION_EXISTS(HttpStatus.CONFLICT, Status.Code.ALREADY_EXISTS, "Application already exists"),
    APPLICATION_IN_USE(HttpStatus.CONFLICT, Status.Code.FAILED_PRECONDITION, "Application still has a running version"),
    VERSION_NOT_FOUND(HttpStatus.NOT_FOUND, Status.Code.NOT_FOUND, "Version not found"),
    VERSION_CONFLICT(HttpStatus.CONFLICT, Status.Code.ALREADY_EXISTS, "Version exists with a different spec"),
    VERSION_IN_USE(HttpStatus.CONFLICT, Status.Code.FAILED_PRECONDITION, "Version is serving traffic"),
    MISSING_FIELD(HttpStatus.BAD_REQUEST, Status.Code.INVALID_ARGUMENT, "A required field is missing"),
    INVALID_NAME(HttpStatus.BAD_REQUEST, Status.Code.INVALID_ARGUMENT, "Name is not a valid DNS-label-like name"),
    INVALID_ARTIFACT(HttpStatus.BAD_REQUEST, Status.Code.INVALID_ARGUMENT, "Artifact reference is invalid"),
    TOO_MANY_COMPONENTS(HttpStatus.BAD_REQUEST, Status.Code.INVALID_ARGUMENT, "Too many components in one version"),
    TOO_MANY_EDGES(HttpStatus.BAD_REQUEST, Status.Code.INVALID_ARGUMENT, "Too many call edges in one version"),
    NO_COMPONENTS(HttpStatus.BAD_REQUEST, Status.Code.INVALID_ARGUMENT, "A version needs at least one component"),
    DUPLICATE_COMPONENT(HttpStatus.BAD_REQUEST, Status.Code.INVALID_ARGUMENT, "Component declared twice"),
    DUPLICATE_EDGE(HttpStatus.BAD_REQUEST, Status.Code.INVALID_ARGUMENT, "Call edge declared twice"),
    UNKNOWN_COMPONENT(
            HttpStatus.BAD_REQUEST,
            Status.Code.INVALID_ARGUMENT,
            "Reference to a component the version does not declare"),
    SELF_EDGE(HttpStatus.BAD_REQUEST, Status.Code.INVALID_ARGUMENT, "A component cannot declare a call to itself"),
    INVALID_RESOURCE(HttpStatus.BAD_REQUEST, Status.Code.INVALID_ARGUMENT, "Resource hint out of range"),
    INVALID_REPLICAS(HttpStatus.BAD_REQUEST, Status.Code.INVALID_ARGUMENT, "Replica bounds out of range or crossed"),
    INVALID_LOAD(HttpStatus.BAD_REQUEST, Status.Code.INVALID_ARGUMENT, "Expected load out of range"),
    INVALID_CONSTRAINT(HttpStatus.BAD_REQUEST, Status.Code.INVALID_ARGUMENT, "Constraint is malformed"),
    CONTRADICTORY_CONSTRAINTS(
            HttpStatus.BAD_REQUEST, Status.Code.INVALID_ARGUMENT, "Constraints contradict each other");

    private final HttpStatus httpStatus;
    private final Status.Code grpcStatus;
    private final String title;

    RegistryError(HttpStatus httpStatus, Status.Code grpcStatus, String title) {
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
}
