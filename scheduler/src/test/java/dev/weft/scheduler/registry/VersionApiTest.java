package dev.weft.scheduler.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.WeftIntegrationTest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

@WeftIntegrationTest
class VersionApiTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Registry registry;

    HttpApi api;
    String app;

    @BeforeEach
    void setUp() {
        api = new HttpApi(port);
        app = "shop-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(api.post("/api/v1/applications", HttpApi.json(Map.of("name", app)))
                        .status())
                .isEqualTo(201);
    }

    private String versions() {
        return "/api/v1/applications/" + app + "/versions";
    }

    @Test
    void registeredVersionIsStoredWithItsComponentsEdgesAndConstraints() {
        HttpApi.Response created = api.post(versions(), RegistryTestSupport.exampleSpec());
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.location()).isEqualTo(versions() + "/v1");

        JsonNode version = api.get(versions() + "/v1").json();
        assertThat(version.get("components")).hasSize(11);
        assertThat(version.get("edges")).hasSize(15);
        assertThat(version.get("constraints").get("colocate").get(0).toString()).isEqualTo("[\"cart\",\"cart-store\"]");
        assertThat(version.get("constraints").get("pins").get(0).get("label").asString())
                .isEqualTo("pci=true");
        assertThat(version.get("specHash").asString()).hasSize(64);

        Registry.RegisteredVersion stored = registry.version(app, "v1").orElseThrow();
        assertThat(stored.components()).hasSize(11);
        assertThat(stored.edges()).hasSize(15);
        assertThat(stored.component("frontend").orElseThrow().ingress()).isTrue();
        assertThat(jdbc.sql("""
                select count(*) from placement_constraints c join versions v on v.id = c.version_id
                where v.id = ? and c.kind = 'PIN' and c.label_key = 'pci' and c.label_value = 'true'""").param(stored.id()).query(Long.class).single()).isEqualTo(1);
        assertThat(api.get("/api/v1/events?application=" + app)
                        .json()
                        .get("items")
                        .get(0)
                        .get("kind")
                        .asString())
                .isEqualTo("VERSION_REGISTERED");
    }

    @Test
    void omittedReplicaBoundsAndIngressTakeTheirDocumentedDefaults() {
        String spec = """
                {"version": "1.0.0", "artifact": "file:///tmp/a.jar",
                 "components": [{"name": "solo", "cpuMillis": 100, "memoryMiB": 64}]}""";
        assertThat(api.post(versions(), spec).status()).isEqualTo(201);
        JsonNode solo = api.get(versions() + "/1.0.0").json().get("components").get(0);
        assertThat(solo.get("minReplicas").asInt()).isEqualTo(1);
        assertThat(solo.get("maxReplicas").asInt()).isEqualTo(100);
        assertThat(solo.get("ingress").asBoolean()).isFalse();
    }

    @Test
    void registeringTheSameSpecAgainInAnyOrderReturnsTheStoredVersion() {
        assertThat(api.post(versions(), RegistryTestSupport.exampleSpec()).status())
                .isEqualTo(201);
        ObjectNode shuffled = (ObjectNode) JSON.readTree(RegistryTestSupport.exampleSpec());
        reverse((ArrayNode) shuffled.get("components"));
        reverse((ArrayNode) shuffled.get("edges"));
        long versionsBefore =
                jdbc.sql("select count(*) from versions").query(Long.class).single();

        HttpApi.Response again = api.post(versions(), shuffled.toString());
        assertThat(again.status()).isEqualTo(200);
        assertThat(jdbc.sql("select count(*) from versions").query(Long.class).single())
                .isEqualTo(versionsBefore);
    }

    @Test
    void registeringADifferentSpecUnderAnExistingNameConflictsAndKeepsTheOriginal() {
        assertThat(api.post(versions(), RegistryTestSupport.exampleSpec()).status())
                .isEqualTo(201);
        String hash = api.get(versions() + "/v1").json().get("specHash").asString();
        String changed = RegistryTestSupport.exampleSpec().replace("\"cpuMillis\": 500", "\"cpuMillis\": 600");

        HttpApi.Response conflict = api.post(versions(), changed);
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.json().get("code").asString()).isEqualTo("VERSION_CONFLICT");
        assertThat(conflict.json().get("detail").asString()).contains("v1").contains("immutable");
        assertThat(api.get(versions() + "/v1").json().get("specHash").asString())
                .isEqualTo(hash);
    }

    @Test
    void versionsAreListedNewestFirst() {
        for (String v : List.of("1.0.0", "1.1.0", "2.0.0")) {
            String spec =
                    RegistryTestSupport.exampleSpec().replace("\"version\": \"v1\"", "\"version\": \"" + v + "\"");
            assertThat(api.post(versions(), spec).status()).isEqualTo(201);
        }
        JsonNode list = api.get(versions() + "?size=2").json();
        assertThat(list.get("total").asLong()).isEqualTo(3);
        assertThat(list.get("items")).hasSize(2);
        assertThat(list.get("items").get(0).get("version").asString()).isEqualTo("2.0.0");
        assertThat(list.get("items").get(0).get("components").asInt()).isEqualTo(11);
    }

    @Test
    void versionServingTrafficCannotBeDeletedUntilItsWeightIsZero() {
        assertThat(api.post(versions(), RegistryTestSupport.exampleSpec()).status())
                .isEqualTo(201);
        long versionId = registry.version(app, "v1").orElseThrow().id();
        jdbc.sql("insert into traffic_splits (application_id, version_id, weight_bp, updated_at) "
                        + "select application_id, id, 2500, now() from versions where id = ?")
                .param(versionId)
                .update();
        assertThat(api.get(versions() + "/v1")
                        .json()
                        .get("servingWeightBasisPoints")
                        .asInt())
                .isEqualTo(2500);

        HttpApi.Response refused = api.delete(versions() + "/v1");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("code").asString()).isEqualTo("VERSION_IN_USE");
        assertThat(refused.json().get("detail").asString()).contains("25.0%");

        jdbc.sql("update traffic_splits set weight_bp = 0 where version_id = ?")
                .param(versionId)
                .update();
        assertThat(api.delete(versions() + "/v1").status()).isEqualTo(204);
        assertThat(api.get(versions() + "/v1").status()).isEqualTo(404);
        assertThat(jdbc.sql("select count(*) from components where version_id = ?")
                        .param(versionId)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void versionWithReplicasAssignedByItsActivePlanCannotBeDeleted() {
        assertThat(api.post(versions(), RegistryTestSupport.exampleSpec()).status())
                .isEqualTo(201);
        long versionId = registry.version(app, "v1").orElseThrow().id();
        String agent = "agent-" + app;
        jdbc.sql("""
                insert into agents (id, state, address, zone, cpu_millis, memory_mib, registered_at, last_heartbeat_at, lease_expires_at)
                values (?, 'CONNECTED', '10.0.0.1:7000', 'z1', 4000, 8192, now(), now(), now() + interval '15 seconds')""").param(agent).update();
        jdbc.sql("insert into plans (id, version_id, generation, active, cost_per_hour, remote_call_cpu, created_at) "
                        + "values (nextval('weft_id_seq'), ?, 1, true, 0.1, 0, now())")
                .param(versionId)
                .update();
        jdbc.sql("insert into plan_groups (id, plan_id, group_index, replicas) "
                        + "select nextval('weft_id_seq'), id, 0, 1 from plans where version_id = ?")
                .param(versionId)
                .update();
        jdbc.sql("insert into assignments (id, plan_id, group_id, replica_index, agent_id) "
                        + "select nextval('weft_id_seq'), g.plan_id, g.id, 0, ? from plan_groups g join plans p on p.id = g.plan_id "
                        + "where p.version_id = ?")
                .params(agent, versionId)
                .update();

        HttpApi.Response refused = api.delete(versions() + "/v1");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("detail").asString()).contains("1 replica(s)");
        assertThat(api.delete("/api/v1/applications/" + app).json().get("code").asString())
                .isEqualTo("APPLICATION_IN_USE");

        jdbc.sql("update plans set active = false where version_id = ?")
                .param(versionId)
                .update();
        assertThat(api.delete(versions() + "/v1").status()).isEqualTo(204);
    }

    @Test
    void versionTakingPartInARolloutInFlightCannotBeDeletedUntilTheRolloutEnds() {
        assertThat(api.post(versions(), RegistryTestSupport.exampleSpec()).status())
                .isEqualTo(201);
        assertThat(api.post(
                                versions(),
                                RegistryTestSupport.exampleSpec().replace("\"version\": \"v1\"", "\"version\": \"v2\""))
                        .status())
                .isEqualTo(201);
        long from = registry.version(app, "v1").orElseThrow().id();
        long to = registry.version(app, "v2").orElseThrow().id();
        long rollout = jdbc.sql("""
                insert into rollouts (id, application_id, from_version_id, to_version_id, state, current_step, policy, created_at, updated_at)
                select nextval('weft_id_seq'), application_id, ?, ?, 'RAMPING', 1, '{"steps": [10, 50, 100]}'::jsonb, now(), now()
                from versions where id = ? returning id""").params(from, to, to).query(Long.class).single();

        for (String version : List.of("v1", "v2")) {
            HttpApi.Response refused = api.delete(versions() + "/" + version);
            assertThat(refused.status()).as(refused.body()).isEqualTo(409);
            assertThat(refused.json().get("code").asString()).isEqualTo("VERSION_IN_USE");
            assertThat(refused.json().get("detail").asString())
                    .contains("'" + version + "'")
                    .contains("rollout that is still in flight");
        }

        jdbc.sql("update rollouts set state = 'DONE' where id = ?")
                .param(rollout)
                .update();
        assertThat(api.delete(versions() + "/v1").status()).isEqualTo(204);
        assertThat(jdbc.sql("select count(*) from rollouts where id = ?")
                        .param(rollout)
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void longestPinLabelKubernetesAllowsIsStored() {
        // the longest DNS subdomain: labels of at most 63 characters, 253 in all
        String prefix = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(61);
        String key = prefix + "/" + "N".repeat(LabelSelector.MAX_NAME);
        String value = "v".repeat(LabelSelector.MAX_NAME);
        assertThat(key).hasSize(LabelSelector.MAX_KEY);
        String spec = RegistryTestSupport.exampleSpec()
                .replace("\"label\": \"pci=true\"", "\"label\": \"" + key + "=" + value + "\"");

        HttpApi.Response created = api.post(versions(), spec);

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(jdbc.sql("""
                select label_key || '=' || label_value from placement_constraints
                where version_id = ? and kind = 'PIN'""")
                        .param(registry.version(app, "v1").orElseThrow().id())
                        .query(String.class)
                        .single())
                .isEqualTo(key + "=" + value);
    }

    @Test
    void versionOfAMissingApplicationIsNotFound() {
        HttpApi.Response response =
                api.post("/api/v1/applications/nope-" + app + "/versions", RegistryTestSupport.exampleSpec());
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json().get("code").asString()).isEqualTo("APPLICATION_NOT_FOUND");
        assertThat(api.get(versions() + "/v9").json().get("code").asString()).isEqualTo("VERSION_NOT_FOUND");
    }

    @Test
    void largestAllowedVersionIsAcceptedWellUnderTheRequestSizeLimit() {
        ObjectNode spec = JSON.createObjectNode();
        spec.put("version", "big");
        spec.put("artifact", "oci://example/big:1");
        ArrayNode components = spec.putArray("components");
        for (int i = 0; i < VersionSpecValidator.MAX_COMPONENTS; i++) {
            components
                    .addObject()
                    .put("name", longName(i))
                    .put("cpuMillis", 256_000)
                    .put("memoryMiB", 1_048_576)
                    .put("minReplicas", 1)
                    .put("maxReplicas", 10_000)
                    .put("ingress", false);
        }
        ArrayNode edges = spec.putArray("edges");
        for (int i = 0; i < VersionSpecValidator.MAX_EDGES; i++) {
            int from = i % VersionSpecValidator.MAX_COMPONENTS;
            int to = (from + 1 + i / VersionSpecValidator.MAX_COMPONENTS) % VersionSpecValidator.MAX_COMPONENTS;
            edges.addObject()
                    .put("caller", longName(from))
                    .put("callee", longName(to))
                    .put("callsPerSecond", 123_456.789_012)
                    .put("bytesPerCall", 987_654.321_098);
        }
        // as a person would write it: indented, every name as long as allowed
        String body = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(spec);
        assertThat(body.length()).as("bytes of the largest version").isLessThan(8 * 1024 * 1024);

        HttpApi.Response created = api.post(versions(), body);

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(registry.version(app, "big").orElseThrow().edges()).hasSize(VersionSpecValidator.MAX_EDGES);
    }

    /** A component name of the full 63 characters. */
    private static String longName(int i) {
        return String.format("c%062d", i);
    }

    private static void reverse(ArrayNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        Collections.reverse(items);
        array.removeAll();
        items.forEach(array::add);
    }
}
