package dev.weft.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The control plane's REST API over HTTP, with the operator's bearer token on every request. */
final class Api {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String server;
    private final String token;

    Api(String server, String token) {
        this.server = server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
        this.token = token;
    }

    JsonNode get(String path) {
        return send("GET", path, null);
    }

    JsonNode post(String path, @Nullable String json) {
        return send("POST", path, json == null ? "" : json);
    }

    JsonNode delete(String path) {
        return send("DELETE", path, null);
    }

    /** A path segment, encoded: names come from the command line. */
    static String seg(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode send(String method, String path, @Nullable String body) {
        URI uri;
        try {
            uri = URI.create(server + path);
        } catch (IllegalArgumentException e) {
            throw new ApiException(0, null, "The server address '" + server + "' is not a URL: " + e.getMessage());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + token);
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ApiException(
                    0,
                    null,
                    "Cannot reach the control plane at " + server + ": "
                            + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(0, null, "Interrupted");
        }
        JsonNode json = parse(response.body());
        if (response.statusCode() >= 300) {
            throw new ApiException(
                    response.statusCode(),
                    json != null && json.has("code") ? json : null,
                    "HTTP " + response.statusCode() + " from " + method + " " + path
                            + (response.body().isBlank() ? "" : ": " + cut(response.body())));
        }
        return json == null ? JSON.createObjectNode() : json;
    }

    private static @Nullable JsonNode parse(String body) {
        if (body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    private static String cut(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
