package dev.weft.scheduler.security;

import dev.weft.scheduler.system.ErrorCode;
import dev.weft.scheduler.system.Problem;
import io.grpc.Status;
import org.springframework.http.HttpStatus;

/** Refusals of operator authentication and authorization, and errors of the tokens and accounts APIs. */
public enum SecurityError implements ErrorCode {
    @Problem(
            http = HttpStatus.UNAUTHORIZED,
            grpc = Status.Code.UNAUTHENTICATED,
            title = "Missing, unknown, expired or revoked credentials")
    UNAUTHENTICATED,

    @Problem(
            http = HttpStatus.FORBIDDEN,
            grpc = Status.Code.PERMISSION_DENIED,
            title = "The credentials' role may not do this")
    FORBIDDEN,

    @Problem(
            http = HttpStatus.BAD_REQUEST,
            grpc = Status.Code.INVALID_ARGUMENT,
            title = "Token or account request is invalid")
    INVALID_CREDENTIAL_REQUEST,

    @Problem(http = HttpStatus.NOT_FOUND, grpc = Status.Code.NOT_FOUND, title = "Token not found")
    TOKEN_NOT_FOUND,

    @Problem(http = HttpStatus.CONFLICT, grpc = Status.Code.ALREADY_EXISTS, title = "A live token has this name")
    TOKEN_NAME_TAKEN,

    @Problem(http = HttpStatus.NOT_FOUND, grpc = Status.Code.NOT_FOUND, title = "Account not found")
    ACCOUNT_NOT_FOUND,

    @Problem(http = HttpStatus.CONFLICT, grpc = Status.Code.ALREADY_EXISTS, title = "An account has this name")
    ACCOUNT_EXISTS
}
