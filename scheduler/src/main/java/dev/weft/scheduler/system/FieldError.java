package dev.weft.scheduler.system;

import static java.util.Objects.requireNonNull;

/**
 * One thing wrong with a request: its code, the JSON path of the offending field (e.g.
 * {@code components[3].memoryMiB}) and a sentence that names the value and what was wrong.
 */
public record FieldError(ErrorCode code, String field, String detail) {

    public FieldError {
        requireNonNull(code, "code is null");
        requireNonNull(field, "field is null");
        requireNonNull(detail, "detail is null");
    }
}
