package dev.weft.scheduler.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.WeftIntegrationTest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** What each role may do, against representative endpoints; tokens shown once and stored only as hashes. */
@WeftIntegrationTest
class RoleTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    HttpApi admin;
    HttpApi viewer;
    HttpApi operator;
    String app;

    @BeforeEach
    void setUp() {
        admin = new HttpApi(port);
        viewer = admin.withToken(Tokens.issue(admin, "viewer"));
        operator = admin.withToken(Tokens.issue(admin, "operator"));
        app = "roles-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(admin.post("/api/v1/applications", HttpApi.json(Map.of("name", app)))
                        .status())
                .isEqualTo(201);
    }

    @Test
    void aViewerReadsButChangesNothing() {
        assertThat(viewer.get("/api/v1/applications/" + app).status()).isEqualTo(200);
        assertThat(viewer.get("/api/v1/events").status()).isEqualTo(200);
        assertThat(viewer.get("/api/v1/agents").status()).isEqualTo(200);
        HttpApi.Response create = viewer.post("/api/v1/applications", HttpApi.json(Map.of("name", app + "-x")));
        assertForbidden(create, "viewer", "operator");
        assertThat(admin.get("/api/v1/applications/" + app + "-x").status()).isEqualTo(404);
        assertForbidden(viewer.delete("/api/v1/applications/" + app), "viewer", "admin");
        assertForbidden(viewer.get("/api/v1/tokens"), "viewer", "admin");
        assertThat(admin.get("/api/v1/applications/" + app).status()).isEqualTo(200);
    }

    @Test
    void anOperatorChangesButDoesNotDeleteNorManageTokens() {
        HttpApi.Response created = operator.post("/api/v1/applications", HttpApi.json(Map.of("name", app + "-op")));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertForbidden(operator.delete("/api/v1/applications/" + app + "-op"), "operator", "admin");
        assertForbidden(operator.post("/api/v1/agents/someone/revoke", ""), "operator", "admin");
        assertForbidden(
                operator.post("/api/v1/tokens", HttpApi.json(Map.of("name", "sneaky", "role", "admin"))),
                "operator",
                "admin");
        assertThat(admin.delete("/api/v1/applications/" + app + "-op").status()).isEqualTo(204);
    }

    @Test
    void anEncodedPathIsJudgedAsTheControllersSeeIt() {
        // %65 is 'e': the controllers serve /api/v1/tokens, so the rule for tokens must apply too
        assertForbidden(viewer.get("/api/v1/tok%65ns"), "viewer", "admin");
        assertForbidden(
                viewer.send("DELETE", "/api/v1/%61pplications/" + app, "application/json", ""), "viewer", "admin");
        assertThat(admin.get("/api/v1/applications/" + app).status()).isEqualTo(200);
    }

    @Test
    void theAuditLogNamesWhoDidEachAction() {
        HttpApi.Response issued = Tokens.issued(admin, "operator", "alice-" + app);
        HttpApi alice = admin.withToken(issued.json().get("token").asString());
        assertThat(alice.post("/api/v1/applications", HttpApi.json(Map.of("name", app + "-a")))
                        .status())
                .isEqualTo(201);
        JsonNode events =
                admin.get("/api/v1/events?application=" + app + "-a").json().get("items");
        assertThat(events.get(0).get("kind").asString()).isEqualTo("APPLICATION_CREATED");
        assertThat(events.get(0).get("actor").asString()).isEqualTo("alice-" + app);
        JsonNode created = admin.get("/api/v1/events?application=" + app).json().get("items");
        assertThat(created.get(0).get("actor").asString()).isEqualTo("admin");
        String actor = jdbc.sql("select actor from events where kind = 'TOKEN_CREATED' and details->>'name' = ?")
                .param("alice-" + app)
                .query(String.class)
                .single();
        assertThat(actor).isEqualTo("admin");
    }

    @Test
    void aTokenIsShownOnceAndStoredOnlyAsItsHash() throws Exception {
        HttpApi.Response issued = Tokens.issued(admin, "viewer", "once-" + app);
        String token = issued.json().get("token").asString();
        long id = issued.json().get("id").asLong();
        assertThat(token).startsWith("weft_").hasSizeGreaterThanOrEqualTo(5 + 43);
        assertThat(issued.location()).isEmpty();
        assertThat(admin.get("/api/v1/tokens/" + id).body()).doesNotContain(token.substring(5));
        assertThat(admin.get("/api/v1/tokens?includeRevoked=true").body()).doesNotContain(token.substring(5));
        assertThat(admin.get("/api/v1/tokens/" + id).json().get("hint").asString())
                .isEqualTo(token.substring(0, 9));
        // at rest: the SHA-256 and nothing else of the secret
        Map<String, Object> row = jdbc.sql("select * from api_tokens where id = ?")
                .param(id)
                .query()
                .singleRow();
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        assertThat((byte[]) row.get("secret_sha256")).isEqualTo(expected);
        for (Object value : row.values()) {
            if (value instanceof String text) {
                assertThat(text).doesNotContain(token.substring(9));
            }
        }
        String dump = jdbc.sql("select string_agg(t::text, ' ') from api_tokens t")
                .query(String.class)
                .single();
        assertThat(dump).doesNotContain(token.substring(9));
    }

    @Test
    void aRevokedTokenIsRefusedAtOnceAndRevokingAgainChangesNothing() {
        HttpApi.Response issued = Tokens.issued(admin, "operator", "revoked-" + app);
        HttpApi holder = admin.withToken(issued.json().get("token").asString());
        long id = issued.json().get("id").asLong();
        assertThat(holder.get("/api/v1/me").json().get("role").asString()).isEqualTo("operator");
        HttpApi.Response revoked = admin.delete("/api/v1/tokens/" + id);
        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.json().get("state").asString()).isEqualTo("revoked");
        assertThat(revoked.json().get("revokedBy").asString()).isEqualTo("admin");
        assertUnauthenticated(holder.get("/api/v1/applications"), "revoked");
        assertThat(admin.delete("/api/v1/tokens/" + id).body()).isEqualTo(revoked.body());
        assertThat(jdbc.sql("select count(*) from events where kind = 'TOKEN_REVOKED' and details->>'name' = ?")
                        .param("revoked-" + app)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        // the name is free again once its token is revoked
        Tokens.issued(admin, "operator", "revoked-" + app);
    }

    @Test
    void anExpiredTokenIsRefused() {
        HttpApi.Response issued = Tokens.issued(admin, "admin", "expired-" + app);
        HttpApi holder = admin.withToken(issued.json().get("token").asString());
        assertThat(holder.get("/api/v1/applications").status()).isEqualTo(200);
        jdbc.sql(
                        "update api_tokens set created_at = now() - interval '2 days', expires_at = now() - interval '1 second'"
                                + " where id = ?")
                .param(issued.json().get("id").asLong())
                .update();
        assertUnauthenticated(holder.get("/api/v1/applications"), "expired");
        assertThat(admin.get("/api/v1/tokens/" + issued.json().get("id").asLong())
                        .json()
                        .get("state")
                        .asString())
                .isEqualTo("expired");
    }

    @Test
    void tokenRequestsAreChecked() {
        HttpApi.Response noRole = admin.post("/api/v1/tokens", HttpApi.json(Map.of("name", "x-" + app)));
        assertThat(noRole.status()).isEqualTo(400);
        assertThat(noRole.json().get("code").asString()).isEqualTo("MISSING_FIELD");
        HttpApi.Response badRole =
                admin.post("/api/v1/tokens", HttpApi.json(Map.of("name", "x-" + app, "role", "root")));
        assertThat(badRole.json().get("code").asString()).isEqualTo("INVALID_CREDENTIAL_REQUEST");
        assertThat(badRole.json().get("detail").asString()).contains("'root'");
        HttpApi.Response tooLong = admin.post(
                "/api/v1/tokens", HttpApi.json(Map.of("name", "x-" + app, "role", "viewer", "expiresInDays", 3651)));
        assertThat(tooLong.json().get("errors").get(0).get("field").asString()).isEqualTo("expiresInDays");
        Tokens.issued(admin, "viewer", "taken-" + app);
        HttpApi.Response taken =
                admin.post("/api/v1/tokens", HttpApi.json(Map.of("name", "taken-" + app, "role", "viewer")));
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.json().get("code").asString()).isEqualTo("TOKEN_NAME_TAKEN");
        assertThat(admin.get("/api/v1/tokens/999999999").json().get("code").asString())
                .isEqualTo("TOKEN_NOT_FOUND");
    }

    @Test
    void healthAndTheSignInPageAreOpenMetricsNeedARole() {
        HttpApi anonymous = admin.withToken(null);
        assertThat(anonymous.get("/actuator/health").status()).isEqualTo(200);
        assertThat(anonymous.get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(anonymous.get("/login").status()).isEqualTo(200);
        assertUnauthenticated(anonymous.get("/actuator/metrics"), "needs an operator token");
        assertUnauthenticated(anonymous.get("/actuator/prometheus"), "needs an operator token");
        assertThat(viewer.get("/actuator/metrics").status()).isEqualTo(200);
        assertThat(viewer.get("/actuator/prometheus").status()).isEqualTo(200);
    }

    @Test
    void theCallerLearnsItsNameAndRole() {
        assertThat(admin.get("/api/v1/me").json().get("name").asString()).isEqualTo("admin");
        assertThat(admin.get("/api/v1/me").json().get("role").asString()).isEqualTo("admin");
        assertThat(viewer.get("/api/v1/me").json().get("role").asString()).isEqualTo("viewer");
    }

    static void assertForbidden(HttpApi.Response response, String held, String needed) {
        assertThat(response.status()).as(response.body()).isEqualTo(403);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("code").asString()).isEqualTo("FORBIDDEN");
        assertThat(response.json().get("type").asString()).isEqualTo("https://weft.dev/problems/forbidden");
        assertThat(response.json().get("detail").asString()).contains("role " + held, "needs " + needed);
    }

    static void assertUnauthenticated(HttpApi.Response response, String why) {
        assertThat(response.status()).as(response.body()).isEqualTo(401);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("code").asString()).isEqualTo("UNAUTHENTICATED");
        assertThat(response.json().get("detail").asString()).contains(why);
        assertThat(List.of(response.json().get("status").asInt())).containsExactly(401);
    }
}
