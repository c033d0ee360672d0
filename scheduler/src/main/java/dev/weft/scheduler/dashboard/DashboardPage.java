package dev.weft.scheduler.dashboard;

import dev.weft.scheduler.security.Role;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * {@code /}: the dashboard's one page. It carries the session's CSRF token and the caller's role, so the script
 * ({@code /assets/dashboard.js}) sends the one with every write and shows only the buttons the other allows; the
 * server checks both anyway.
 */
@Hidden
@RestController
class DashboardPage {

    @GetMapping(value = "/", produces = MediaType.TEXT_HTML_VALUE)
    String dashboard(HttpServletRequest request, Authentication authentication) {
        CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        Role role = Role.of(authentication);
        return """
                <!doctype html>
                <html lang="en">
                <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <meta name="csrf-header" content="%s"><meta name="csrf-token" content="%s">
                <meta name="weft-user" content="%s"><meta name="weft-role" content="%s">
                <title>Weft</title><link rel="icon" href="/assets/favicon.svg" type="image/svg+xml"><link rel="stylesheet" href="/assets/weft.css"></head>
                <body>
                <header class="top">
                <strong>Weft</strong>
                <nav aria-label="Views">
                <a href="#/overview">Overview</a> <a href="#/rollouts">Rollouts</a> <a href="#/agents">Agents</a> <a href="#/events">Events</a>
                </nav>
                <span class="who">%s (%s)</span>
                <form method="post" action="/logout" class="inline"><input type="hidden" name="%s" value="%s">
                <button type="submit" class="secondary">Sign out</button></form>
                </header>
                <main id="view" tabindex="-1" aria-live="polite"><p>Loading…</p></main>
                <footer class="muted"><a href="/swagger-ui.html">API documentation</a> ·
                <a href="/v3/api-docs">OpenAPI document</a> · <a href="/actuator/health">Health</a></footer>
                <script src="/assets/dashboard.js"></script>
                </body>
                </html>
                """.formatted(
                        csrf == null ? "" : esc(csrf.getHeaderName()),
                        csrf == null ? "" : esc(csrf.getToken()),
                        esc(authentication.getName()),
                        role == null ? "" : role.wire(),
                        esc(authentication.getName()),
                        role == null ? "none" : role.wire(),
                        csrf == null ? "_csrf" : esc(csrf.getParameterName()),
                        csrf == null ? "" : esc(csrf.getToken()));
    }

    private static String esc(String text) {
        return HtmlUtils.htmlEscape(text);
    }
}
