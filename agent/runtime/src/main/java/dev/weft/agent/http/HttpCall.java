package dev.weft.agent.http;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP request as the ingress received it: method, path, raw query string, headers (names in lower case)
 * and body.
 */
public record HttpCall(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
    public HttpCall {
        requireNonNull(method, "method is null");
        requireNonNull(path, "path is null");
        requireNonNull(query, "query is null");
        TreeMap<String, List<String>> lower = new TreeMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        headers = Map.copyOf(lower);
        requireNonNull(body, "body is null");
    }

    /** The first value of a header, or null. */
    public @Nullable String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
