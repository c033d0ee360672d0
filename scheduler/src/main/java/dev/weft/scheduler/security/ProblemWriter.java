package dev.weft.scheduler.security;

import dev.weft.scheduler.system.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes refusals of the security filters, which run before any controller, as the same RFC 9457 problem the
 * controllers answer with ({@code type}, {@code title}, {@code status}, {@code detail}, {@code instance},
 * {@code code}).
 */
@Component
class ProblemWriter {

    private final JsonMapper json;

    ProblemWriter(JsonMapper json) {
        this.json = json;
    }

    void write(HttpServletRequest request, HttpServletResponse response, ErrorCode code, String detail)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", code.type().toString());
        problem.put("title", code.title());
        problem.put("status", code.httpStatus().value());
        problem.put("detail", detail);
        String path = request.getRequestURI();
        if (path != null && path.length() <= 2048) {
            problem.put("instance", path);
        }
        problem.put("code", code.name());
        response.setStatus(code.httpStatus().value());
        response.setContentType("application/problem+json");
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        if (code == SecurityError.UNAUTHENTICATED) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"weft\"");
        }
        response.getOutputStream().write(json.writeValueAsBytes(problem));
        response.flushBuffer();
    }
}
