package dev.weft.scheduler.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.RawHttp;
import dev.weft.scheduler.WeftIntegrationTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Each class of hostile input the independent corpus found (issue 10), fixed at its root and checked across every
 * field or path it applies to: every answer is a problem with a code, no Java names, and nothing is stored.
 */
@WeftIntegrationTest
class HostileInputTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String APP = "hostile-shop";
    private static final String VERSIONS = "/api/v1/applications/" + APP + "/versions";

    /** Every string field of a version spec, by the path a problem names it with. */
    static final List<String> STRING_FIELDS = List.of(
            "version",
            "artifact",
            "components[0].name",
            "edges[0].caller",
            "edges[0].callee",
            "constraints.colocate[0][0]",
            "constraints.separate[0][1]",
            "constraints.pins[0].component",
            "constraints.pins[0].label");

    static final List<String> INTEGER_FIELDS = List.of(
            "components[0].cpuMillis",
            "components[1].memoryMiB",
            "components[2].minReplicas",
            "components[3].maxReplicas");
    static final List<String> NUMBER_FIELDS = List.of("edges[0].callsPerSecond", "edges[1].bytesPerCall");

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    HttpApi api;
    RawHttp raw;

    @BeforeEach
    void setUp() {
        api = new HttpApi(port);
        raw = new RawHttp(port);
        assertThat(api.post("/api/v1/applications", HttpApi.json(Map.of("name", APP)))
                        .status())
                .isIn(201, 409);
    }

    static String shop() {
        try {
            return Files.readString(Path.of("..", "examples", "specs", "online-shop.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The example spec as version {@code name}. */
    static ObjectNode spec(String name) {
        ObjectNode spec = (ObjectNode) JSON.readTree(shop());
        spec.put("version", name);
        return spec;
    }

    /** Replaces the value at {@code path} (e.g. {@code constraints.colocate[0][0]}) in {@code root}. */
    static void set(JsonNode root, String path, JsonNode value) {
        List<Object> steps = new ArrayList<>();
        for (String part : path.split("\\.")) {
            int bracket = part.indexOf('[');
            steps.add(bracket < 0 ? part : part.substring(0, bracket));
            while (bracket >= 0) {
                int close = part.indexOf(']', bracket);
                steps.add(Integer.parseInt(part.substring(bracket + 1, close)));
                bracket = part.indexOf('[', close);
            }
        }
        JsonNode at = root;
        for (int i = 0; i < steps.size() - 1; i++) {
            at = steps.get(i) instanceof Integer index ? at.get(index) : at.get((String) steps.get(i));
        }
        Object last = steps.getLast();
        if (last instanceof Integer index) {
            ((ArrayNode) at).set(index, value);
        } else {
            ((ObjectNode) at).set((String) last, value);
        }
    }

    private Map<String, String> snapshot() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String table : List.of("applications", "versions", "components", "call_edges", "placement_constraints")) {
            out.put(
                    table,
                    jdbc.sql("select count(*) || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '')"
                                    + " from " + table + " t")
                            .query(String.class)
                            .single());
        }
        out.put(
                "events",
                jdbc.sql("select count(*) from events where agent_id is null")
                        .query(String.class)
                        .single());
        return out;
    }

    private JsonNode refused(byte[] body, String contentType, int status, String code) {
        Map<String, String> before = snapshot();
        RawHttp.Response response = raw.send("POST", VERSIONS, Map.of("Content-Type", contentType), body);
        Problems.assertProblem(
                "POST " + VERSIONS, response.status(), response.contentType(), response.body(), response.json());
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        assertThat(response.json().get("code").asString()).as(response.body()).isEqualTo(code);
        assertThat(snapshot()).as("nothing stored").isEqualTo(before);
        return response.json();
    }

    private JsonNode refused(String body, int status, String code) {
        return refused(body.getBytes(StandardCharsets.UTF_8), "application/json", status, code);
    }

    static Stream<Arguments> nonStringsInStringFields() {
        List<JsonNode> values = List.of(
                NODES.numberNode(42),
                NODES.numberNode(4.2),
                NODES.booleanNode(true),
                NODES.booleanNode(false),
                NODES.objectNode(),
                NODES.arrayNode());
        return STRING_FIELDS.stream().flatMap(field -> values.stream().map(value -> Arguments.of(field, value)));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("nonStringsInStringFields")
    void aStringFieldTakesOnlyAJsonString(String field, JsonNode value) {
        ObjectNode spec = spec("coerced");
        set(spec, field, value);
        JsonNode problem = refused(spec.toString(), 400, "INVALID_FIELD_TYPE");
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo(field);
        assertThat(problem.get("detail").asString()).contains(field, "must be a string");
    }

    @ParameterizedTest
    @ValueSource(strings = {"42", "true", "4.5", "{}", "[]"})
    void anApplicationNameTakesOnlyAJsonString(String value) {
        HttpApi.Response response = api.post("/api/v1/applications", "{\"name\": " + value + "}");
        Problems.assertProblem(
                "POST /api/v1/applications",
                response.status(),
                response.contentType(),
                response.body(),
                response.json());
        assertThat(response.json().get("code").asString()).isEqualTo("INVALID_FIELD_TYPE");
        assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("name");
    }

    static Stream<Arguments> wrongTypesInNumberFields() {
        List<JsonNode> values = List.of(
                NODES.stringNode("1"),
                NODES.booleanNode(true),
                NODES.objectNode(),
                NODES.arrayNode(),
                NODES.stringNode(""));
        Stream<Arguments> numbers = Stream.concat(INTEGER_FIELDS.stream(), NUMBER_FIELDS.stream())
                .flatMap(field -> values.stream().map(value -> Arguments.of(field, value)));
        Stream<Arguments> booleans = Stream.of(
                        NODES.stringNode("true"), NODES.numberNode(1), NODES.numberNode(0), NODES.stringNode(""))
                .map(value -> Arguments.of("components[0].ingress", value));
        return Stream.concat(numbers, booleans);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("wrongTypesInNumberFields")
    void numbersAndBooleansTakeOnlyTheirOwnJsonType(String field, JsonNode value) {
        ObjectNode spec = spec("coerced-number");
        set(spec, field, value);
        JsonNode problem = refused(spec.toString(), 400, "INVALID_FIELD_TYPE");
        assertThat(problem.get("errors").get(0).get("field").asString()).isEqualTo(field);
    }

    static Stream<Arguments> ambiguousJson() {
        String good = spec("ambiguous").toString();
        return Stream.of(
                Arguments.of("duplicate top-level key", good.replaceFirst("\\{", "{\"version\":\"v9\",")),
                Arguments.of(
                        "duplicate key in a component",
                        good.replaceFirst("\"cpuMillis\"", "\"cpuMillis\": 1, \"cpuMillis\"")),
                Arguments.of(
                        "duplicate key in an edge", good.replaceFirst("\"caller\"", "\"caller\": \"x\", \"caller\"")),
                Arguments.of("duplicate application name", "{\"name\":\"a\",\"name\":\"b\"}"),
                Arguments.of("two documents", good + good),
                Arguments.of("a document and a number", good + " 1"),
                Arguments.of("whitespace only", " \n\t "),
                Arguments.of("lone high surrogate in the artifact", good.replaceFirst("\"oci:", "\"\\\\uD800oci:")),
                Arguments.of(
                        "lone low surrogate in a name", good.replaceFirst("\"frontend\"", "\"front\\\\uDC00end\"")),
                Arguments.of("reversed surrogate pair", good.replaceFirst("\"oci:", "\"\\\\uDC00\\\\uD800oci:")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ambiguousJson")
    void ambiguousOrCorruptJsonIsMalformedWithItsPosition(String what, String body) {
        JsonNode problem = refused(body, 400, "MALFORMED_JSON");
        if (!what.startsWith("whitespace")) {
            assertThat(problem.get("detail").asString()).as(what).contains("line");
        }
    }

    static Stream<Arguments> overlongUtf8() {
        return Stream.of(
                Arguments.of("version", new byte[] {(byte) 0xC0, (byte) 0xAF}),
                Arguments.of("artifact", new byte[] {(byte) 0xC0, (byte) 0xAF}),
                Arguments.of("artifact", new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}),
                Arguments.of("artifact", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}), // an encoded surrogate
                Arguments.of("artifact", new byte[] {(byte) 0xFF}),
                Arguments.of("components[0].name", new byte[] {(byte) 0xC1, (byte) 0xBF}),
                Arguments.of(
                        "constraints.pins[0].label", new byte[] {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80}));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("overlongUtf8")
    void invalidOrOverlongUtf8IsMalformed(String field, byte[] bytes) {
        ObjectNode spec = spec("smuggled");
        set(spec, field, NODES.stringNode("a@@b"));
        byte[] text = spec.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String s = new String(text, StandardCharsets.UTF_8);
        int at = s.indexOf("@@");
        out.write(text, 0, at);
        out.writeBytes(bytes);
        out.write(text, at + 2, text.length - at - 2);
        JsonNode problem = refused(out.toByteArray(), "application/json", 400, "MALFORMED_JSON");
        assertThat(problem.get("detail").asString()).contains("UTF-8", "line 1");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "application/yaml",
                "application/x-yaml",
                "application/xml",
                "text/xml",
                "application/cbor",
                "application/x-jackson-smile",
                "text/plain",
                "application/x-www-form-urlencoded",
                "application/octet-stream"
            })
    void onlyJsonIsAccepted(String contentType) {
        byte[] yaml = "version: v9\nartifact: x\ncomponents:\n- name: a\n  cpuMillis: 1\n  memoryMiB: 1\n"
                .getBytes(StandardCharsets.UTF_8);
        Map<String, String> before = snapshot();
        RawHttp.Response response = raw.send("POST", VERSIONS, Map.of("Content-Type", contentType), yaml);
        Problems.assertProblem(
                contentType, response.status(), response.contentType(), response.body(), response.json());
        assertThat(response.status()).isEqualTo(415);
        assertThat(response.headers().getOrDefault("accept", ""))
                .doesNotContainIgnoringCase("yaml")
                .doesNotContain("xml");
        assertThat(response.json().get("detail").asString())
                .doesNotContain("supported:")
                .doesNotContain("application/yaml,");
        assertThat(snapshot()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/api/v1/applications/a%2fb",
                "/api/v1/applications/a%2Fb/versions",
                "/api/v1/applications/a%00b",
                "/api/v1/applications/a%5cb",
                "/api/v1/applications/a%zz",
                "/api/v1/applications/%",
                "/api/v1/%c0%af",
                "/api/v1/applications/shop/versions/v1/load?window=%zz",
                "/api/v1/applications/..%2f..%2fetc",
                "/api/v1/applications/a b",
                "/api/v1/agents/a\u0001b"
            })
    void pathsTheContainerRefusesAreProblemsToo(String target) {
        RawHttp.Response response = raw.send("GET", target);
        Problems.assertProblem(
                "GET " + target, response.status(), response.contentType(), response.body(), response.json());
        assertThat(response.status()).isBetween(400, 499);
    }

    @Test
    void anOverlongPathParameterIsAProblem() {
        for (int length : List.of(8_000, 9_000, 20_000, 70_000)) {
            String target = "/api/v1/applications/" + "a".repeat(length);
            RawHttp.Response response = raw.send("GET", target);
            Problems.assertProblem(
                    "GET of " + length + " characters",
                    response.status(),
                    response.contentType(),
                    response.body(),
                    response.json());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TRACE", "PATCH", "PUT", "CONNECT", "PROPFIND", "BREW"})
    void methodsTheApiDoesNotServeAreProblems(String method) {
        for (String path : List.of("/api/v1/applications", VERSIONS, "/api/v1/events", "/")) {
            RawHttp.Response response = raw.send(
                    method, path, Map.of("Content-Type", "application/json"), "{}".getBytes(StandardCharsets.UTF_8));
            Problems.assertProblem(
                    method + " " + path, response.status(), response.contentType(), response.body(), response.json());
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "example..com/pci=true",
                "example-.com/pci=true",
                "-example.com/pci",
                ".example.com/pci",
                "example.com./pci",
                "exa_mple.com/pci",
                "EXAMPLE.com/pci",
                "a.-b.com/pci"
            })
    void aLabelPrefixMustBeADnsSubdomain(String label) {
        ObjectNode spec = spec("label-" + UUID.randomUUID().toString().substring(0, 6));
        set(spec, "constraints.pins[0].label", NODES.stringNode(label));
        JsonNode problem = refused(spec.toString(), 400, "INVALID_CONSTRAINT");
        assertThat(problem.get("detail").asString()).contains("DNS subdomain");
    }

    @Test
    void aLabelPrefixThatIsADnsSubdomainIsAccepted() {
        ObjectNode spec = spec("label-ok-" + UUID.randomUUID().toString().substring(0, 6));
        set(spec, "constraints.pins[0].label", NODES.stringNode("pci.example-1.com/zone=a"));
        HttpApi.Response response = api.post(VERSIONS, spec.toString());
        assertThat(response.status()).as(response.body()).isEqualTo(201);
    }

    static Stream<Arguments> replicaChains() {
        return Stream.of(
                Arguments.of(
                        List.of(List.of("p", "c"), List.of("c", "e")), Map.of("p", List.of(2, 4), "e", List.of(5, 8))),
                Arguments.of(
                        List.of(List.of("c", "e"), List.of("p", "c")), Map.of("p", List.of(2, 4), "e", List.of(5, 8))),
                Arguments.of(
                        List.of(List.of("p", "x"), List.of("x", "c"), List.of("c", "e")),
                        Map.of("p", List.of(1, 3), "e", List.of(4, 9))),
                Arguments.of(
                        List.of(List.of("p", "c", "x"), List.of("x", "e")),
                        Map.of("e", List.of(0, 1), "p", List.of(2, 10))));
    }

    @ParameterizedTest
    @MethodSource("replicaChains")
    void replicaBoundsMustOverlapAlongEveryChainOfColocateSets(
            List<List<String>> colocate, Map<String, List<Integer>> bounds) {
        List<Map<String, Object>> components = new ArrayList<>();
        for (String name : List.of("p", "c", "e", "x")) {
            Map<String, Object> c =
                    new java.util.LinkedHashMap<>(Map.of("name", name, "cpuMillis", 100, "memoryMiB", 64));
            if (bounds.containsKey(name)) {
                c.put("minReplicas", bounds.get(name).get(0));
                c.put("maxReplicas", bounds.get(name).get(1));
            }
            components.add(c);
        }
        String body = HttpApi.json(Map.of(
                "version",
                "chain",
                "artifact",
                "x",
                "components",
                components,
                "constraints",
                Map.of("colocate", colocate)));
        JsonNode problem = refused(body, 400, "CONTRADICTORY_CONSTRAINTS");
        assertThat(problem.get("detail").asString()).contains("no replica count fits");
    }

    @Test
    void anArtifactIsMeasuredInCharactersNotUtf16Units() {
        String emoji = "\uD83D\uDE80"; // one character, two UTF-16 units
        ObjectNode fits = spec("emoji-" + UUID.randomUUID().toString().substring(0, 6));
        fits.put("artifact", "oci://x/" + emoji.repeat(1500));
        HttpApi.Response stored = api.post(VERSIONS, fits.toString());
        assertThat(stored.status()).as(stored.body()).isEqualTo(201);
        assertThat(stored.json().get("artifact").asString())
                .isEqualTo(fits.get("artifact").asString());
        assertThat(api.get(VERSIONS + "/" + fits.get("version").asString())
                        .json()
                        .get("artifact")
                        .asString())
                .isEqualTo(fits.get("artifact").asString());

        ObjectNode tooLong = spec("emoji-long");
        tooLong.put("artifact", emoji.repeat(2049));
        JsonNode problem = refused(tooLong.toString(), 400, "INVALID_ARTIFACT");
        assertThat(problem.get("detail").asString()).contains("was 2049 characters");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0000", "\u0007", "\u200B", "\u202E", "\u2028", "\u0085"})
    void anArtifactHoldsOnlyPrintableCharacters(String character) {
        ObjectNode spec = spec("unprintable");
        spec.put("artifact", "oci://x/" + character + "y");
        refused(spec.toString(), 400, "INVALID_ARTIFACT");
    }

    @Test
    void minReplicasAboveTheDefaultMaximumNeedsAMaximum() {
        ObjectNode spec = spec("many-replicas");
        ((ObjectNode) spec.get("components").get(0)).put("minReplicas", 200).remove("maxReplicas");
        JsonNode problem = refused(spec.toString(), 400, "INVALID_REPLICAS");
        assertThat(problem.get("detail").asString()).contains("maxReplicas", "100");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/api/v1/applications?page=2147483647&size=500",
                VERSIONS + "?page=2147483647&size=500",
                "/api/v1/events?page=2147483647&size=500",
                "/api/v1/events?page=50000000&size=500",
                "/api/v1/agents?page=2147483647&size=500",
                "/api/v1/applications?page=4294967296",
                "/api/v1/applications?page=-1",
                "/api/v1/applications?size=0",
                "/api/v1/events?page=abc"
            })
    void absurdPagesAreRefusedNotFailed(String target) {
        RawHttp.Response response = raw.send("GET", target);
        Problems.assertProblem(
                "GET " + target, response.status(), response.contentType(), response.body(), response.json());
        assertThat(response.json().get("code").asString()).isEqualTo("INVALID_PARAMETER");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/api/v1/events?application=%00",
                "/api/v1/applications/shop/versions/v1/load?window=1m%00",
                "/api/v1/agents?state=%00",
                "/api/v1/applications/shop/versions/v1/load?window=%zz",
                "/api/v1/applications?page=%",
                "/api/v1/agents/x/drain?a=%g0",
                "/api/v1/applications/shop/versions/v1/load?window=1m&=%5B%5D",
                "/api/v1/events?=x",
                "/api/v1/applications?page=0&=&size=5"
            })
    void aQueryStringWithNulOrABadEscapeIsRefusedBeforeAnyEndpoint(String target) {
        RawHttp.Response response = raw.send("GET", target);
        Problems.assertProblem(
                "GET " + target, response.status(), response.contentType(), response.body(), response.json());
        assertThat(response.json().get("code").asString()).isEqualTo("INVALID_REQUEST");
    }

    @Test
    void aLargeButPossiblePageIsEmpty() {
        HttpApi.Response events = api.get("/api/v1/events?page=5000000");
        assertThat(events.status()).as(events.body()).isEqualTo(200);
        assertThat(events.json().get("items")).isEmpty();
    }

    @Test
    void whatPostAnswersIsWhatALaterGetReads() {
        String name = "echo-" + UUID.randomUUID().toString().substring(0, 8);
        HttpApi.Response created = api.post("/api/v1/applications", HttpApi.json(Map.of("name", name)));
        assertThat(created.body())
                .isEqualTo(api.get("/api/v1/applications/" + name).body());
        api.post("/api/v1/applications/" + name + "/versions", shop());
        HttpApi.Response version = api.post("/api/v1/applications/" + name + "/versions", shop());
        assertThat(version.status()).isEqualTo(200);
        assertThat(api.get("/api/v1/applications/" + name + "/versions/v1").body())
                .isEqualTo(version.body());
    }

    @Test
    void theRootIsAPageLinkingTheApiDocumentationAndHealth() {
        HttpApi.Response home = api.get("/");
        assertThat(home.status()).isEqualTo(200);
        assertThat(home.contentType()).startsWith("text/html");
        assertThat(home.body())
                .contains("href=\"/swagger-ui.html\"", "href=\"/v3/api-docs\"", "href=\"/actuator/health\"");
    }

    @Test
    void readinessIncludesTheDatabase() {
        HttpApi.Response readiness = api.get("/actuator/health/readiness");
        assertThat(readiness.status()).isEqualTo(200);
        assertThat(readiness.json().get("components").has("db"))
                .as(readiness.body())
                .isTrue();
    }
}
