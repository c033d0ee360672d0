package dev.weft.scheduler.security;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The one rule that says which role a request needs, used both to authorize requests and to document every
 * operation's role and its 401/403 answers in the OpenAPI document (so the two cannot disagree).
 *
 * <ul>
 *   <li>open to anyone: health, the sign-in page, the OpenAPI document and its UI, static assets, error pages;
 *   <li>admin: tokens and accounts (any method), deleting an application or a version, revoking an agent;
 *   <li>viewer: every other read ({@code GET}, {@code HEAD}, {@code OPTIONS}), metrics included;
 *   <li>operator: every other write (deploy, roll out, cordon, drain, re-plan, register versions, ...).
 * </ul>
 *
 * Paths are matched decoded, after the firewall has refused {@code //}, {@code ;}, {@code ..} and encoded
 * slashes, so {@code /api/v1/tok%65ns} is {@code /api/v1/tokens} here as it is to the controllers.
 */
public final class AccessPolicy {

    private static final PathPatternParser PARSER = new PathPatternParser();

    private static final List<PathPattern> OPEN = patterns(
            "/actuator/health",
            "/actuator/health/**",
            "/login",
            "/logout",
            "/error",
            "/v3/api-docs",
            "/v3/api-docs/**",
            "/swagger-ui.html",
            "/swagger-ui/**",
            "/webjars/**",
            "/assets/**",
            "/favicon.ico");

    private static final List<PathPattern> ADMIN_ANY_METHOD =
            patterns("/api/v1/tokens", "/api/v1/tokens/**", "/api/v1/accounts", "/api/v1/accounts/**");

    private static final List<PathPattern> ADMIN_DELETE =
            patterns("/api/v1/applications/*", "/api/v1/applications/*/versions/*");

    private static final List<PathPattern> ADMIN_POST = patterns("/api/v1/agents/*/revoke");

    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

    private AccessPolicy() {}

    /** The role a request needs, or empty when it is open to anyone. */
    public static Optional<Role> required(String method, String path) {
        PathContainer parsed = PathContainer.parsePath(path);
        if (matches(OPEN, parsed)) {
            return Optional.empty();
        }
        if (matches(ADMIN_ANY_METHOD, parsed)
                || (method.equals("DELETE") && matches(ADMIN_DELETE, parsed))
                || (method.equals("POST") && matches(ADMIN_POST, parsed))) {
            return Optional.of(Role.ADMIN);
        }
        return Optional.of(READS.contains(method) ? Role.VIEWER : Role.OPERATOR);
    }

    private static boolean matches(List<PathPattern> patterns, PathContainer path) {
        for (PathPattern pattern : patterns) {
            if (pattern.matches(path)) {
                return true;
            }
        }
        return false;
    }

    private static List<PathPattern> patterns(String... patterns) {
        return java.util.Arrays.stream(patterns).map(PARSER::parse).toList();
    }
}
