package dev.weft.scheduler.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code Authorization: Bearer weft_...}: a valid token authenticates this one request (nothing goes into a
 * session); a missing header leaves the request to the session or to the 401 that follows; anything else is
 * refused at once with 401 {@code UNAUTHENTICATED} saying what was wrong with the token.
 */
final class BearerTokenFilter extends OncePerRequestFilter {

    private final ApiTokens tokens;
    private final ProblemWriter problems;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    BearerTokenFilter(ApiTokens tokens, ProblemWriter problems) {
        this.tokens = tokens;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null) {
            chain.doFilter(request, response);
            return;
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            String scheme = header.split(" ", 2)[0];
            problems.write(
                    request,
                    response,
                    SecurityError.UNAUTHENTICATED,
                    "The Authorization header uses the scheme '" + shown(scheme)
                            + "'; send 'Authorization: Bearer weft_...' with an operator token");
            return;
        }
        String token = header.substring(7).strip();
        ApiTokens.Check check = tokens.check(token);
        switch (check) {
            case ApiTokens.Check.Valid valid -> {
                var authentication = UsernamePasswordAuthenticationToken.authenticated(
                        valid.name(),
                        null,
                        List.of(new SimpleGrantedAuthority(valid.role().authority())));
                SecurityContext context = contexts.createEmptyContext();
                context.setAuthentication(authentication);
                contexts.setContext(context);
                try {
                    chain.doFilter(request, response);
                } finally {
                    contexts.clearContext();
                }
            }
            case ApiTokens.Check.Unknown unknown ->
                problems.write(
                        request,
                        response,
                        SecurityError.UNAUTHENTICATED,
                        token.startsWith(IssuedSecret.PREFIX)
                                ? "The bearer token is not one this control plane issued"
                                : "The bearer token is not an operator token (those start with 'weft_')");
            case ApiTokens.Check.Expired expired ->
                problems.write(
                        request,
                        response,
                        SecurityError.UNAUTHENTICATED,
                        "The token '" + expired.name() + "' expired at " + expired.at()
                                + "; an admin can issue a new one (POST /api/v1/tokens)");
            case ApiTokens.Check.Revoked revoked ->
                problems.write(
                        request,
                        response,
                        SecurityError.UNAUTHENTICATED,
                        "The token '" + revoked.name() + "' was revoked at " + revoked.at());
        }
    }

    private static String shown(String text) {
        String cut = text.length() > 20 ? text.substring(0, 20) + "..." : text;
        StringBuilder out = new StringBuilder();
        cut.codePoints().forEach(c -> out.append(c >= 0x20 && c < 0x7f ? Character.toString(c) : "?"));
        return out.toString();
    }
}
