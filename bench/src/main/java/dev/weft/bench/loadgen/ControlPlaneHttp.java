package dev.weft.bench.loadgen;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The control plane's REST API and Actuator metrics, over plain HTTP like any operator's tool. */
final class ControlPlaneHttp {

    private static final Pattern VALUE =
            Pattern.compile("\"statistic\"\\s*:\\s*\"(\\w+)\"\\s*,\\s*\"value\"\\s*:\\s*([-0-9.eE]+|\"NaN\")");
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    /** An operator token (README, "Operators, roles and tokens"): WEFT_TOKEN, else the first admin's dev token. */
    private static final String TOKEN = System.getenv().getOrDefault("WEFT_TOKEN", "weft_local-dev-admin-token");

    private static HttpRequest.Builder authorized(HttpRequest.Builder request) {
        return request.header("Authorization", "Bearer " + TOKEN);
    }

    ControlPlaneHttp(String base) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** Registers the application (if missing) and a version of {@code components} components and {@code edges} edges. */
    void register(String application, String version, int components, int edges)
            throws IOException, InterruptedException {
        int app = post("/api/v1/applications", "{\"name\":\"" + application + "\"}");
        if (app != 201 && app != 409) {
            throw new IOException("registering application " + application + " answered HTTP " + app);
        }
        List<String> componentJson = new ArrayList<>();
        for (int i = 0; i < components; i++) {
            componentJson.add("{\"name\":\"" + LoadShape.component(i)
                    + "\",\"cpuMillis\":200,\"memoryMiB\":256,\"maxReplicas\":1000}");
        }
        List<String> edgeJson = new ArrayList<>();
        for (int i = 0; i < edges; i++) {
            edgeJson.add("{\"caller\":\"" + LoadShape.component(LoadShape.caller(i, components)) + "\",\"callee\":\""
                    + LoadShape.component(LoadShape.callee(i, components)) + "\"}");
        }
        int status = post(
                "/api/v1/applications/" + application + "/versions",
                "{\"version\":\"" + version
                        + "\",\"artifact\":\"file:///tmp/loadgen.jar\",\"components\":["
                        + String.join(",", componentJson)
                        + "],\"edges\":[" + String.join(",", edgeJson) + "]}");
        if (status != 201 && status != 200) {
            throw new IOException("registering version " + version + " answered HTTP " + status);
        }
    }

    /** One statistic of an Actuator metric (COUNT, VALUE, TOTAL, MAX...), NaN when absent. */
    double metric(String name, String statistic, String... tags) {
        StringBuilder path = new StringBuilder("/actuator/metrics/").append(name);
        for (int i = 0; i < tags.length; i++) {
            path.append(i == 0 ? '?' : '&').append("tag=").append(URLEncoder.encode(tags[i], StandardCharsets.UTF_8));
        }
        try {
            HttpResponse<String> response = client.send(
                    authorized(HttpRequest.newBuilder(URI.create(base + path)))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Double.NaN;
            }
            Matcher m = VALUE.matcher(response.body());
            while (m.find()) {
                if (m.group(1).equals(statistic)) {
                    return m.group(2).startsWith("\"") ? Double.NaN : Double.parseDouble(m.group(2));
                }
            }
            return Double.NaN;
        } catch (IOException e) {
            return Double.NaN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    /** An answer of the REST API: status and body. */
    record Answer(int status, String body) {}

    /** Any request with a JSON body (null: none). */
    Answer call(String method, String path, @org.jspecify.annotations.Nullable String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = authorized(HttpRequest.newBuilder(URI.create(base + path)))
                .header("Content-Type", "application/json")
                .method(
                        method,
                        json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    private int post(String path, String json) throws IOException, InterruptedException {
        return client.send(
                        authorized(HttpRequest.newBuilder(URI.create(base + path)))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(json))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }
}
