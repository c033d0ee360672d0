package dev.weft.scheduler.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.WeftIntegrationTest;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Health, metrics, the OpenAPI document and its UI are where the README says they are, and say what it says. */
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
        JsonNode db = health.json().get("components").get("db");
        assertThat(db).as(health.body()).isNotNull();
        assertThat(db.get("status").asString()).isEqualTo("UP");
        // components are shown, their details (database product, validation query) are not
        assertThat(db.has("details")).as(health.body()).isFalse();
    }

    @Test
    void prometheusScrapeServesTheJvmAndHttpMetrics() {
        api.get("/api/v1/applications");
        HttpApi.Response scrape = api.get("/actuator/prometheus");
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.contentType()).startsWith("text/plain");
        assertThat(scrape.body())
                .contains("# TYPE jvm_memory_used_bytes gauge")
                .containsPattern("(?m)^http_server_requests_seconds_count\\{.*uri=\"/api/v1/applications\".*} \\d");
    }

    @Test
    void openApiDocumentDescribesEveryV1Path() {
        HttpApi.Response docs = api.get("/v3/api-docs");
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.json().get("openapi").asString()).startsWith("3.");
        assertThat(docs.json().get("info").get("title").asString()).isEqualTo("Weft control plane API");
        assertThat(docs.json().get("paths").propertyNames())
                .contains(
                        "/api/v1/applications",
                        "/api/v1/applications/{app}",
                        "/api/v1/applications/{app}/versions",
                        "/api/v1/applications/{app}/versions/{version}",
                        "/api/v1/events");
    }

    @Test
    void openApiDocumentDeclaresTheRulesOfAVersionSpec() {
        JsonNode schemas = api.get("/v3/api-docs").json().get("components").get("schemas");
        JsonNode spec = schemas.get("VersionSpec");
        assertThat(strings(spec.get("required"))).containsExactlyInAnyOrder("version", "artifact", "components");
        assertThat(spec.get("properties").get("components").get("maxItems").asInt())
                .isEqualTo(2000);
        assertThat(spec.get("properties").get("edges").get("maxItems").asInt()).isEqualTo(20000);
        assertThat(spec.get("properties").get("version").get("maxLength").asInt())
                .isEqualTo(63);

        JsonNode component = schemas.get("ComponentSpec");
        assertThat(strings(component.get("required"))).containsExactlyInAnyOrder("name", "cpuMillis", "memoryMiB");
        assertThat(component.get("properties").get("cpuMillis").get("minimum").asInt())
                .isEqualTo(1);
        assertThat(component.get("properties").get("cpuMillis").get("maximum").asInt())
                .isEqualTo(256000);
        assertThat(component.get("properties").get("memoryMiB").get("maximum").asInt())
                .isEqualTo(1048576);
        assertThat(strings(schemas.get("EdgeSpec").get("required"))).containsExactlyInAnyOrder("caller", "callee");
        assertThat(strings(schemas.get("PinSpec").get("required"))).containsExactlyInAnyOrder("component", "label");
        assertThat(strings(schemas.get("Problem").get("required"))).contains("type", "status", "detail", "code");
    }

    @Test
    void openApiDocumentDeclaresTheProblemsEachRegistryEndpointAnswers() {
        JsonNode paths = api.get("/v3/api-docs").json().get("paths");
        JsonNode register =
                paths.get("/api/v1/applications/{app}/versions").get("post").get("responses");
        assertThat(register.propertyNames()).contains("200", "201", "400", "404", "409", "413", "415");
        assertThat(register.get("409").get("description").asString()).contains("VERSION_CONFLICT");
        for (String status : List.of("400", "404", "409", "413")) {
            assertThat(register.get(status)
                            .get("content")
                            .get("application/problem+json")
                            .get("schema")
                            .get("$ref")
                            .asString())
                    .as(status)
                    .isEqualTo("#/components/schemas/Problem");
        }
        assertThat(paths.get("/api/v1/applications")
                        .get("post")
                        .get("responses")
                        .propertyNames())
                .contains("201", "400", "409");
        assertThat(paths.get("/api/v1/applications/{app}")
                        .get("delete")
                        .get("responses")
                        .get("409")
                        .get("description")
                        .asString())
                .contains("APPLICATION_IN_USE");
        assertThat(paths.get("/api/v1/applications/{app}/versions/{version}")
                        .get("delete")
                        .get("responses")
                        .get("409")
                        .get("description")
                        .asString())
                .contains("VERSION_IN_USE");
    }

    @Test
    void swaggerUiIsServedAtTheDocumentedPath() {
        HttpApi.Response redirect = api.get("/swagger-ui.html");
        assertThat(redirect.status()).isBetween(301, 308);
        HttpApi.Response ui = api.getFollowingRedirects("/swagger-ui.html");
        assertThat(ui.status()).isEqualTo(200);
        assertThat(ui.contentType()).startsWith("text/html");
        assertThat(ui.body()).contains("swagger-ui");
    }

    @Test
    void methodTheResourceDoesNotSupportIsA405Problem() {
        HttpApi.Response refused = api.send("PUT", "/api/v1/applications", "application/json", "{\"name\": \"shop\"}");
        assertThat(refused.status()).isEqualTo(405);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("code").asString()).isEqualTo("METHOD_NOT_ALLOWED");
        assertThat(refused.json().get("type").asString()).isEqualTo("https://weft.dev/problems/method-not-allowed");
        assertThat(refused.json().get("detail").asString()).contains("PUT");
    }

    @Test
    void bodyThatIsNotJsonIsA415Problem() {
        HttpApi.Response refused = api.send("POST", "/api/v1/applications", "text/plain", "name=shop");
        assertThat(refused.status()).isEqualTo(415);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.json().get("code").asString()).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
        assertThat(refused.json().get("type").asString()).isEqualTo("https://weft.dev/problems/unsupported-media-type");
        assertThat(refused.json().get("detail").asString()).contains("text/plain");
    }

    private static List<String> strings(JsonNode array) {
        assertThat(array).as("a JSON array").isNotNull();
        return array.valueStream().map(JsonNode::asString).toList();
    }

    @Test
    void unknownPathIsAProblemToo() {
        HttpApi.Response missing = api.get("/api/v1/nothing-here");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.contentType()).startsWith("application/problem+json");
        assertThat(missing.json().get("code").asString()).isEqualTo("NOT_FOUND");
    }
}
