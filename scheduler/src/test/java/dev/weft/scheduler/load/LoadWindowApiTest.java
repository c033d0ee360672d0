package dev.weft.scheduler.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.registry.Registry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

@LoadIngestionTest
class LoadWindowApiTest {

    @LocalServerPort
    int port;

    @Autowired
    Registry registry;

    HttpApi api;
    String app;

    @BeforeEach
    void setUp() {
        api = new HttpApi(port);
        app = LoadTestSupport.newApplication(api);
        LoadTestSupport.register(api, registry, app, "v1", 2, 1);
    }

    private String load(String query) {
        return "/api/v1/applications/" + app + "/versions/v1/load" + query;
    }

    @ParameterizedTest(name = "{0} is rejected naming {1}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            value = {
                "?window=abc | window | must be a duration",
                "?window=0s | window | at least 1 second",
                "?window=-5m | window | must be a duration",
                "?window=32d | window | at most 31 days",
                "?window=5m&from=2030-01-01T00:00:00Z | window | not both",
                "?from=2030-01-01T00:00:00Z | to | 'to' is missing",
                "?to=2030-01-01T00:00:00Z | from | 'from' is missing",
                "?from=yesterday&to=2030-01-01T00:00:00Z | from | ISO-8601 instant",
                "?from=2030-01-01T00:10:00Z&to=2030-01-01T00:00:00Z | from | must be before 'to'",
                "?from=2030-01-01T00:00:00Z&to=2030-01-01T00:00:00Z | from | must be before 'to'"
            })
    void badWindowsAreProblemsNamingTheParameter(String query, String field, String detail) {
        HttpApi.Response response = api.get(load(query));
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("type").asString()).isEqualTo("https://weft.dev/problems/invalid-window");
        assertThat(response.json().get("code").asString()).isEqualTo("INVALID_WINDOW");
        assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo(field);
        assertThat(response.json().get("detail").asString()).contains(detail);
    }

    @ParameterizedTest(name = "{0} is a window of {1} s")
    @CsvSource({
        "'', 300",
        "?window=PT5M, 300",
        "?window=90s, 90",
        "?window=2h, 7200",
        "?window=1d, 86400",
        "?from=2030-01-01T00:00:00Z&to=2030-01-01T00:01:00Z, 60"
    })
    void goodWindowsAreAccepted(String query, double seconds) {
        HttpApi.Response response = api.get(load(query));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().get("windowSeconds").asDouble()).isEqualTo(seconds);
        assertThat(response.json().get("components")).hasSize(2);
    }

    @Test
    void unknownApplicationAndUnknownVersionAreTold404Apart() {
        HttpApi.Response noApp = api.get("/api/v1/applications/no-such-app-" + app + "/versions/v1/load");
        assertThat(noApp.status()).isEqualTo(404);
        assertThat(noApp.json().get("code").asString()).isEqualTo("APPLICATION_NOT_FOUND");
        assertThat(noApp.json().get("detail").asString()).contains("no-such-app-" + app);

        HttpApi.Response noVersion = api.get("/api/v1/applications/" + app + "/versions/v9/load");
        assertThat(noVersion.status()).isEqualTo(404);
        assertThat(noVersion.json().get("code").asString()).isEqualTo("VERSION_NOT_FOUND");
        assertThat(noVersion.json().get("type").asString()).isEqualTo("https://weft.dev/problems/version-not-found");
        assertThat(noVersion.json().get("detail").asString()).contains("'v9'");
    }
}
