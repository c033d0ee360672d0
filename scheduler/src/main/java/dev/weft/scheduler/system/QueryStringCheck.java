package dev.weft.scheduler.system;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a malformed query string before any endpoint sees it: a {@code %} that starts no valid escape (Tomcat
 * lets it through, and decoding it later fails the request), or a NUL character ({@code %00}), which no name,
 * window or filter the API takes can contain and PostgreSQL cannot even compare text with. Tomcat already refuses
 * both in the path. A parameter without a name ({@code &=x}) is refused too: Tomcat throws on it when an
 * endpoint first reads a parameter.
 */
final class QueryStringCheck extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String query = request.getQueryString();
        if (query != null && !validEscapes(query)) {
            request.setAttribute(ContainerErrors.CODE_ATTRIBUTE, CommonError.INVALID_REQUEST);
            response.sendError(
                    HttpServletResponse.SC_BAD_REQUEST,
                    "The query string has a '%' that starts no valid escape (two hex digits must follow it)");
            return;
        }
        if (query != null && (query.toLowerCase(Locale.ROOT).contains("%00") || query.indexOf('\0') >= 0)) {
            request.setAttribute(ContainerErrors.CODE_ATTRIBUTE, CommonError.INVALID_REQUEST);
            response.sendError(
                    HttpServletResponse.SC_BAD_REQUEST,
                    "A query parameter holds a NUL character (%00), which no parameter of this API can contain");
            return;
        }
        if (query != null && hasNamelessParameter(query)) {
            request.setAttribute(ContainerErrors.CODE_ATTRIBUTE, CommonError.INVALID_REQUEST);
            response.sendError(
                    HttpServletResponse.SC_BAD_REQUEST,
                    "The query string has a parameter without a name (a '=' right after '?' or '&')");
            return;
        }
        chain.doFilter(request, response);
    }

    /** {@code ?=x} or {@code a=1&=x}: Tomcat fails such a request when an endpoint first reads a parameter. */
    private static boolean hasNamelessParameter(String query) {
        for (String chunk : query.split("&", -1)) {
            if (chunk.startsWith("=")) {
                return true;
            }
        }
        return false;
    }

    private static boolean validEscapes(String query) {
        for (int i = 0; i < query.length(); i++) {
            if (query.charAt(i) == '%') {
                if (i + 2 >= query.length()
                        || Character.digit(query.charAt(i + 1), 16) < 0
                        || Character.digit(query.charAt(i + 2), 16) < 0) {
                    return false;
                }
                i += 2;
            }
        }
        return true;
    }
}
