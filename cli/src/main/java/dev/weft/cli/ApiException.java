package dev.weft.cli;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/** The server refused a request (its RFC 9457 problem, when it sent one) or could not be reached. */
final class ApiException extends RuntimeException {

    private final int status;
    private final @Nullable JsonNode problem;

    ApiException(int status, @Nullable JsonNode problem, String message) {
        super(message);
        this.status = status;
        this.problem = problem;
    }

    int status() {
        return status;
    }

    /** What the user sees: the status, the problem's code and detail, and each field error. */
    String describe() {
        String message = String.valueOf(getMessage());
        if (problem == null) {
            return message;
        }
        StringBuilder out = new StringBuilder();
        out.append(status)
                .append(' ')
                .append(problem.path("code").asString("ERROR"))
                .append(": ")
                .append(problem.path("detail").asString(message));
        for (JsonNode error : problem.path("errors")) {
            if (!error.path("detail").asString("").equals(problem.path("detail").asString(""))) {
                out.append("\n  ")
                        .append(error.path("field").asString("$"))
                        .append(": ")
                        .append(error.path("detail").asString(""));
            }
        }
        return out.toString();
    }
}
