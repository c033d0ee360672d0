package dev.weft.scheduler.system;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Whatever layer refuses a request, the client gets an RFC 9457 problem with a code: errors the servlet container
 * raises after routing (a {@code TRACE}, a filter's {@code sendError}) reach {@link ProblemErrorController} at
 * {@code /error} instead of Spring Boot's default page; errors Tomcat raises before any servlet runs (a path with
 * {@code %2f}, {@code %00}, {@code %5c} or {@code %zz}, a request line over its 8 KB header limit) are written by
 * {@link ProblemValve} instead of Tomcat's HTML page. Neither shows a stack trace or the server's name.
 */
@Configuration(proxyBeanMethods = false)
class ContainerErrors {

    /** A request attribute by which a filter that refuses a request names the code of its {@code sendError}. */
    static final String CODE_ATTRIBUTE = "dev.weft.error.code";

    /** The code for a status the servlet container or Spring chose itself (any other 4xx is 400, any 5xx 500). */
    static ErrorCode codeFor(int status) {
        return switch (status) {
            case 404 -> CommonError.NOT_FOUND;
            case 405, 501 -> CommonError.METHOD_NOT_ALLOWED;
            case 406 -> CommonError.NOT_ACCEPTABLE;
            case 413 -> CommonError.PAYLOAD_TOO_LARGE;
            case 415 -> CommonError.UNSUPPORTED_MEDIA_TYPE;
            case 503 -> CommonError.UNAVAILABLE;
            default -> status >= 500 ? CommonError.INTERNAL : CommonError.INVALID_REQUEST;
        };
    }

    /** What a refusal before routing says: Tomcat gives a status and sometimes a reason, never a field. */
    static String detailFor(int status, @Nullable String reason) {
        ErrorCode code = codeFor(status);
        String why = reason == null || reason.isBlank() ? "" : ": " + ApiText.scrub(reason);
        if (code == CommonError.INVALID_REQUEST) {
            return "The request line or headers are malformed" + why
                    + " (a path must not contain an encoded '/', '\\' or NUL, every '%' must start a valid"
                    + " escape, and the request line and headers together must stay under 8 KB)";
        }
        if (code == CommonError.METHOD_NOT_ALLOWED) {
            return "This method is not allowed on this resource" + why;
        }
        if (code == CommonError.NOT_FOUND) {
            return "No resource at this path" + why;
        }
        return code.title() + why;
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemValve() {
        // The host adds its error report valve when it starts, after the context customizers have run.
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemValve.class.getName());
            }
        });
    }

    /** Tomcat's error report valve, writing a problem instead of an HTML page. */
    public static final class ProblemValve extends ErrorReportValve {

        @Override
        protected void report(Request request, Response response, @Nullable Throwable throwable) {
            int status = response.getStatus();
            if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
                return;
            }
            ErrorCode code = codeFor(status);
            String body = "{\"type\":\"" + code.type() + "\",\"title\":\"" + json(code.title()) + "\",\"status\":"
                    + code.httpStatus().value() + ",\"detail\":\"" + json(detailFor(status, response.getMessage()))
                    + "\",\"code\":\"" + code.name() + "\"}";
            try {
                response.setStatus(code.httpStatus().value());
                response.setContentType("application/problem+json");
                response.setCharacterEncoding(StandardCharsets.UTF_8.name());
                Writer writer = response.getReporter();
                if (writer != null) {
                    writer.write(body);
                    response.finishResponse();
                }
            } catch (IOException | IllegalStateException e) {
                // the client went away, or the response was already committed: nothing more to tell it
            }
        }

        private static String json(String text) {
            StringBuilder out = new StringBuilder(text.length());
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    default -> {
                        if (c < 0x20 || Character.isSurrogate(c)) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            return out.toString();
        }
    }

    /**
     * {@code /error}: where the container sends a request it refused after routing. Replaces Spring Boot's
     * {@code BasicErrorController}, whose JSON is not a problem.
     */
    @io.swagger.v3.oas.annotations.Hidden
    @RestController
    static class ProblemErrorController implements ErrorController {

        @RequestMapping("${server.error.path:/error}")
        ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
            Object attribute = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
            int status = attribute instanceof Integer code ? code : HttpStatus.NOT_FOUND.value();
            Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
            ErrorCode set = request.getAttribute(CODE_ATTRIBUTE) instanceof ErrorCode named ? named : null;
            ErrorCode code = set != null ? set : codeFor(status);
            String reason = message == null ? null : message.toString();
            String detail = set != null && reason != null ? reason : detailFor(status, reason);
            ProblemDetail problem = ProblemDetailsAdvice.problem(code, detail, java.util.List.of());
            Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
            if (uri instanceof String path && path.length() <= 2048) {
                try {
                    problem.setInstance(java.net.URI.create(path));
                } catch (IllegalArgumentException notAUri) {
                    // a path the container let through but that is no URI: the problem simply has no instance
                }
            }
            return ResponseEntity.status(code.httpStatus())
                    .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                    .body(problem);
        }
    }
}
