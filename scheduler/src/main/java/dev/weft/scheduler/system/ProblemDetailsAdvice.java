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
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
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
            problem.setTitle(code.title());
            problem.setProperty("code", code.name());
            if (problem.getDetail() != null) {
                problem.setDetail(ApiText.scrub(problem.getDetail()));
            }
        }
        return super.createResponseEntity(body, headers, status, request);
    }

    private static ErrorCode codeFor(HttpStatusCode status) {
        return status.value() == 400 ? CommonError.INVALID_PARAMETER : ContainerErrors.codeFor(status.value());
    }

    static FieldError describe(HttpMessageNotReadableException e) {
        Throwable cause = e.getCause();
        if (cause instanceof MalformedBodyException malformed) {
            return new FieldError(CommonError.MALFORMED_JSON, "$", malformed.detail());
        }
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
            String message = String.valueOf(mismatch.getOriginalMessage());
            if (message.startsWith("Trailing token")) {
                return new FieldError(
                        CommonError.MALFORMED_JSON,
                        "$",
                        "Malformed JSON" + where(mismatch)
                                + ": a second JSON value follows the first; send one JSON document per request");
            }
            if (message.startsWith("No content to map")) {
                return new FieldError(
                        CommonError.MALFORMED_JSON, "$", "Malformed JSON: the body holds no JSON document");
            }
            String field = path(mismatch);
            return new FieldError(
                    CommonError.INVALID_FIELD_TYPE,
                    field,
                    ("$".equals(field) ? "The body" : "Field '" + field + "'") + " must be "
                            + expected(mismatch.getTargetType()) + ", was " + found(mismatch));
        }
        if (cause instanceof InputCoercionException coercion) {
            // valid JSON, but a number the field's type cannot hold (3000000000 for an int)
            String field = path(coercion);
            Class<?> target = coercion.getTargetType();
            String range = target == Long.class || target == long.class
                    ? "from " + Long.MIN_VALUE + " to " + Long.MAX_VALUE
                    : "from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE;
            return new FieldError(
                    CommonError.INVALID_FIELD_TYPE,
                    field,
                    "Field '" + field + "' must be a whole number " + range + ", was " + found(coercion));
        }
        if (cause instanceof StreamReadException syntax) {
            return new FieldError(
                    CommonError.MALFORMED_JSON,
                    "$",
                    "Malformed JSON" + where(syntax) + ": "
                            + ApiText.scrub(String.valueOf(syntax.getOriginalMessage())));
        }
        if (cause instanceof JacksonException other) {
            String field = path(other);
            return new FieldError(
                    CommonError.INVALID_FIELD_TYPE,
                    field,
                    "Field '" + field + "' is invalid: " + ApiText.scrub(String.valueOf(other.getOriginalMessage())));
        }
        return new FieldError(CommonError.MALFORMED_JSON, "$", "Request body is missing or unreadable");
    }

    private static String where(JacksonException e) {
        var location = e.getLocation();
        return location == null || location.getLineNr() < 0
                ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** What a field of this Java type takes, in JSON's words. */
    static String expected(@Nullable Class<?> type) {
        if (type == null) {
            return "of another JSON type";
        }
        if (CharSequence.class.isAssignableFrom(type)) {
            return "a string";
        }
        if (type == Integer.class
                || type == int.class
                || type == Long.class
                || type == long.class
                || type == Short.class
                || type == short.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type == double.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "an object";
    }

    private static final java.util.regex.Pattern QUOTED_VALUE =
            java.util.regex.Pattern.compile("[Vv]alue \\(([^()`]{1,80})\\)");

    /** The value Jackson quotes in its message ("Numeric value (3000000000) out of range"), if it quotes one. */
    private static @Nullable String valueIn(String message) {
        var m = QUOTED_VALUE.matcher(message);
        return m.find() ? m.group(1) : null;
    }

    private static final java.util.regex.Pattern QUOTED_STRING =
            java.util.regex.Pattern.compile("from String \"([^\"]{0,40})\"");

    /**
     * The string that was sent, quoted ({@code  "250"}): as Jackson quotes it in its message ({@code from String
     * "250"}) or, when its message does not, as the parser read it; nothing when neither says.
     */
    private static String quotedString(String message, @Nullable String read) {
        var m = QUOTED_STRING.matcher(message);
        if (m.find()) {
            return " \"" + m.group(1) + "\"";
        }
        if (read == null) {
            return "";
        }
        String bare = read.length() >= 2 && read.startsWith("\"") && read.endsWith("\"")
                ? read.substring(1, read.length() - 1)
                : read;
        return " \"" + (bare.length() > 40 ? bare.substring(0, 40) + "..." : bare) + "\"";
    }

    /** What the client sent where the failure happened, in JSON's words. */
    private static String found(JacksonException e) {
        JsonToken token = null;
        String text = null;
        if (e instanceof MismatchedInputException mismatch) {
            token = mismatch.getCurrentToken();
        }
        if (e instanceof InputCoercionException coercion) {
            token = coercion.getInputType();
        }
        if (e.processor() instanceof JsonParser parser) {
            try {
                if (token == null) {
                    token = parser.currentToken();
                }
                if (token != null && token.isScalarValue()) {
                    text = parser.getString();
                }
            } catch (RuntimeException unreadable) {
                text = null;
            }
        }
        if (token == null) {
            return "something else";
        }
        if (text == null || text.isEmpty()) {
            text = valueIn(String.valueOf(e.getOriginalMessage()));
        }
        String shown = text == null ? "" : " " + (text.length() > 40 ? text.substring(0, 40) + "..." : text);
        return switch (token) {
            case VALUE_STRING -> "a string" + quotedString(String.valueOf(e.getOriginalMessage()), text);
            case VALUE_NUMBER_INT -> "the whole number" + shown;
            case VALUE_NUMBER_FLOAT -> "the number" + shown;
            case VALUE_TRUE -> "true";
            case VALUE_FALSE -> "false";
            case VALUE_NULL -> "null";
            case START_OBJECT, END_OBJECT, PROPERTY_NAME -> "an object";
            case START_ARRAY, END_ARRAY -> "an array";
            default -> "something else";
        };
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
