package dev.weft.scheduler.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.WeftIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Health, the OpenAPI document and its UI are where the README says they are. */
@WeftIntegrationTest
class OperationalEndpointsTest {

    @LocalServerPort
    int port;

    HttpApi api;

    @BeforeEach
    void setUp() {
        api = new HttpApi(port);
    }

    @Test
    void healthIsUpAndIncludesTheDatabase() {
        HttpApi.Response health = api.get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
    }

    @Test
    void openApiDocumentDescribesEveryV1Path() {
        HttpApi.Response docs = api.get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.json().get("openapi").asString()).startsWith("3.");
        assertThat(docs.json().get("info").get("title").asString()).isEqualTo("Weft control plane API");
        assertThat(docs.json().get("paths").propertyNames()).contains(
                "/api/v1/applications",
                "/api/v1/applications/{app}",
                "/api/v1/applications/{app}/versions",
                "/api/v1/applications/{app}/versions/{version}",
                "/api/v1/events");
    }

    @Test
    void swaggerUiIsServed() {
        HttpApi.Response ui = api.get("/swagger-ui/index.html");
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.body()).contains("swagger-ui");
    }

    @Test
    void unknownPathIsAProblemToo() {
        HttpApi.Response missing = api.get("/api/v1/nothing-here");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.contentType()).startsWith("application/problem+json");
        assertThat(missing.json().get("code").asString()).isEqualTo("NOT_FOUND");
    }
}
