package dev.weft.scheduler.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.WeftIntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The audit log reads newest first, page by page, and for one application shows only its events. */
@WeftIntegrationTest
class EventApiTest {

    private static final String VERSION = """
            {"version": "%s", "artifact": "oci://example/shop:%s",
             "components": [{"name": "web", "cpuMillis": 100, "memoryMiB": 64}]}""";

    @LocalServerPort
    int port;

    HttpApi api;
    String app;

    @BeforeEach
    void anApplicationWithAHistory() {
        api = new HttpApi(port);
        app = "events-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(api.post("/api/v1/applications", HttpApi.json(Map.of("name", app)))
                        .status())
                .isEqualTo(201);
        for (String version : List.of("v1", "v2", "v3")) {
            assertThat(api.post("/api/v1/applications/" + app + "/versions", VERSION.formatted(version, version))
                            .status())
                    .isEqualTo(201);
        }
        assertThat(api.delete("/api/v1/applications/" + app + "/versions/v2").status())
                .isEqualTo(204);
        // someone else's event, written after ours, must not show in our application's log
        assertThat(api.post("/api/v1/applications", HttpApi.json(Map.of("name", app + "-other")))
                        .status())
                .isEqualTo(201);
    }

    @Test
    void eventsOfOneApplicationArePagedNewestFirst() {
        List<JsonNode> seen = new ArrayList<>();
        for (int page = 0; page < 3; page++) {
            JsonNode body = api.get("/api/v1/events?application=" + app + "&size=2&page=" + page)
                    .json();
            assertThat(body.get("total").asLong()).isEqualTo(5);
            assertThat(body.get("page").asInt()).isEqualTo(page);
            assertThat(body.get("size").asInt()).isEqualTo(2);
            body.get("items").forEach(seen::add);
        }

        assertThat(seen)
                .extracting(e -> e.get("kind").asString() + " " + text(e, "version"))
                .containsExactly(
                        "VERSION_DELETED v2",
                        "VERSION_REGISTERED v3",
                        "VERSION_REGISTERED v2",
                        "VERSION_REGISTERED v1",
                        "APPLICATION_CREATED -");
        assertThat(seen)
                .allSatisfy(e -> assertThat(e.get("application").asString()).isEqualTo(app));
        List<Long> ids = seen.stream().map(e -> e.get("id").asLong()).toList();
        assertThat(ids).isSortedAccordingTo((a, b) -> Long.compare(b, a)).doesNotHaveDuplicates();
        assertThat(seen.getFirst().get("occurredAt").asString())
                .isGreaterThanOrEqualTo(seen.getLast().get("occurredAt").asString());
    }

    @Test
    void unfilteredLogStartsWithTheNewestEventOfAnyApplication() {
        JsonNode newest = api.get("/api/v1/events?size=1").json();
        assertThat(newest.get("items")).hasSize(1);
        assertThat(newest.get("items").get(0).get("kind").asString()).isEqualTo("APPLICATION_CREATED");
        assertThat(newest.get("items").get(0).get("application").asString()).isEqualTo(app + "-other");
        assertThat(newest.get("total").asLong()).isGreaterThanOrEqualTo(6);
    }

    private static String text(JsonNode event, String field) {
        JsonNode value = event.get(field);
        return value == null || value.isNull() ? "-" : value.asString();
    }

    @Test
    void pageBeyondTheLastIsEmptyButKeepsTheTotal() {
        JsonNode beyond =
                api.get("/api/v1/events?application=" + app + "&size=2&page=5").json();
        assertThat(beyond.get("items")).isEmpty();
        assertThat(beyond.get("total").asLong()).isEqualTo(5);
    }
}
