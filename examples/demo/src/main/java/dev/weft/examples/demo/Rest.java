package dev.weft.examples.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The control plane's REST API as the demo uses it: JSON in and out, every request with {@code Authorization:
 * Bearer <token>} (operator accounts require it; a control plane without them ignores it).
 */
public final class Rest {

    /** An answer: status and body (a JSON document, or a missing node when the body is not JSON). */
    public record Reply(int status, JsonNode body, String text) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final String token;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public Rest(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    public URI base() {
        return base;
    }

    public Reply get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    public Reply post(String path, @Nullable String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json)));
    }

    /** As {@link #get}, but a failed request or a status other than 2xx is an exception naming both. */
    public JsonNode read(String path) throws IOException, InterruptedException {
        Reply reply = get(path);
        if (!reply.ok()) {
            throw new IOException("GET " + path + " answered " + reply.status() + ": " + reply.text());
        }
        return reply.body();
    }

    private Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                request.timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + token)
                        .header("Accept", "application/json, application/problem+json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body;
        try {
            body = response.body().isBlank() ? JSON.missingNode() : JSON.readTree(response.body());
        } catch (RuntimeException e) {
            body = JSON.missingNode();
        }
        return new Reply(response.statusCode(), body, response.body());
    }

    static String json(Object value) {
        return JSON.writeValueAsString(value);
    }
}
