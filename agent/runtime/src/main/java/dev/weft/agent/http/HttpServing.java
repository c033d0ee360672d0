package dev.weft.agent.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;

/**
 * Serves an {@link HttpIngress} over HTTP with the JDK's HTTP server (one virtual thread per request). The
 * agent's ingress uses the same conversion; an application running all in one process uses
 * {@link #serve(HttpIngress, InetSocketAddress)}.
 */
public final class HttpServing {

    /** Largest request body accepted. */
    public static final int MAX_BODY_BYTES = 8 * 1024 * 1024;

    private HttpServing() {}

    /** Starts a server that hands every request to the ingress component (one virtual thread each). */
    public static HttpServer serve(HttpIngress handler, InetSocketAddress address) throws IOException {
        HttpServer server = HttpServer.create(address, 256);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (exchange) {
                HttpReply reply;
                HttpCall call = read(exchange);
                if (call == null) {
                    reply = HttpReply.of(413, "text/plain", "request body above " + MAX_BODY_BYTES + " bytes\n");
                } else {
                    try {
                        reply = handler.handle(call);
                    } catch (RuntimeException e) {
                        reply = HttpReply.of(500, "text/plain", "internal error: " + e.getMessage() + "\n");
                    }
                }
                write(exchange, reply);
            }
        });
        server.start();
        return server;
    }

    /** The request as an HttpCall, or null if its body is too large. */
    public static @org.jspecify.annotations.Nullable HttpCall read(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (body.length > MAX_BODY_BYTES) {
            return null;
        }
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        exchange.getRequestHeaders().forEach(headers::put);
        String query = exchange.getRequestURI().getRawQuery();
        return new HttpCall(
                exchange.getRequestMethod(),
                exchange.getRequestURI().getRawPath(),
                query == null ? "" : query,
                headers,
                body);
    }

    public static void write(HttpExchange exchange, HttpReply reply) throws IOException {
        reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        boolean head = exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        exchange.sendResponseHeaders(reply.status(), head || reply.body().length == 0 ? -1 : reply.body().length);
        if (!head && reply.body().length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply.body());
            }
        }
    }

    /** Decodes a form or query string value (application/x-www-form-urlencoded). */
    public static Map<String, String> params(String encoded) {
        Map<String, String> out = new TreeMap<>();
        if (encoded.isEmpty()) {
            return out;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            out.put(
                    java.net.URLDecoder.decode(key, StandardCharsets.UTF_8),
                    java.net.URLDecoder.decode(value, StandardCharsets.UTF_8));
        }
        return out;
    }
}
