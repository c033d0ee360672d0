package dev.weft.scheduler.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.WeftIntegrationTest;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The dashboard's door: sign in with the first admin's password, an account's or a token, keep a session, and
 * no write through that session without its CSRF token.
 */
@WeftIntegrationTest
class SessionSignInTest {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

    @LocalServerPort
    int port;

    HttpClient browser;

    @BeforeEach
    void setUp() {
        browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    }

    @Test
    void theFirstAdminSignsInWithItsConfiguredPasswordAndKeepsASession() throws Exception {
        HttpResponse<String> signedIn = signIn("admin", "weft-local-dev-admin");
        assertThat(signedIn.statusCode()).isEqualTo(302);
        assertThat(signedIn.headers().firstValue("Location").orElse("")).endsWith("/");
        HttpResponse<String> me = get("/api/v1/me");
        assertThat(me.statusCode()).isEqualTo(200);
        assertThat(me.body()).contains("\"name\":\"admin\"", "\"role\":\"admin\"");
    }

    @Test
    void aWrongPasswordSignsNobodyIn() throws Exception {
        HttpResponse<String> refused = signIn("admin", "not-the-password");
        assertThat(refused.headers().firstValue("Location").orElse("")).endsWith("/login?error");
        assertThat(get("/api/v1/me").statusCode()).isEqualTo(401);
        assertThat(get("/login?error").body()).contains("Sign-in failed");
    }

    @Test
    void aSessionWriteNeedsItsCsrfToken() throws Exception {
        signIn("admin", "weft-local-dev-admin");
        String app = "csrf-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> forged = post("/api/v1/applications", "{\"name\":\"" + app + "\"}", null);
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("\"code\":\"FORBIDDEN\"", "CSRF");
        assertThat(new HttpApi(port).get("/api/v1/applications/" + app).status())
                .isEqualTo(404);
        HttpResponse<String> real = post("/api/v1/applications", "{\"name\":\"" + app + "\"}", csrf());
        assertThat(real.statusCode()).as(real.body()).isEqualTo(201);
        assertThat(new HttpApi(port).get("/api/v1/events?application=" + app).body())
                .contains("\"actor\":\"admin\"");
    }

    @Test
    void anAccountAndATokenSignInWithTheirRoles() throws Exception {
        HttpApi admin = new HttpApi(port);
        String name = "acct-" + UUID.randomUUID().toString().substring(0, 8);
        HttpApi.Response created = admin.post(
                "/api/v1/accounts",
                HttpApi.json(java.util.Map.of("name", name, "role", "operator", "password", "long enough secret")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.location()).isEqualTo("/api/v1/accounts/" + name);
        assertThat(created.body()).doesNotContain("long enough secret");
        signIn(name, "long enough secret");
        assertThat(get("/api/v1/me").body()).contains("\"role\":\"operator\"");

        browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        HttpResponse<String> tokenSignIn = signIn("", Tokens.issue(admin, "viewer"));
        assertThat(tokenSignIn.headers().firstValue("Location").orElse(""))
                .as(tokenSignIn.headers().toString())
                .endsWith("/");
        assertThat(get("/api/v1/me").body()).contains("\"role\":\"viewer\"");
        HttpResponse<String> write = post("/api/v1/applications", "{\"name\":\"nope\"}", csrf());
        assertThat(write.statusCode()).isEqualTo(403);
        assertThat(write.body()).contains("role viewer");

        assertThat(admin.delete("/api/v1/accounts/" + name).status()).isEqualTo(204);
        browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        assertThat(signIn(name, "long enough secret")
                        .headers()
                        .firstValue("Location")
                        .orElse(""))
                .endsWith("/login?error");
    }

    @Test
    void aBrowserWithoutASessionIsSentToSignIn() throws Exception {
        HttpResponse<String> page = browser.send(
                HttpRequest.newBuilder(URI.create(base() + "/"))
                        .header("Accept", "text/html")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(302);
        assertThat(page.headers().firstValue("Location").orElse("")).endsWith("/login");
        assertThat(get("/login").body()).contains("<form", "name=\"_csrf\"");
    }

    private HttpResponse<String> signIn(String name, String password) throws Exception {
        String form = "username=" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&_csrf="
                + URLEncoder.encode(csrf(), StandardCharsets.UTF_8);
        return browser.send(
                HttpRequest.newBuilder(URI.create(base() + "/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String csrf() throws Exception {
        Matcher m = CSRF.matcher(get("/login").body());
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return browser.send(
                HttpRequest.newBuilder(URI.create(base() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String json, String csrf) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (csrf != null) {
            request.header("X-CSRF-TOKEN", csrf);
        }
        return browser.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String base() {
        return "http://localhost:" + port;
    }
}
