package dev.weft.scheduler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A plain HTTP client for the REST API, so tests send exactly the bytes a stranger's client would. It sends the
 * first admin's development token ({@code weft.security.admin.token}'s default) unless told to send another or none.
 */
public final class HttpApi {

    /** The first admin's token in application.yml, which every test's control plane accepts. */
    public static final String ADMIN_TOKEN = "weft_local-dev-admin-token";

    /** A response: status, Content-Type and body parsed as JSON (or null when empty). */
    public record Response(int status, String contentType, String location, JsonNode json, String body) {}

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient client = HttpClient.newHttpClient();
    private final String base;
    private final String token;

    public HttpApi(int port) {
        this(port, ADMIN_TOKEN);
    }

    /** A client that sends this bearer token; null sends no Authorization header at all. */
    public HttpApi(int port, String token) {
        this.base = "http://localhost:" + port;
        this.token = token;
    }

    /** A client of the same server that sends another token (null: none). */
    public HttpApi withToken(String other) {
        return new HttpApi(java.net.URI.create(base).getPort(), other);
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    public Response delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
    }

    public Response post(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Any method with a body of any content type, for requests the API must refuse. */
    public Response send(String method, String path, String contentType, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", contentType)
                .method(method, HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A GET that follows redirects, as a browser does. */
    public Response getFollowingRedirects(String path) {
        try (HttpClient redirecting = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build()) {
            return send(
                    redirecting,
                    authorized(HttpRequest.newBuilder(URI.create(base + path)).GET()));
        }
    }

    private Response send(HttpRequest.Builder request) {
        return send(client, authorized(request));
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    private static Response send(HttpClient client, HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            JsonNode json = body.isEmpty() ? null : tryParse(body);
            return new Response(
                    response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(""),
                    response.headers().firstValue("Location").orElse(""),
                    json,
                    body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode tryParse(String body) {
        try {
            return JSON.readTree(body);
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    public static String json(Object value) {
        return JSON.writeValueAsString(value);
    }
}
