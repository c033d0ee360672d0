package dev.weft.scheduler.rollouts;

import dev.weft.scheduler.system.ErrorCode;
import dev.weft.scheduler.system.Problem;
import io.grpc.Status;
import org.springframework.http.HttpStatus;

/**
 * Everything that can go wrong with rollouts: the refusals of the rollout rules (409, one code each, as the
 * {@code rollout} library names them), a policy's problems (400, at the field's path) and what is not found (404).
 */
public enum RolloutError implements ErrorCode {
    @Problem(http = HttpStatus.NOT_FOUND, grpc = Status.Code.NOT_FOUND, title = "Rollout not found")
    ROLLOUT_NOT_FOUND,

    @Problem(
            http = HttpStatus.CONFLICT,
            grpc = Status.Code.FAILED_PRECONDITION,
            title = "The application has a rollout in progress")
    ROLLOUT_IN_PROGRESS,

    @Problem(http = HttpStatus.CONFLICT, grpc = Status.Code.FAILED_PRECONDITION, title = "No version serves yet")
    NO_SERVING_VERSION,

    @Problem(
            http = HttpStatus.CONFLICT,
            grpc = Status.Code.FAILED_PRECONDITION,
            title = "The version already serves the application")
    SAME_VERSION,

    @Problem(http = HttpStatus.CONFLICT, grpc = Status.Code.FAILED_PRECONDITION, title = "The rollout has finished")
    ROLLOUT_FINISHED,

    @Problem(
            http = HttpStatus.CONFLICT,
            grpc = Status.Code.FAILED_PRECONDITION,
            title = "The rollout is going back to the old version")
    ROLLOUT_ABORTING,

    @Problem(http = HttpStatus.CONFLICT, grpc = Status.Code.FAILED_PRECONDITION, title = "The rollout is paused")
    ALREADY_PAUSED,

    @Problem(http = HttpStatus.CONFLICT, grpc = Status.Code.FAILED_PRECONDITION, title = "The rollout is not paused")
    NOT_PAUSED,

    @Problem(
            http = HttpStatus.CONFLICT,
            grpc = Status.Code.FAILED_PRECONDITION,
            title = "The new version is not placed in full")
    NOT_PLACED,

    @Problem(
            http = HttpStatus.CONFLICT,
            grpc = Status.Code.FAILED_PRECONDITION,
            title = "The rollout is already promoted")
    ALREADY_PROMOTED,

    @Problem(
            http = HttpStatus.CONFLICT,
            grpc = Status.Code.FAILED_PRECONDITION,
            title = "The rollout is not promoted yet")
    NOT_PROMOTED,

    @Problem(
            http = HttpStatus.CONFLICT,
            grpc = Status.Code.FAILED_PRECONDITION,
            title = "The rollback window has closed")
    ROLLBACK_WINDOW_CLOSED,

    @Problem(http = HttpStatus.BAD_REQUEST, grpc = Status.Code.INVALID_ARGUMENT, title = "Invalid rollout steps")
    INVALID_STEPS,

    @Problem(http = HttpStatus.BAD_REQUEST, grpc = Status.Code.INVALID_ARGUMENT, title = "Invalid step weight")
    INVALID_WEIGHT,

    @Problem(http = HttpStatus.BAD_REQUEST, grpc = Status.Code.INVALID_ARGUMENT, title = "Invalid duration")
    INVALID_DURATION,

    @Problem(http = HttpStatus.BAD_REQUEST, grpc = Status.Code.INVALID_ARGUMENT, title = "Invalid gate")
    INVALID_GATE,

    @Problem(http = HttpStatus.BAD_REQUEST, grpc = Status.Code.INVALID_ARGUMENT, title = "Invalid minRequests")
    INVALID_MIN_REQUESTS,

    @Problem(
            http = HttpStatus.BAD_REQUEST,
            grpc = Status.Code.INVALID_ARGUMENT,
            title = "The gate names an unknown component")
    UNKNOWN_COMPONENT,

    @Problem(http = HttpStatus.BAD_REQUEST, grpc = Status.Code.INVALID_ARGUMENT, title = "Unknown policy")
    UNKNOWN_POLICY
}
