package dev.weft.scheduler.system;

import java.io.IOException;

/**
 * A request body that is not acceptable JSON text before any parser sees it: not UTF-8, an overlong or otherwise
 * invalid byte sequence, a lone surrogate escape, or nothing but whitespace. An IOException so that Spring reports
 * it as an unreadable body; {@link ProblemDetailsAdvice} answers it with {@code MALFORMED_JSON}.
 */
final class MalformedBodyException extends IOException {

    private final String detail;

    MalformedBodyException(String detail) {
        super(detail);
        this.detail = detail;
    }

    String detail() {
        return detail;
    }
}
