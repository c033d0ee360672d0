package dev.weft.scheduler.system;

import io.grpc.Status;
import org.springframework.http.HttpStatus;

/** Errors about the shape of a request rather than its meaning in any one feature. */
public enum CommonError implements ErrorCode {
    @Problem(
            http = HttpStatus.BAD_REQUEST,
            grpc = Status.Code.INVALID_ARGUMENT,
            title = "Request body is not valid JSON")
    MALFORMED_JSON,

    @Problem(
            http = HttpStatus.BAD_REQUEST,
            grpc = Status.Code.INVALID_ARGUMENT,
            title = "Request has a field this API does not know")
    UNKNOWN_FIELD,

    @Problem(http = HttpStatus.BAD_REQUEST, grpc = Status.Code.INVALID_ARGUMENT, title = "A field has the wrong type")
    INVALID_FIELD_TYPE,

    @Problem(http = HttpStatus.BAD_REQUEST, grpc = Status.Code.INVALID_ARGUMENT, title = "A required field is missing")
    MISSING_FIELD,

    @Problem(
            http = HttpStatus.BAD_REQUEST,
            grpc = Status.Code.INVALID_ARGUMENT,
            title = "A query or path parameter is invalid")
    INVALID_PARAMETER,

    @Problem(
            http = HttpStatus.UNSUPPORTED_MEDIA_TYPE,
            grpc = Status.Code.INVALID_ARGUMENT,
            title = "Content type not supported")
    UNSUPPORTED_MEDIA_TYPE,

    @Problem(
            http = HttpStatus.METHOD_NOT_ALLOWED,
            grpc = Status.Code.UNIMPLEMENTED,
            title = "Method not allowed on this resource")
    METHOD_NOT_ALLOWED,

    @Problem(http = HttpStatus.NOT_FOUND, grpc = Status.Code.NOT_FOUND, title = "No such resource")
    NOT_FOUND,

    @Problem(
            http = HttpStatus.CONTENT_TOO_LARGE,
            grpc = Status.Code.RESOURCE_EXHAUSTED,
            title = "Request body too large")
    PAYLOAD_TOO_LARGE,

    @Problem(http = HttpStatus.INTERNAL_SERVER_ERROR, grpc = Status.Code.INTERNAL, title = "Internal error")
    INTERNAL
}
