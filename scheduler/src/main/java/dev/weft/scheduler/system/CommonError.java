package dev.weft.scheduler.system;

import io.grpc.Status;
import org.springframework.http.HttpStatus;

/** Errors about the shape of a request rather than its meaning in any one feature. */
public enum CommonError implements ErrorCode {
    MALFORMED_JSON(HttpStatus.BAD_REQUEST, Status.Code.INVALID_ARGUMENT, "Request body is not valid JSON"),
    UNKNOWN_FIELD(HttpStatus.BAD_REQUEST, Status.Code.INVALID_ARGUMENT, "Request has a field this API does not know"),
    INVALID_FIELD_TYPE(HttpStatus.BAD_REQUEST, Status.Code.INVALID_ARGUMENT, "A field has the wrong type"),
    MISSING_FIELD(HttpStatus.BAD_REQUEST, Status.Code.INVALID_ARGUMENT, "A required field is missing"),
    INVALID_PARAMETER(HttpStatus.BAD_REQUEST, Status.Code.INVALID_ARGUMENT, "A query or path parameter is invalid"),
    UNSUPPORTED_MEDIA_TYPE(
            HttpStatus.UNSUPPORTED_MEDIA_TYPE, Status.Code.INVALID_ARGUMENT, "Content type not supported"),
    METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED, Status.Code.UNIMPLEMENTED, "Method not allowed on this resource"),
    NOT_FOUND(HttpStatus.NOT_FOUND, Status.Code.NOT_FOUND, "No such resource"),
    PAYLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, Status.Code.RESOURCE_EXHAUSTED, "Request body too large"),
    INTERNAL(HttpStatus.INTERNAL_SERVER_ERROR, Status.Code.INTERNAL, "Internal error");

    private final HttpStatus httpStatus;
    private final Status.Code grpcStatus;
    private final String title;

    CommonError(HttpStatus httpStatus, Status.Code grpcStatus, String title) {
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
