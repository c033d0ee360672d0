package dev.weft.scheduler.deployments;

import dev.weft.scheduler.system.ErrorCode;
import dev.weft.scheduler.system.Problem;
import io.grpc.Status;
import org.springframework.http.HttpStatus;

/** Everything that can go wrong with deployments. */
public enum DeploymentError implements ErrorCode {
    @Problem(http = HttpStatus.NOT_FOUND, grpc = Status.Code.NOT_FOUND, title = "Application not found")
    APPLICATION_NOT_FOUND,

    @Problem(http = HttpStatus.NOT_FOUND, grpc = Status.Code.NOT_FOUND, title = "Version not found")
    VERSION_NOT_FOUND,

    @Problem(http = HttpStatus.NOT_FOUND, grpc = Status.Code.NOT_FOUND, title = "The version is not deployed")
    DEPLOYMENT_NOT_FOUND,

    @Problem(
            http = HttpStatus.CONFLICT,
            grpc = Status.Code.FAILED_PRECONDITION,
            title = "The application already runs a version")
    APPLICATION_ALREADY_SERVING,

    @Problem(
            http = HttpStatus.CONFLICT,
            grpc = Status.Code.FAILED_PRECONDITION,
            title = "The version is being released")
    DEPLOYMENT_RELEASING,

    @Problem(
            http = HttpStatus.CONFLICT,
            grpc = Status.Code.FAILED_PRECONDITION,
            title = "The traffic split is not allowed")
    INVALID_TRAFFIC_SPLIT
}
