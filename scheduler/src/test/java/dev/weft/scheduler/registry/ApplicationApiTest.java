package dev.weft.scheduler.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.WeftIntegrationTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

@WeftIntegrationTest
class ApplicationApiTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    HttpApi api;

    @BeforeEach
    void setUp() {
        api = new HttpApi(port);
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void createdApplicationCanBeReadListedAndIsAudited() {
        String name = unique("shop");
        HttpApi.Response created = api.post("/api/v1/applications", HttpApi.json(Map.of("name", name)));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.location()).isEqualTo("/api/v1/applications/" + name);
        assertThat(created.json().get("name").asString()).isEqualTo(name);

        HttpApi.Response read = api.get("/api/v1/applications/" + name);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json().get("versions").asLong()).isZero();

        HttpApi.Response list = api.get("/api/v1/applications?size=500");
        assertThat(list.json().get("items").valueStream().map(n -> n.get("name").asString()))
                .contains(name);

        HttpApi.Response events = api.get("/api/v1/events?application=" + name);
        assertThat(events.json().get("items").get(0).get("kind").asString()).isEqualTo("APPLICATION_CREATED");
        assertThat(events.json().get("total").asLong()).isEqualTo(1);
    }

    @Test
    void listingIsPagedInNameOrder() {
        String prefix = unique("pg");
        for (int i = 0; i < 3; i++) {
            api.post("/api/v1/applications", HttpApi.json(Map.of("name", prefix + "-" + i)));
        }
        HttpApi.Response all = api.get("/api/v1/applications?size=500");
        long total = all.json().get("total").asLong();
        assertThat(total).isGreaterThanOrEqualTo(3);
        HttpApi.Response page = api.get("/api/v1/applications?page=1&size=1");
        assertThat(page.json().get("items")).hasSize(1);
        assertThat(page.json().get("page").asInt()).isEqualTo(1);
        assertThat(page.json().get("items").get(0).get("name").asString())
                .isEqualTo(all.json().get("items").get(1).get("name").asString());
    }

    @Test
    void creatingAnExistingApplicationConflicts() {
        String name = unique("dup");
        assertThat(api.post("/api/v1/applications", HttpApi.json(Map.of("name", name)))
                        .status())
                .isEqualTo(201);
        HttpApi.Response again = api.post("/api/v1/applications", HttpApi.json(Map.of("name", name)));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("type").asString()).isEqualTo("https://weft.dev/problems/application-exists");
        assertThat(again.json().get("detail").asString()).contains(name);
    }

    @Test
    void missingApplicationIsA404Problem() {
        HttpApi.Response missing = api.get("/api/v1/applications/no-such-app");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.contentType()).startsWith("application/problem+json");
        assertThat(missing.json().get("code").asString()).isEqualTo("APPLICATION_NOT_FOUND");
        assertThat(missing.json().get("detail").asString()).contains("no-such-app");
    }

    @Test
    void applicationWithAVersionServingTrafficCannotBeDeleted() {
        String name = unique("busy");
        api.post("/api/v1/applications", HttpApi.json(Map.of("name", name)));
        assertThat(api.post("/api/v1/applications/" + name + "/versions", RegistryTestSupport.exampleSpec())
                        .status())
                .isEqualTo(201);
        jdbc.sql("""
                insert into traffic_splits (application_id, version_id, weight_bp, updated_at)
                select a.id, v.id, 10000, now() from applications a join versions v on v.application_id = a.id where a.name = ?""").param(name).update();

        HttpApi.Response refused = api.delete("/api/v1/applications/" + name);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("code").asString()).isEqualTo("APPLICATION_IN_USE");
        assertThat(refused.json().get("detail").asString()).contains("v1");
        assertThat(api.get("/api/v1/applications/" + name + "/versions/v1").status())
                .isEqualTo(200);

        jdbc.sql(
                        "update traffic_splits set weight_bp = 0 where application_id = (select id from applications where name = ?)")
                .param(name)
                .update();
        assertThat(api.delete("/api/v1/applications/" + name).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/applications/" + name).status()).isEqualTo(404);
        assertThat(jdbc.sql(
                                "select count(*) from versions v where not exists (select 1 from applications a where a.id = v.application_id)")
                        .query(Long.class)
                        .single())
                .isZero();
        HttpApi.Response events = api.get("/api/v1/events?application=" + name);
        assertThat(events.json().get("items").get(0).get("kind").asString()).isEqualTo("APPLICATION_DELETED");
    }
}
