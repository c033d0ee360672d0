package dev.weft.scheduler.dashboard;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * {@code /login}: the dashboard's sign-in, with a password account or an API token. Spring Security handles the
 * form's POST; this page only shows it, with the session's CSRF token.
 */
@Hidden
@RestController
class LoginPage {

    @GetMapping(value = "/login", produces = MediaType.TEXT_HTML_VALUE)
    String login(HttpServletRequest request) {
        CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        String message = request.getParameter("error") != null
                ? "<p class=\"error\" role=\"alert\">Sign-in failed: wrong name or password, or a token that is"
                        + " unknown, expired or revoked.</p>"
                : request.getParameter("logout") != null ? "<p class=\"note\" role=\"status\">Signed out.</p>" : "";
        String hidden = csrf == null
                ? ""
                : "<input type=\"hidden\" name=\"" + HtmlUtils.htmlEscape(csrf.getParameterName()) + "\" value=\""
                        + HtmlUtils.htmlEscape(csrf.getToken()) + "\">";
        return """
                <!doctype html>
                <html lang="en">
                <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
                <title>Sign in · Weft</title><link rel="icon" href="/assets/favicon.svg" type="image/svg+xml"><link rel="stylesheet" href="/assets/weft.css"></head>
                <body class="login">
                <main>
                <h1>Weft control plane</h1>
                %s
                <form method="post" action="/login" aria-labelledby="password-heading">
                <h2 id="password-heading">Sign in with an account</h2>
                %s
                <label for="username">Name</label><input id="username" name="username" autocomplete="username" required>
                <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
                <button type="submit">Sign in</button>
                </form>
                <form method="post" action="/login" aria-labelledby="token-heading">
                <h2 id="token-heading">…or with an API token</h2>
                %s
                <input type="hidden" name="username" value="">
                <label for="token">Token (weft_…)</label><input id="token" name="password" type="password" autocomplete="off" required>
                <button type="submit">Sign in with token</button>
                </form>
                </main>
                </body>
                </html>
                """.formatted(message, hidden, hidden);
    }
}
