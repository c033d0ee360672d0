package dev.weft.scheduler.load;

import dev.weft.scheduler.system.ErrorCode;
import dev.weft.scheduler.system.Problem;
import io.grpc.Status;
import org.springframework.http.HttpStatus;

/** Everything that can go wrong when reading load. */
public enum LoadError implements ErrorCode {
    @Problem(http = HttpStatus.NOT_FOUND, grpc = Status.Code.NOT_FOUND, title = "Application not found")
    APPLICATION_NOT_FOUND,

    @Problem(http = HttpStatus.NOT_FOUND, grpc = Status.Code.NOT_FOUND, title = "Version not found")
    VERSION_NOT_FOUND,

    @Problem(http = HttpStatus.BAD_REQUEST, grpc = Status.Code.INVALID_ARGUMENT, title = "Load window is invalid")
    INVALID_WINDOW
}
