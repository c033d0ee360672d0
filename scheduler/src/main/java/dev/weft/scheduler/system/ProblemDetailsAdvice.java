package dev.weft.scheduler.system;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every failed request into an RFC 9457 problem: a stable {@code type} per error code, the
 * HTTP status, a detail naming what was wrong, and the extension members {@code code} and
 * {@code errors} (each with {@code code}, {@code field}, {@code detail}).
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);
    private static final URI ABOUT_BLANK = URI.create("about:blank");

    @ExceptionHandler(WeftException.class)
    ResponseEntity<ProblemDetail> weft(WeftException e) {
        return respond(problem(e.code(), e.detail(), e.errors()));
    }

    /** A body read directly (not through a message converter) that went past weft.api.max-request-size. */
    @ExceptionHandler(RequestSizeLimit.BodyTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(RequestSizeLimit.BodyTooLargeException e) {
        return respond(problem(CommonError.PAYLOAD_TOO_LARGE, e.detail(), List.of()));
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("Unexpected error while serving a request", e);
        return respond(problem(
                CommonError.INTERNAL, "The control plane failed to serve this request; see its log.", List.of()));
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof RequestSizeLimit.BodyTooLargeException tooLarge) {
                return ResponseEntity.status(CommonError.PAYLOAD_TOO_LARGE.httpStatus())
                        .body(problem(CommonError.PAYLOAD_TOO_LARGE, tooLarge.detail(), List.of()));
            }
        }
        FieldError error = describe(e);
        return ResponseEntity.status(error.code().httpStatus())
                .body(problem(error.code(), error.detail(), List.of(error)));
    }

    /** Spring's own exceptions (404, 405, 415, bad parameters) get a Weft type and code too. */
    @Override
    protected ResponseEntity<Object> createResponseEntity(
            @Nullable Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        if (body instanceof ProblemDetail problem
                && (problem.getType() == null || ABOUT_BLANK.equals(problem.getType()))) {
            ErrorCode code = codeFor(status);
            problem.setType(code.type());
            problem.setProperty("code", code.name());
        }
        return super.createResponseEntity(body, headers, status, request);
    }

    private static ErrorCode codeFor(HttpStatusCode status) {
        return switch (status.value()) {
            case 404 -> CommonError.NOT_FOUND;
            case 405 -> CommonError.METHOD_NOT_ALLOWED;
            case 413 -> CommonError.PAYLOAD_TOO_LARGE;
            case 415 -> CommonError.UNSUPPORTED_MEDIA_TYPE;
            case 400 -> CommonError.INVALID_PARAMETER;
            default -> status.is5xxServerError() ? CommonError.INTERNAL : CommonError.INVALID_PARAMETER;
        };
    }

    static FieldError describe(HttpMessageNotReadableException e) {
        Throwable cause = e.getCause();
        if (cause instanceof UnrecognizedPropertyException unknown) {
            String field = path(unknown);
            return new FieldError(
                    CommonError.UNKNOWN_FIELD,
                    field,
                    "Unknown field '" + field + "'; known fields here: "
                            + unknown.getKnownPropertyIds().stream()
                                    .map(String::valueOf)
                                    .sorted()
                                    .collect(Collectors.joining(", ")));
        }
        if (cause instanceof MismatchedInputException mismatch) {
            String field = path(mismatch);
            return new FieldError(
                    CommonError.INVALID_FIELD_TYPE,
                    field,
                    "Field '" + field + "' has the wrong type: " + withoutJacksonHint(mismatch.getOriginalMessage()));
        }
        if (cause instanceof InputCoercionException coercion) {
            // valid JSON, but a number the field's type cannot hold (3000000000 for an int)
            String field = path(coercion);
            return new FieldError(
                    CommonError.INVALID_FIELD_TYPE,
                    field,
                    "Field '" + field + "' has the wrong type: " + coercion.getOriginalMessage());
        }
        if (cause instanceof StreamReadException syntax) {
            var location = syntax.getLocation();
            String where =
                    location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
            return new FieldError(
                    CommonError.MALFORMED_JSON, "$", "Malformed JSON" + where + ": " + syntax.getOriginalMessage());
        }
        if (cause instanceof JacksonException other) {
            String field = path(other);
            return new FieldError(
                    CommonError.INVALID_FIELD_TYPE,
                    field,
                    "Field '" + field + "' is invalid: " + other.getOriginalMessage());
        }
        return new FieldError(CommonError.MALFORMED_JSON, "$", "Request body is missing or unreadable");
    }

    /** Jackson tells coercion failures how to configure a mapper, which is no help to an API client. */
    private static String withoutJacksonHint(String message) {
        int hint = message.indexOf(" (but could if coercion was enabled");
        return hint < 0 ? message : message.substring(0, hint);
    }

    /** The JSON path of the failing field in the form clients write it: {@code edges[2].caller}. */
    private static String path(JacksonException e) {
        StringBuilder out = new StringBuilder();
        for (JacksonException.Reference ref : e.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!out.isEmpty()) {
                    out.append('.');
                }
                out.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                out.append('[').append(ref.getIndex()).append(']');
            }
        }
        return out.isEmpty() ? "$" : out.toString();
    }

    static ProblemDetail problem(ErrorCode code, String detail, List<FieldError> errors) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(code.httpStatus(), detail);
        problem.setType(code.type());
        problem.setTitle(code.title());
        problem.setProperty("code", code.name());
        if (!errors.isEmpty()) {
            problem.setProperty(
                    "errors",
                    errors.stream()
                            .map(error -> Map.of(
                                    "code", error.code().name(), "field", error.field(), "detail", error.detail()))
                            .toList());
        }
        return problem;
    }

    private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
        return ResponseEntity.status(HttpStatus.valueOf(problem.getStatus())).body(problem);
    }
}
