package dev.weft.scheduler.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.RawHttp;
import dev.weft.scheduler.WeftIntegrationTest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The hostile-request generator: it reads the OpenAPI document to find every operation (so endpoints added later
 * join by being documented), sends valid requests and mutations of them (type swaps, boundary values, unicode,
 * deletions, duplications, reordering, random bytes and encodings, wrong content types, random paths and methods),
 * and checks its properties on every answer: never a 5xx; every non-2xx is an {@code application/problem+json}
 * with a code from the README and no Java names, documented for that operation in the OpenAPI document; a refused
 * request changes no application, version or event; an accepted one reads back byte-identical.
 *
 * <p>It runs a fixed seed in the build; {@code -Dweft.fuzz.tries=20000 -Dweft.fuzz.seed=N} runs more, or others
 * (CONTRIBUTING.md). A failure names the seed, the try and the request, so it can be replayed.
 */
@WeftIntegrationTest
class RestFuzzTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final long SEED = Long.getLong("weft.fuzz.seed", 20261201L);
    static final int TRIES = Integer.getInteger("weft.fuzz.tries", 1500);
    private static final String APP = "fuzz-shop";

    /** Strings that break things: empty, long, unicode of every kind, escapes, paths, injections. */
    static final List<String> NASTY = List.of(
            "",
            " ",
            "a",
            "A",
            "-",
            "0",
            "..",
            "../..",
            "%2f",
            "%00",
            "a/b",
            "a\\b",
            "\u0000",
            "\u0007",
            "\t",
            "\n",
            "\u00e9",
            "e\u0301",
            "\u202e",
            "\u200b",
            "\ufeff",
            "\uffff",
            "\uD83D\uDE80",
            "\u4e2d\u6587",
            "\u0130",
            "x".repeat(63),
            "x".repeat(64),
            "x".repeat(2048),
            "x".repeat(2049),
            "x".repeat(100_000),
            "null",
            "true",
            "1e309",
            "'; drop table versions; --",
            "<script>alert(1)</script>",
            "${jndi:ldap://x}",
            "%s%s%n",
            "\"",
            "{}",
            "[]",
            "v1",
            "shop",
            "frontend",
            "cart",
            "pci=true",
            "a=b=c",
            "k8s.io/x=y",
            "connected",
            "LOST");

    static final List<JsonNode> NUMBERS = List.of(
            NODES.numberNode(0),
            NODES.numberNode(-1),
            NODES.numberNode(1),
            NODES.numberNode(2_147_483_647),
            NODES.numberNode(2_147_483_648L),
            NODES.numberNode(-2_147_483_649L),
            NODES.numberNode(Long.MAX_VALUE),
            NODES.numberNode(new java.math.BigInteger("99999999999999999999999")),
            NODES.numberNode(0.5),
            NODES.numberNode(-0.0),
            NODES.numberNode(1e308),
            NODES.numberNode(4.9e-324),
            NODES.numberNode(1e9),
            NODES.numberNode(1e9 + 1),
            NODES.numberNode(256_000),
            NODES.numberNode(256_001),
            NODES.numberNode(10_000),
            NODES.numberNode(10_001));

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    HttpApi api;
    RawHttp raw;
    OpenApiOperations document;

    @BeforeEach
    void setUp() {
        api = new HttpApi(port);
        raw = new RawHttp(port);
        document = OpenApiOperations.of(api.get("/v3/api-docs").json());
        fixtures();
    }

    private void fixtures() {
        api.post("/api/v1/applications", HttpApi.json(Map.of("name", APP)));
        api.post("/api/v1/applications/" + APP + "/versions", HostileInputTest.shop());
    }

    @Test
    void everyOperationWithABodyOffersAValidExample() {
        for (OpenApiOperations.Operation op : document.operations()) {
            if (op.takesBody()) {
                assertThat(op.example())
                        .as(
                                "%s takes a body but the OpenAPI document gives no example of a valid one (see CONTRIBUTING.md)",
                                op)
                        .isNotNull();
            }
        }
    }

    /** One generated request. */
    private record Request(String method, String target, String contentType, byte[] body, String why) {
        @Override
        public String toString() {
            String shown = new String(body, StandardCharsets.UTF_8);
            return method + " " + (target.length() > 300 ? target.substring(0, 300) + "..." : target) + " ["
                    + contentType + "] (" + why + ") "
                    + (shown.length() > 600 ? shown.substring(0, 600) + "..." : shown);
        }
    }

    @Test
    void hostileRequestsNeverFailTheServerNorChangeWhatTheyDoNotCreate() {
        SplittableRandom random = new SplittableRandom(SEED);
        Map<String, TreeSet<String>> undocumented = new LinkedHashMap<>();
        for (int attempt = 0; attempt < TRIES; attempt++) {
            if (attempt % 100 == 0) {
                fixtures();
            }
            OpenApiOperations.Operation op = document.operations()
                    .get(random.nextInt(document.operations().size()));
            Request request = random.nextInt(20) == 0 ? junk(random) : request(op, random);
            boolean writes = !request.method().equals("GET");
            String before = writes ? snapshot() : "";
            RawHttp.Response response = raw.send(
                    request.method(),
                    request.target(),
                    Map.of("Content-Type", request.contentType(), "Accept", accept(random)),
                    request.body());
            String where = "seed " + SEED + ", try " + attempt + ": " + request;
            assertThat(response.status())
                    .as("%s answered %s", where, response.body())
                    .isLessThan(500);
            if (response.status() >= 300) {
                Problems.assertProblem(
                        where, response.status(), response.contentType(), response.body(), response.json());
                if (writes) {
                    assertThat(snapshot())
                            .as("state after the refused %s", where)
                            .isEqualTo(before);
                }
                String code = response.json().get("code").asString();
                if (!request.why().startsWith("junk")
                        && !containerLevel(code)
                        && !op.documents(response.status(), code)) {
                    undocumented
                            .computeIfAbsent(op.toString(), k -> new TreeSet<>())
                            .add(response.status() + " " + code);
                }
            } else if (response.status() < 300 && response.headers().containsKey("location")) {
                String location = response.headers().get("location");
                HttpApi.Response read = api.get(location);
                assertThat(read.body())
                        .as("what %s answered, read back from %s", where, location)
                        .isEqualTo(response.body());
                JsonNode sent = json(request.body());
                if (sent != null && sent.isObject()) {
                    for (var field : sent.properties()) {
                        if (field.getValue().isString() && read.json().has(field.getKey())) {
                            assertThat(read.json().get(field.getKey()).asString())
                                    .as("%s read back from %s", field.getKey(), where)
                                    .isEqualTo(field.getValue().asString());
                        }
                    }
                }
            }
        }
        assertThat(undocumented)
                .as("problems answered but not documented in the OpenAPI document")
                .isEmpty();
    }

    /** Codes the servlet container or the framework answers before any operation runs; documented once for all. */
    private static boolean containerLevel(String code) {
        return List.of("INVALID_REQUEST", "NOT_FOUND", "NOT_ACCEPTABLE", "METHOD_NOT_ALLOWED")
                .contains(code);
    }

    private static String accept(SplittableRandom random) {
        return List.of(
                        "application/json",
                        "*/*",
                        "application/problem+json",
                        "text/html",
                        "application/xml",
                        "image/png")
                .get(random.nextInt(6));
    }

    private Request request(OpenApiOperations.Operation op, SplittableRandom random) {
        StringBuilder target = new StringBuilder();
        String path = op.path();
        StringBuilder why = new StringBuilder();
        int at = 0;
        while (true) {
            int open = path.indexOf('{', at);
            if (open < 0) {
                target.append(path.substring(at));
                break;
            }
            int close = path.indexOf('}', open);
            target.append(path, at, open);
            String name = path.substring(open + 1, close);
            String value = pathValue(name, random);
            if (random.nextInt(5) == 0) {
                value = NASTY.get(random.nextInt(NASTY.size()));
                why.append("path ").append(name).append(" nasty; ");
            }
            target.append(random.nextInt(10) == 0 ? rawEscape(value) : encode(value));
            at = close + 1;
        }
        List<String> query = new ArrayList<>();
        for (OpenApiOperations.Parameter p : op.parameters()) {
            if (p.in().equals("query") && random.nextBoolean()) {
                query.add(p.name() + "=" + encode(queryValue(p, random)));
            }
        }
        if (random.nextInt(10) == 0) {
            query.add(encode(NASTY.get(random.nextInt(NASTY.size()))) + "="
                    + encode(NASTY.get(random.nextInt(NASTY.size()))));
        }
        if (!query.isEmpty()) {
            target.append('?').append(String.join("&", query));
        }
        String method = op.method().toUpperCase(java.util.Locale.ROOT);
        if (!op.takesBody()) {
            return new Request(method, target.toString(), "application/json", new byte[0], why.toString());
        }
        JsonNode example = java.util.Objects.requireNonNull(op.example()).deepCopy();
        String contentType = random.nextInt(15) == 0
                ? List.of(
                                "application/yaml",
                                "text/plain",
                                "application/json; charset=ISO-8859-1",
                                "application/xml",
                                "application/json; charset=UTF-16",
                                "multipart/form-data")
                        .get(random.nextInt(6))
                : "application/json";
        if (example.isObject() && example.has("version")) {
            ((ObjectNode) example).put("version", "f" + random.nextInt(1000));
        }
        if (example.isObject() && example.has("name") && example.size() == 1) {
            ((ObjectNode) example).put("name", "fz-" + random.nextInt(1000));
        }
        int mutations = random.nextInt(4);
        for (int i = 0; i < mutations; i++) {
            why.append(mutate(example, random)).append("; ");
        }
        byte[] body = example.toString().getBytes(StandardCharsets.UTF_8);
        switch (random.nextInt(25)) {
            case 0 -> {
                body = randomBytes(random);
                why.append("random bytes; ");
            }
            case 1 -> {
                body = java.util.Arrays.copyOf(body, random.nextInt(Math.max(1, body.length)));
                why.append("truncated; ");
            }
            case 2 -> {
                body = duplicateKey(example.toString(), random).getBytes(StandardCharsets.UTF_8);
                why.append("duplicate key; ");
            }
            case 3 -> {
                body = example.toString().getBytes(StandardCharsets.UTF_16);
                why.append("UTF-16; ");
            }
            case 4 -> {
                body = (example + " " + example).getBytes(StandardCharsets.UTF_8);
                why.append("two documents; ");
            }
            default -> {}
        }
        return new Request(method, target.toString(), contentType, body, why.toString());
    }

    private static String pathValue(String name, SplittableRandom random) {
        return switch (name) {
            case "app" -> random.nextInt(4) == 0 ? "fz-" + random.nextInt(1000) : APP;
            case "version" -> List.of("v1", "f" + random.nextInt(1000), "v2").get(random.nextInt(3));
            case "id" -> "fuzz-agent-" + random.nextInt(3);
            default -> "x";
        };
    }

    private static String queryValue(OpenApiOperations.Parameter p, SplittableRandom random) {
        if (!p.allowed().isEmpty() && random.nextBoolean()) {
            return p.allowed().get(random.nextInt(p.allowed().size()));
        }
        if (p.type().equals("integer") && random.nextBoolean()) {
            return NUMBERS.get(random.nextInt(NUMBERS.size())).toString();
        }
        List<String> durations =
                List.of("30s", "5m", "1h", "PT5M", "0s", "-5m", "999999999d", "32d", "1ms", "2026-01-01T00:00:00Z");
        return random.nextBoolean()
                ? durations.get(random.nextInt(durations.size()))
                : NASTY.get(random.nextInt(NASTY.size()));
    }

    /** Changes one node of the body: swaps its type, sets a boundary or unicode value, deletes, adds or reorders. */
    private static String mutate(JsonNode root, SplittableRandom random) {
        List<JsonNode> containers = new ArrayList<>();
        collect(root, containers);
        JsonNode container = containers.get(random.nextInt(containers.size()));
        if (container instanceof ObjectNode object && !object.isEmpty()) {
            List<String> keys = new ArrayList<>(object.propertyNames());
            String key = keys.get(random.nextInt(keys.size()));
            switch (random.nextInt(7)) {
                case 0 -> object.remove(key);
                case 1 -> object.set(key, NODES.stringNode(NASTY.get(random.nextInt(NASTY.size()))));
                case 2 -> object.set(key, NUMBERS.get(random.nextInt(NUMBERS.size())));
                case 3 ->
                    object.set(
                            key,
                            List.of(NODES.booleanNode(true), NODES.nullNode(), NODES.objectNode(), NODES.arrayNode())
                                    .get(random.nextInt(4)));
                case 4 -> object.put(NASTY.get(random.nextInt(NASTY.size())), 1);
                case 5 -> {
                    JsonNode value = object.remove(key);
                    object.set(key, value); // moved to the end: order must not matter
                }
                default -> object.set(key, NODES.arrayNode().add(object.get(key)));
            }
            return "object key " + key;
        }
        if (container instanceof ArrayNode array) {
            switch (random.nextInt(4)) {
                case 0 -> {
                    if (!array.isEmpty()) array.remove(random.nextInt(array.size()));
                }
                case 1 -> {
                    if (!array.isEmpty())
                        array.add(array.get(random.nextInt(array.size())).deepCopy());
                }
                case 2 -> array.add(NODES.stringNode(NASTY.get(random.nextInt(NASTY.size()))));
                default -> {
                    for (int i = 0; i < 3 && array.size() > 1; i++) {
                        JsonNode first = array.remove(0);
                        array.add(first);
                    }
                }
            }
            return "array";
        }
        return "nothing";
    }

    private static void collect(JsonNode node, List<JsonNode> into) {
        if (node.isContainer()) {
            into.add(node);
            for (JsonNode child : node) {
                collect(child, into);
            }
        }
    }

    private static String duplicateKey(String json, SplittableRandom random) {
        int brace = json.indexOf('{', random.nextInt(Math.max(1, json.length() / 2)));
        return brace < 0
                ? "{\"a\":1,\"a\":2}"
                : json.substring(0, brace + 1) + "\"version\":\"dup\","
                        + json.substring(brace + 1).replaceFirst("\"version\"", "\"version\"");
    }

    private static byte[] randomBytes(SplittableRandom random) {
        byte[] bytes = new byte[random.nextInt(1, 200)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    private Request junk(SplittableRandom random) {
        List<String> methods = List.of("GET", "POST", "PUT", "DELETE", "PATCH", "TRACE", "OPTIONS", "HEAD", "FOO");
        List<String> paths = List.of(
                "/",
                "/api",
                "/api/v1",
                "/api/v1/",
                "/api/v1/applications/",
                "/api/v2/applications",
                "/api/v1/applications/" + APP + "/versions/v1/load/x",
                "/api/v1/agents/a/b/c",
                "/actuator/../api/v1/events",
                "/api/v1/applications/%2e%2e",
                "/api/v1/applications/" + "%41".repeat(3000),
                "/error",
                "/v3/api-docs/x",
                "/api/v1/applications/" + APP + "%3bjsessionid=1");
        String method = methods.get(random.nextInt(methods.size()));
        if (method.equals("HEAD")) {
            method = "GET";
        }
        return new Request(
                method, paths.get(random.nextInt(paths.size())), "application/json", randomBytes(random), "junk");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A value put in the path as it is, escapes and all, as a careless or hostile client would. */
    private static String rawEscape(String value) {
        StringBuilder out = new StringBuilder();
        for (char c : value.toCharArray()) {
            out.append(
                    c > ' ' && c < 127 && c != '?' && c != '#'
                            ? String.valueOf(c)
                            : "%" + String.format("%02X", c & 0xFF));
        }
        return out.toString();
    }

    private static JsonNode json(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * One fingerprint of applications, versions (with what they own) and the registry's events, cheap enough to
     * take around every request however many rows the shared database holds: the registry's rows are never
     * updated, only inserted and deleted, so their counts and highest ids, and a digest of the versions' names and
     * spec hashes, change whenever anything does.
     */
    private String snapshot() {
        return jdbc.sql("""
                select (select count(*) || '/' || coalesce(max(id), 0) || '/'
                               || md5(coalesce(string_agg(name, ',' order by id), '')) from applications)
                    || (select ' ' || count(*) || '/' || coalesce(max(id), 0) || '/'
                               || md5(coalesce(string_agg(name || spec_hash, ',' order by id), '')) from versions)
                    || (select ' ' || count(*) || '/' || coalesce(max(id), 0) from components)
                    || (select ' ' || count(*) from call_edges)
                    || (select ' ' || count(*) from placement_constraints)
                    || (select ' ' || count(*) || '/' || coalesce(max(id), 0) from events where agent_id is null)""").query(String.class).single();
    }

    @Test
    void registerAndDeleteChurnNeverFailsTheServer() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        AtomicInteger requests = new AtomicInteger();
        List<Future<List<String>>> workers = new ArrayList<>();
        for (int w = 0; w < 6; w++) {
            int worker = w;
            workers.add(pool.submit(() -> {
                SplittableRandom random = new SplittableRandom(SEED + worker);
                HttpApi client = new HttpApi(port);
                List<String> failures = new ArrayList<>();
                for (int i = 0; i < Integer.getInteger("weft.fuzz.churn", 150); i++) {
                    String app = "churn-" + random.nextInt(2);
                    String version = "c" + random.nextInt(2);
                    HttpApi.Response response = switch (random.nextInt(5)) {
                        case 0 -> client.post("/api/v1/applications", HttpApi.json(Map.of("name", app)));
                        case 1 -> client.delete("/api/v1/applications/" + app + "/versions/" + version);
                        case 2 -> client.delete("/api/v1/applications/" + app);
                        default ->
                            client.post(
                                    "/api/v1/applications/" + app + "/versions",
                                    HostileInputTest.shop()
                                            .replace("\"version\": \"v1\"", "\"version\": \"" + version + "\""));
                    };
                    requests.incrementAndGet();
                    if (response.status() >= 500) {
                        failures.add(response.status() + " " + response.body());
                    }
                }
                return failures;
            }));
        }
        List<String> failures = new ArrayList<>();
        for (Future<List<String>> worker : workers) {
            failures.addAll(worker.get());
        }
        pool.shutdown();
        assertThat(failures)
                .as("5xx among %d churning requests", requests.get())
                .isEmpty();
        // what the registry lists can be read
        for (String app : List.of("churn-0", "churn-1")) {
            HttpApi.Response versions = api.get("/api/v1/applications/" + app + "/versions");
            if (versions.status() == 200) {
                for (Iterator<JsonNode> it = versions.json().get("items").iterator(); it.hasNext(); ) {
                    String version = it.next().get("version").asString();
                    assertThat(api.get("/api/v1/applications/" + app + "/versions/" + version)
                                    .status())
                            .isEqualTo(200);
                }
            }
        }
    }
}
