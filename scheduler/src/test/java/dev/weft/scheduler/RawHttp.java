package dev.weft.scheduler;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * HTTP/1.1 over a plain socket, for requests no well-behaved client library would send: raw bytes in a path
 * ({@code %zz}, {@code %00}), any method, any body bytes, any header.
 */
public final class RawHttp {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A response: status, headers (lower-case names) and body. */
    public record Response(int status, Map<String, String> headers, byte[] bytes) {

        public String body() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        public String contentType() {
            return headers.getOrDefault("content-type", "");
        }

        /** The body as JSON, or null when it is not JSON. */
        public JsonNode json() {
            try {
                return JSON.readTree(bytes);
            } catch (RuntimeException notJson) {
                return null;
            }
        }
    }

    private final int port;
    private final String token;

    /** Sends the first admin's development token ({@link HttpApi#ADMIN_TOKEN}) unless a request names its own. */
    public RawHttp(int port) {
        this(port, HttpApi.ADMIN_TOKEN);
    }

    /** Sends this bearer token (null: none) unless a request names its own Authorization header. */
    public RawHttp(int port, String token) {
        this.port = port;
        this.token = token;
    }

    public Response send(String method, String rawTarget, Map<String, String> headers, byte[] body) {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(30_000);
            StringBuilder head = new StringBuilder();
            head.append(method).append(' ').append(rawTarget).append(" HTTP/1.1\r\n");
            head.append("Host: localhost:").append(port).append("\r\n");
            head.append("Connection: close\r\n");
            if (token != null && headers.keySet().stream().noneMatch("Authorization"::equalsIgnoreCase)) {
                head.append("Authorization: Bearer ").append(token).append("\r\n");
            }
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            if (body.length > 0 || !"GET".equals(method)) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
            } catch (IOException closedEarly) {
                // the server answered and closed before reading everything (a request line over its limit): the
                // answer is still there to read
            }
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Response send(String method, String rawTarget) {
        return send(method, rawTarget, Map.of(), new byte[0]);
    }

    private static Response read(InputStream in) throws IOException {
        byte[] all = in.readAllBytes();
        int split = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        if (split < 0) {
            throw new IOException("no HTTP response head in " + all.length + " bytes");
        }
        String[] lines = new String(all, 0, split, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(
                    lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).trim());
        }
        byte[] body = java.util.Arrays.copyOfRange(all, split + 4, all.length);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = unchunk(body);
        }
        return new Response(status, headers, body);
    }

    private static byte[] unchunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < body.length) {
            int end = indexOf(java.util.Arrays.copyOfRange(body, at, body.length), new byte[] {'\r', '\n'});
            if (end < 0) {
                break;
            }
            String sizeLine = new String(body, at, end, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int size = Integer.parseInt(sizeLine, 16);
            at += end + 2;
            if (size == 0) {
                break;
            }
            out.write(body, at, Math.min(size, body.length - at));
            at += size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
