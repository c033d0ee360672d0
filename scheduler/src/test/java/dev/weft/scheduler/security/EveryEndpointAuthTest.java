package dev.weft.scheduler.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.WeftIntegrationTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Walks the OpenAPI document so no endpoint is forgotten: every operation refuses a missing, wrong, foreign,
 * expired and revoked token with 401, and a role below the one it documents with 403; none of those refusals
 * changes anything.
 */
@WeftIntegrationTest
class EveryEndpointAuthTest {

    private static final Pattern ROLE = Pattern.compile("Role: (viewer|operator|admin)\\.");

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    /** One operation of the document, with its path filled in and the role it says it needs. */
    record Call(String method, String path, String role) {}

    @Test
    void everyOperationRefusesBadCredentialsAndTooLowARole() {
        HttpApi admin = new HttpApi(port);
        String viewerToken = Tokens.issue(admin, "viewer");
        String operatorToken = Tokens.issue(admin, "operator");
        HttpApi.Response expired = Tokens.issued(admin, "admin", "walk-expired-" + System.nanoTime());
        jdbc.sql("update api_tokens set created_at = now() - interval '2 days', expires_at = now() - interval '1 day'"
                        + " where id = ?")
                .param(expired.json().get("id").asLong())
                .update();
        HttpApi.Response revoked = Tokens.issued(admin, "admin", "walk-revoked-" + System.nanoTime());
        admin.delete("/api/v1/tokens/" + revoked.json().get("id").asLong());

        Map<String, String> badCredentials = new LinkedHashMap<>();
        badCredentials.put("none", null);
        badCredentials.put("unknown", "weft_thisTokenWasNeverIssuedByThisControlPlane0000");
        badCredentials.put("foreign", "not-a-weft-token");
        badCredentials.put("expired", expired.json().get("token").asString());
        badCredentials.put("revoked", revoked.json().get("token").asString());

        List<Call> calls = calls(admin.get("/v3/api-docs").json());
        assertThat(calls).hasSizeGreaterThanOrEqualTo(30);
        List<String> wrong = new ArrayList<>();
        String before = snapshot();
        for (Call call : calls) {
            for (var credential : badCredentials.entrySet()) {
                HttpApi.Response response = admin.withToken(credential.getValue())
                        .send(call.method(), call.path(), "application/json", "{}");
                if (response.status() != 401
                        || response.json() == null
                        || !"UNAUTHENTICATED"
                                .equals(response.json().path("code").asString())) {
                    wrong.add(call + " with a " + credential.getKey() + " token answered " + response.status() + " "
                            + response.body());
                }
            }
            String lower = switch (call.role()) {
                case "operator" -> viewerToken;
                case "admin" -> operatorToken;
                default -> null;
            };
            if (lower != null) {
                HttpApi.Response response =
                        admin.withToken(lower).send(call.method(), call.path(), "application/json", "{}");
                if (response.status() != 403
                        || !"FORBIDDEN".equals(response.json().path("code").asString())) {
                    wrong.add(call + " with a role below " + call.role() + " answered " + response.status() + " "
                            + response.body());
                }
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(snapshot()).as("what the refused requests changed").isEqualTo(before);
    }

    private static List<Call> calls(JsonNode document) {
        List<Call> calls = new ArrayList<>();
        for (var path : document.get("paths").properties()) {
            for (var operation : path.getValue().properties()) {
                String description = operation.getValue().path("description").asString("");
                Matcher role = ROLE.matcher(description);
                assertThat(role.find())
                        .as("%s %s documents the role it needs", operation.getKey(), path.getKey())
                        .isTrue();
                String filled = path.getKey()
                        .replace("{app}", "shop")
                        .replace("{version}", "v1")
                        .replaceAll("\\{[A-Za-z]*[Ii]d}", "1")
                        .replaceAll("\\{[A-Za-z]+}", "1");
                calls.add(new Call(operation.getKey().toUpperCase(Locale.ROOT), filled, role.group(1)));
            }
        }
        return calls;
    }

    private String snapshot() {
        return jdbc.sql("""
                select (select count(*) || '/' || coalesce(max(id), 0) from applications)
                    || ' ' || (select count(*) || '/' || coalesce(max(id), 0) from versions)
                    || ' ' || (select count(*) || '/' || coalesce(max(id), 0) from events where agent_id is null)
                    || ' ' || (select count(*) || '/' || count(revoked_at) from api_tokens)
                    || ' ' || (select count(*) || '/' || count(*) filter (where cordoned or draining) || '/' || coalesce(string_agg(state, ',' order by id), '') from agents)""").query(String.class).single();
    }
}
