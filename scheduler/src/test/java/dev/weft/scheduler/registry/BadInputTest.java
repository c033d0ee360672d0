package dev.weft.scheduler.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.WeftIntegrationTest;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every class of bad input gets an RFC 9457 problem with its own type, a detail naming the offending
 * field or component, and leaves every table exactly as it was.
 */
@WeftIntegrationTest
class BadInputTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String APP = "bad-input-shop";
    private static final String VERSIONS = "/api/v1/applications/" + APP + "/versions";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    HttpApi api;

    @BeforeEach
    void setUp() {
        api = new HttpApi(port);
        // created by the first test, already there for the others (the context is shared)
        HttpApi.Response application = api.post("/api/v1/applications", HttpApi.json(Map.of("name", APP)));
        assertThat(application.status()).as(application.body()).isIn(201, 409);
        // a stored version, so tests can check a rejected request did not touch existing data either
        HttpApi.Response version = api.post(VERSIONS, RegistryTestSupport.exampleSpec());
        assertThat(version.status()).as(version.body()).isIn(201, 200);
        assertThat(api.get(VERSIONS + "/v1").status()).isEqualTo(200);
    }

    private static String spec(Consumer<ObjectNode> change) {
        ObjectNode spec = (ObjectNode) JSON.readTree(RegistryTestSupport.exampleSpec());
        spec.put("version", "v2");
        change.accept(spec);
        return spec.toString();
    }

    private static ArrayNode components(ObjectNode spec) {
        return (ArrayNode) spec.get("components");
    }

    private static ArrayNode edges(ObjectNode spec) {
        return (ArrayNode) spec.get("edges");
    }

    private static ObjectNode constraints(ObjectNode spec) {
        return (ObjectNode) spec.get("constraints");
    }

    static Stream<Arguments> badVersions() {
        return Stream.of(
                Arguments.of("malformed JSON", "{\"version\": \"v2\", \"components\": [", "MALFORMED_JSON", "line"),
                Arguments.of("empty body", "", "MALFORMED_JSON", "missing"),
                Arguments.of("unknown top-level field", spec(s -> s.put("replicas", 3)), "UNKNOWN_FIELD", "replicas"),
                Arguments.of(
                        "unknown nested field",
                        spec(s -> ((ObjectNode) components(s).get(2)).put("cpu", 1)),
                        "UNKNOWN_FIELD",
                        "components[2].cpu"),
                Arguments.of(
                        "wrong field type",
                        spec(s -> ((ObjectNode) components(s).get(1)).put("cpuMillis", "lots")),
                        "INVALID_FIELD_TYPE",
                        "components[1].cpuMillis"),
                Arguments.of("missing version", spec(s -> s.remove("version")), "MISSING_FIELD", "version"),
                Arguments.of("missing artifact", spec(s -> s.remove("artifact")), "MISSING_FIELD", "artifact"),
                Arguments.of("missing components", spec(s -> s.remove("components")), "MISSING_FIELD", "components"),
                Arguments.of(
                        "missing component memory",
                        spec(s -> ((ObjectNode) components(s).get(4)).remove("memoryMiB")),
                        "MISSING_FIELD",
                        "components[4].memoryMiB"),
                Arguments.of(
                        "missing edge callee",
                        spec(s -> ((ObjectNode) edges(s).get(3)).remove("callee")),
                        "MISSING_FIELD",
                        "edges[3].callee"),
                Arguments.of("no components", spec(s -> components(s).removeAll()), "NO_COMPONENTS", "components"),
                Arguments.of("upper-case version name", spec(s -> s.put("version", "V2")), "INVALID_NAME", "'V2'"),
                Arguments.of(
                        "component name with underscore",
                        spec(s -> ((ObjectNode) components(s).get(0)).put("name", "front_end")),
                        "INVALID_NAME",
                        "front_end"),
                Arguments.of(
                        "version name too long",
                        spec(s -> s.put("version", "v" + "1".repeat(63))),
                        "INVALID_NAME",
                        "version"),
                Arguments.of(
                        "component name too long",
                        spec(s -> ((ObjectNode) components(s).get(0)).put("name", "a".repeat(64))),
                        "INVALID_NAME",
                        "components[0].name"),
                Arguments.of("blank artifact", spec(s -> s.put("artifact", " ")), "INVALID_ARTIFACT", "artifact"),
                Arguments.of(
                        "too many components",
                        spec(s -> {
                            ArrayNode list = components(s);
                            list.removeAll();
                            for (int i = 0; i <= VersionSpecValidator.MAX_COMPONENTS; i++) {
                                list.addObject()
                                        .put("name", "c" + i)
                                        .put("cpuMillis", 1)
                                        .put("memoryMiB", 1);
                            }
                            edges(s).removeAll();
                            s.remove("constraints");
                        }),
                        "TOO_MANY_COMPONENTS",
                        "2001"),
                Arguments.of(
                        "too many edges",
                        spec(s -> {
                            ArrayNode list = edges(s);
                            for (int i = 0; i < VersionSpecValidator.MAX_EDGES; i++) {
                                list.addObject().put("caller", "frontend").put("callee", "ads");
                            }
                        }),
                        "TOO_MANY_EDGES",
                        "20015"),
                Arguments.of(
                        "edge to an unknown component",
                        spec(s -> ((ObjectNode) edges(s).get(0)).put("callee", "inventory")),
                        "UNKNOWN_COMPONENT",
                        "inventory"),
                Arguments.of(
                        "constraint naming an unknown component",
                        spec(s -> ((ArrayNode) constraints(s).get("colocate").get(0)).add("warehouse")),
                        "UNKNOWN_COMPONENT",
                        "warehouse"),
                Arguments.of(
                        "separate pair naming an unknown component",
                        spec(s -> ((ArrayNode) constraints(s).get("separate").get(0)).set(1, "billing")),
                        "UNKNOWN_COMPONENT",
                        "constraints.separate[0][1] names component 'billing'"),
                Arguments.of(
                        "pin of an unknown component",
                        spec(s -> ((ObjectNode) constraints(s).get("pins").get(0)).put("component", "vault")),
                        "UNKNOWN_COMPONENT",
                        "vault"),
                Arguments.of(
                        "self edge",
                        spec(s -> ((ObjectNode) edges(s).get(0)).put("callee", "frontend")),
                        "SELF_EDGE",
                        "frontend"),
                Arguments.of(
                        "duplicate component",
                        spec(s -> components(s)
                                .addObject()
                                .put("name", "cart")
                                .put("cpuMillis", 1)
                                .put("memoryMiB", 1)),
                        "DUPLICATE_COMPONENT",
                        "cart"),
                Arguments.of(
                        "duplicate edge",
                        spec(s -> edges(s).addObject().put("caller", "cart").put("callee", "cart-store")),
                        "DUPLICATE_EDGE",
                        "cart-store"),
                Arguments.of(
                        "must share and must never share, directly",
                        spec(s -> ((ArrayNode) constraints(s).get("separate"))
                                .addArray()
                                .add("cart")
                                .add("cart-store")),
                        "CONTRADICTORY_CONSTRAINTS",
                        "'cart' with 'cart-store'"),
                Arguments.of(
                        "must share and must never share, through a chain",
                        spec(s -> {
                            ArrayNode colocate = (ArrayNode) constraints(s).get("colocate");
                            colocate.addArray().add("cart-store").add("currency");
                            colocate.addArray().add("currency").add("email");
                            ((ArrayNode) constraints(s).get("separate"))
                                    .addArray()
                                    .add("cart")
                                    .add("email");
                        }),
                        "CONTRADICTORY_CONSTRAINTS",
                        "'currency' with 'email'"),
                Arguments.of(
                        "colocated components pinned to different label values",
                        spec(s -> {
                            ((ArrayNode) constraints(s).get("pins"))
                                    .addObject()
                                    .put("component", "cart")
                                    .put("label", "zone=a");
                            ((ArrayNode) constraints(s).get("pins"))
                                    .addObject()
                                    .put("component", "cart-store")
                                    .put("label", "zone=b");
                        }),
                        "CONTRADICTORY_CONSTRAINTS",
                        "zone=b"),
                Arguments.of(
                        "colocated components whose replica bounds do not overlap",
                        spec(s -> {
                            ((ObjectNode) components(s).get(2)).put("minReplicas", 8);
                            ((ObjectNode) components(s).get(3)).put("maxReplicas", 3);
                        }),
                        "CONTRADICTORY_CONSTRAINTS",
                        "no replica count"),
                Arguments.of(
                        "negative CPU",
                        spec(s -> ((ObjectNode) components(s).get(5)).put("cpuMillis", -100)),
                        "INVALID_RESOURCE",
                        "components[5].cpuMillis"),
                Arguments.of(
                        "CPU above its maximum",
                        spec(s -> ((ObjectNode) components(s).get(5)).put("cpuMillis", 256_001)),
                        "INVALID_RESOURCE",
                        "must be 1..256000 (millicores per replica), was 256001"),
                Arguments.of(
                        "absurd memory",
                        spec(s -> ((ObjectNode) components(s).get(6)).put("memoryMiB", 50_000_000)),
                        "INVALID_RESOURCE",
                        "50000000"),
                Arguments.of(
                        "zero memory",
                        spec(s -> ((ObjectNode) components(s).get(6)).put("memoryMiB", 0)),
                        "INVALID_RESOURCE",
                        "memoryMiB"),
                Arguments.of(
                        "min replicas above max",
                        spec(s -> ((ObjectNode) components(s).get(7)).put("minReplicas", 9)),
                        "INVALID_REPLICAS",
                        "components[7].minReplicas"),
                Arguments.of(
                        "absurd replicas",
                        spec(s -> ((ObjectNode) components(s).get(7)).put("maxReplicas", 1_000_000)),
                        "INVALID_REPLICAS",
                        "maxReplicas"),
                Arguments.of(
                        "negative call rate",
                        spec(s -> ((ObjectNode) edges(s).get(2)).put("callsPerSecond", -1)),
                        "INVALID_LOAD",
                        "edges[2].callsPerSecond"),
                Arguments.of(
                        "negative bytes per call",
                        spec(s -> ((ObjectNode) edges(s).get(1)).put("bytesPerCall", -0.5)),
                        "INVALID_LOAD",
                        "edges[1].bytesPerCall"),
                Arguments.of(
                        "colocate set of one",
                        spec(s -> ((ArrayNode) constraints(s).get("colocate"))
                                .addArray()
                                .add("ads")),
                        "INVALID_CONSTRAINT",
                        "constraints.colocate[1]"),
                Arguments.of(
                        "separate naming three components",
                        spec(s -> ((ArrayNode) constraints(s).get("separate").get(0)).add("ads")),
                        "INVALID_CONSTRAINT",
                        "exactly 2"),
                Arguments.of(
                        "malformed pin label",
                        spec(s -> ((ObjectNode) constraints(s).get("pins").get(0)).put("label", "pci==yes!")),
                        "INVALID_CONSTRAINT",
                        "pci==yes!"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badVersions")
    void badVersionIsRejectedWithANamedProblemAndChangesNothing(
            String description, String body, String code, String named) {
        Map<String, String> before = RegistryTestSupport.snapshot(jdbc);

        HttpApi.Response response = api.post(VERSIONS, body);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("code").asString()).as(response.body()).isEqualTo(code);
        assertThat(response.json().get("type").asString())
                .isEqualTo("https://weft.dev/problems/" + code.toLowerCase().replace('_', '-'));
        assertThat(response.json().get("status").asInt()).isEqualTo(400);
        assertThat(response.json().get("detail").asString()).as(response.body()).contains(named);
        assertThat(RegistryTestSupport.snapshot(jdbc)).isEqualTo(before);
    }

    /** Posts a version that must be refused with 400 and leave every table as it was; returns the problem. */
    private JsonNode refused(String body) {
        Map<String, String> before = RegistryTestSupport.snapshot(jdbc);
        HttpApi.Response response = api.post(VERSIONS, body);
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(RegistryTestSupport.snapshot(jdbc)).isEqualTo(before);
        return response.json();
    }

    private static List<String> fieldsWith(JsonNode problem, String code) {
        return problem.get("errors")
                .valueStream()
                .filter(e -> e.get("code").asString().equals(code))
                .map(e -> e.get("field").asString())
                .toList();
    }

    static Stream<Arguments> numbersThatAreNotInts() {
        return Stream.of(
                Arguments.of("beyond the int range", "3000000000"),
                Arguments.of("below the int range", "-3000000000"),
                Arguments.of("with a fraction", "250.7"),
                Arguments.of("written as a float", "250.0"),
                Arguments.of("written as a string", "\"250\""));
    }

    @ParameterizedTest(name = "cpuMillis {0}")
    @MethodSource("numbersThatAreNotInts")
    void integerFieldGivenANumberThatIsNotAnIntIsNamed(String description, String number) {
        String body = spec(s -> ((ObjectNode) components(s).get(0)).put("cpuMillis", 1))
                .replaceFirst("\"cpuMillis\":1(?=[,}])", "\"cpuMillis\":" + number);
        assertThat(body).contains("\"cpuMillis\":" + number);

        JsonNode problem = refused(body);

        assertThat(problem.get("code").asString()).isEqualTo("INVALID_FIELD_TYPE");
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo("components[0].cpuMillis");
        assertThat(problem.get("detail").asString())
                .contains("components[0].cpuMillis")
                .contains(number);
    }

    @Test
    void pinLabelKeyLongerThanKubernetesAllowsIsRefusedNamingThePin() {
        String longPrefix = "a".repeat(LabelSelector.MAX_PREFIX + 1) + "/zone";
        String longName = "example.com/" + "n".repeat(LabelSelector.MAX_NAME + 1);
        String longValue = "zone=" + "v".repeat(LabelSelector.MAX_NAME + 1);
        JsonNode problem = refused(spec(s -> {
            ArrayNode pins = (ArrayNode) constraints(s).get("pins");
            pins.addObject().put("component", "cart").put("label", longPrefix);
            pins.addObject().put("component", "email").put("label", longName);
            pins.addObject().put("component", "ads").put("label", longValue);
        }));

        assertThat(problem.get("code").asString()).isEqualTo("INVALID_CONSTRAINT");
        // constraints.pins[0] is the example's own, valid pin
        assertThat(fieldsWith(problem, "INVALID_CONSTRAINT"))
                .containsExactly("constraints.pins[1].label", "constraints.pins[2].label", "constraints.pins[3].label");
        assertThat(problem.get("errors").get(0).get("detail").asString())
                .contains("prefix")
                .contains("254 characters");
        assertThat(problem.get("errors").get(1).get("detail").asString())
                .contains("name")
                .contains("64 characters");
        assertThat(problem.get("errors").get(2).get("detail").asString())
                .contains("value")
                .contains("64 characters");
    }

    @Test
    void tooManyComponentsIsTheOnlyErrorWhenEdgesAndConstraintsNameDeclaredOnes() {
        JsonNode problem = refused(spec(s -> {
            ArrayNode list = components(s);
            for (int i = 0; list.size() <= VersionSpecValidator.MAX_COMPONENTS; i++) {
                list.addObject().put("name", "extra" + i).put("cpuMillis", 1).put("memoryMiB", 1);
            }
            edges(s).addObject().put("caller", "extra0").put("callee", "extra1");
        }));

        assertThat(problem.get("code").asString()).isEqualTo("TOO_MANY_COMPONENTS");
        assertThat(problem.get("detail").asString()).contains("2001");
        assertThat(problem.get("errors").valueStream().map(e -> e.get("code").asString()))
                .containsExactly("TOO_MANY_COMPONENTS");
    }

    @Test
    void noComponentsIsTheOnlyErrorThoughEdgesAndConstraintsNameComponents() {
        String body = spec(s -> components(s).removeAll());
        assertThat(JSON.readTree(body).get("edges")).isNotEmpty();
        assertThat(JSON.readTree(body).get("constraints").get("pins")).isNotEmpty();

        JsonNode problem = refused(body);

        assertThat(problem.get("errors").valueStream().map(e -> e.get("code").asString()))
                .containsExactly("NO_COMPONENTS");
    }

    static Stream<Arguments> badApplications() {
        return Stream.of(
                Arguments.of("upper case", "{\"name\": \"Shop\"}", "INVALID_NAME", "Shop"),
                Arguments.of("too long", "{\"name\": \"" + "s".repeat(64) + "\"}", "INVALID_NAME", "s".repeat(64)),
                Arguments.of("starts with a digit", "{\"name\": \"1shop\"}", "INVALID_NAME", "1shop"),
                Arguments.of("missing name", "{}", "MISSING_FIELD", "name"),
                Arguments.of("unknown field", "{\"name\": \"ok\", \"owner\": \"me\"}", "UNKNOWN_FIELD", "owner"),
                Arguments.of("not JSON", "name=shop", "MALFORMED_JSON", "Malformed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badApplications")
    void badApplicationIsRejectedWithANamedProblemAndChangesNothing(
            String description, String body, String code, String named) {
        Map<String, String> before = RegistryTestSupport.snapshot(jdbc);

        HttpApi.Response response = api.post("/api/v1/applications", body);

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().get("code").asString()).as(response.body()).isEqualTo(code);
        assertThat(response.json().get("detail").asString()).contains(named);
        assertThat(RegistryTestSupport.snapshot(jdbc)).isEqualTo(before);
    }

    @ParameterizedTest(name = "page={0}, size={1}")
    @MethodSource("badPages")
    void badPagingParametersAreNamed(String page, String size, String named) {
        HttpApi.Response response = api.get("/api/v1/applications?page=" + page + "&size=" + size);
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().get("detail").asString()).contains(named);
    }

    static Stream<Arguments> badPages() {
        return Stream.of(
                Arguments.of("-1", "10", "page"),
                Arguments.of("0", "0", "size"),
                Arguments.of("0", "100000", "size"),
                Arguments.of("x", "10", "page"));
    }
}
