package dev.weft.scheduler.registry;

import dev.weft.scheduler.system.ErrorCode;
import dev.weft.scheduler.system.Problem;
import io.grpc.Status;
import org.springframework.http.HttpStatus;

/** Everything that can go wrong when registering, reading or deleting applications and versions. */
public enum RegistryError implements ErrorCode {
    @Problem(http = HttpStatus.NOT_FOUND, grpc = Status.Code.NOT_FOUND, title = "Application not found")
    APPLICATION_NOT_FOUND,

    @Problem(http = HttpStatus.CONFLICT, grpc = Status.Code.ALREADY_EXISTS, title = "Application already exists")
    APPLICATION_EXISTS,

    @Problem(
            http = HttpStatus.CONFLICT,
            grpc = Status.Code.FAILED_PRECONDITION,
            title = "Application still has a running version")
    APPLICATION_IN_USE,

    @Problem(http = HttpStatus.NOT_FOUND, grpc = Status.Code.NOT_FOUND, title = "Version not found")
    VERSION_NOT_FOUND,

    @Problem(
            http = HttpStatus.CONFLICT,
            grpc = Status.Code.ALREADY_EXISTS,
            title = "Version exists with a different spec")
    VERSION_CONFLICT,

    @Problem(http = HttpStatus.CONFLICT, grpc = Status.Code.FAILED_PRECONDITION, title = "Version is serving traffic")
    VERSION_IN_USE,

    @Problem(http = HttpStatus.BAD_REQUEST, grpc = Status.Code.INVALID_ARGUMENT, title = "A required field is missing")
    MISSING_FIELD,

    @Problem(
            http = HttpStatus.BAD_REQUEST,
            grpc = Status.Code.INVALID_ARGUMENT,
            title = "Name is not a valid DNS-label-like name")
    INVALID_NAME,

    @Problem(
            http = HttpStatus.BAD_REQUEST,
            grpc = Status.Code.INVALID_ARGUMENT,
            title = "Artifact reference is invalid")
    INVALID_ARTIFACT,

    @Problem(
            http = HttpStatus.BAD_REQUEST,
            grpc = Status.Code.INVALID_ARGUMENT,
            title = "Too many components in one version")
    TOO_MANY_COMPONENTS,

    @Problem(
            http = HttpStatus.BAD_REQUEST,
            grpc = Status.Code.INVALID_ARGUMENT,
            title = "Too many call edges in one version")
    TOO_MANY_EDGES,

    @Problem(
            http = HttpStatus.BAD_REQUEST,
            grpc = Status.Code.INVALID_ARGUMENT,
            title = "A version needs at least one component")
    NO_COMPONENTS,

    @Problem(http = HttpStatus.BAD_REQUEST, grpc = Status.Code.INVALID_ARGUMENT, title = "Component declared twice")
    DUPLICATE_COMPONENT,

    @Problem(http = HttpStatus.BAD_REQUEST, grpc = Status.Code.INVALID_ARGUMENT, title = "Call edge declared twice")
    DUPLICATE_EDGE,

    @Problem(
            http = HttpStatus.BAD_REQUEST,
            grpc = Status.Code.INVALID_ARGUMENT,
            title = "Reference to a component the version does not declare")
    UNKNOWN_COMPONENT,

    @Problem(
            http = HttpStatus.BAD_REQUEST,
            grpc = Status.Code.INVALID_ARGUMENT,
            title = "A component cannot declare a call to itself")
    SELF_EDGE,

    @Problem(http = HttpStatus.BAD_REQUEST, grpc = Status.Code.INVALID_ARGUMENT, title = "Resource hint out of range")
    INVALID_RESOURCE,

    @Problem(
            http = HttpStatus.BAD_REQUEST,
            grpc = Status.Code.INVALID_ARGUMENT,
            title = "Replica bounds out of range or crossed")
    INVALID_REPLICAS,

    @Problem(http = HttpStatus.BAD_REQUEST, grpc = Status.Code.INVALID_ARGUMENT, title = "Expected load out of range")
    INVALID_LOAD,

    @Problem(http = HttpStatus.BAD_REQUEST, grpc = Status.Code.INVALID_ARGUMENT, title = "Constraint is malformed")
    INVALID_CONSTRAINT,

    @Problem(
            http = HttpStatus.BAD_REQUEST,
            grpc = Status.Code.INVALID_ARGUMENT,
            title = "Constraints contradict each other")
    CONTRADICTORY_CONSTRAINTS
}
