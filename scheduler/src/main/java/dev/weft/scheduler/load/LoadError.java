package dev.weft.scheduler.load;

import dev.weft.scheduler.system.ErrorCode;
import io.grpc.Status;
import org.springframework.http.HttpStatus;

/** Everything that can go wrong when reading load. */
public enum LoadError implements ErrorCode {
    APPLICATION_NOT_FOUND(HttpStatus.NOT_FOUND, Status.Code.NOT_FOUND, "Application not found"),
    VERSION_NOT_FOUND(HttpStatus.NOT_FOUND, Status.Code.NOT_FOUND, "Version not found"),
    INVALID_WINDOW(HttpStatus.BAD_REQUEST, Status.Code.INVALID_ARGUMENT, "Load window is invalid");

    private final HttpStatus httpStatus;
    private final Status.Code grpcStatus;
    private final String title;

    LoadError(HttpStatus httpStatus, Status.Code grpcStatus, String title) {
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
