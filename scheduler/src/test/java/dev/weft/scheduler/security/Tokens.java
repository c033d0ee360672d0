package dev.weft.scheduler.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.HttpApi;
import java.util.Map;
import java.util.UUID;

/** Issues real tokens through the API as the first admin, for tests of what each role may do. */
final class Tokens {

    private Tokens() {}

    /** A fresh token of this role, named uniquely; returns the secret. */
    static String issue(HttpApi admin, String role) {
        return issued(admin, role, role + "-" + UUID.randomUUID().toString().substring(0, 8))
                .json()
                .get("token")
                .asString();
    }

    static HttpApi.Response issued(HttpApi admin, String role, String name) {
        HttpApi.Response response =
                admin.post("/api/v1/tokens", HttpApi.json(Map.of("name", name, "role", role, "expiresInDays", 1)));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response;
    }
}
