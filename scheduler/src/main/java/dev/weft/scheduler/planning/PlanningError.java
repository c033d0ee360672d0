package dev.weft.scheduler.planning;

import dev.weft.scheduler.system.ErrorCode;
import dev.weft.scheduler.system.Problem;
import io.grpc.Status;
import org.springframework.http.HttpStatus;

/** Everything that can go wrong with the plans API. */
public enum PlanningError implements ErrorCode {
    @Problem(http = HttpStatus.NOT_FOUND, grpc = Status.Code.NOT_FOUND, title = "Application not found")
    APPLICATION_NOT_FOUND,

    @Problem(http = HttpStatus.NOT_FOUND, grpc = Status.Code.NOT_FOUND, title = "Version not found")
    VERSION_NOT_FOUND,

    @Problem(http = HttpStatus.NOT_FOUND, grpc = Status.Code.NOT_FOUND, title = "The version has no plan")
    PLAN_NOT_FOUND,

    @Problem(http = HttpStatus.NOT_FOUND, grpc = Status.Code.NOT_FOUND, title = "No such plan generation")
    GENERATION_NOT_FOUND,

    @Problem(http = HttpStatus.CONFLICT, grpc = Status.Code.FAILED_PRECONDITION, title = "The version is not deployed")
    VERSION_NOT_DEPLOYED,

    @Problem(
            http = HttpStatus.BAD_REQUEST,
            grpc = Status.Code.INVALID_ARGUMENT,
            title = "A what-if override is invalid")
    INVALID_PREVIEW,

    @Problem(
            http = HttpStatus.SERVICE_UNAVAILABLE,
            grpc = Status.Code.UNAVAILABLE,
            title = "The planner did not answer in time")
    PLANNER_BUSY
}
