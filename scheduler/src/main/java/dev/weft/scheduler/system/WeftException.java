package dev.weft.scheduler.system;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A request that cannot be served, with a code that decides how clients see it. When it carries
 * several field errors, the first one sets the code and detail and all are listed.
 */
public class WeftException extends RuntimeException {

    private final ErrorCode code;
    private final String detail;
    private final List<FieldError> errors;

    public WeftException(ErrorCode code, String detail) {
        super(requireNonNull(detail, "detail is null"));
        this.code = requireNonNull(code, "code is null");
        this.detail = detail;
        this.errors = List.of();
    }

    public WeftException(List<FieldError> errors) {
        super(errors.getFirst().detail());
        this.code = errors.getFirst().code();
        this.detail = errors.getFirst().detail();
        this.errors = List.copyOf(errors);
    }

    /** What was wrong, for the problem's {@code detail}; never null (unlike {@link #getMessage()} as the JDK declares it). */
    public String detail() {
        return detail;
    }

    public ErrorCode code() {
        return code;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
