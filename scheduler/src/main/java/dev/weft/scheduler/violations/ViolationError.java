package dev.weft.scheduler.violations;

import dev.weft.scheduler.system.ErrorCode;
import dev.weft.scheduler.system.Problem;
import io.grpc.Status;
import org.springframework.http.HttpStatus;

/** Everything that can go wrong reading violations. */
public enum ViolationError implements ErrorCode {
    @Problem(http = HttpStatus.NOT_FOUND, grpc = Status.Code.NOT_FOUND, title = "Application not found")
    APPLICATION_NOT_FOUND
}
