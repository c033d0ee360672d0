package dev.weft.agent.http;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The answer to an {@link HttpCall}: status, headers and body. */
public record HttpReply(int status, Map<String, String> headers, byte[] body) {
    public HttpReply {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be 100-599, was " + status);
        }
        headers = Map.copyOf(headers);
        requireNonNull(body, "body is null");
    }

    /** A reply with a body of text in the given content type (UTF-8). */
    public static HttpReply of(int status, String contentType, String body) {
        return new HttpReply(
                status, Map.of("content-type", contentType + "; charset=utf-8"), body.getBytes(StandardCharsets.UTF_8));
    }
}
