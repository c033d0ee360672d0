package dev.weft.scheduler.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.WeftIntegrationTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A request body beyond weft.api.max-request-size is refused with a 413 problem before it is read in
 * full, whether it declares its length or streams in chunks with none. Raw sockets, because an HTTP
 * client would hide how the body is sent and may not read a response that comes before it has sent all.
 */
@WeftIntegrationTest
class RequestSizeLimitTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int CHUNK = 64 * 1024;

    @LocalServerPort
    int port;

    @Autowired
    ApiProperties properties;

    @Autowired
    JdbcClient jdbc;

    /** Status line, headers (lower-case names) and decoded body of a raw HTTP/1.1 response. */
    private record RawResponse(String statusLine, Map<String, String> headers, String body) {}

    @Test
    void defaultLimitIsSixteenMebibytes() {
        assertThat(properties.maxRequestSize().toBytes()).isEqualTo(16L * 1024 * 1024);
    }

    @Test
    void bodyDeclaringALengthAboveTheLimitIsRefusedWith413() throws Exception {
        long limit = properties.maxRequestSize().toBytes();
        long applications = applications();

        RawResponse response = exchange("Content-Length: " + (limit + 1), out -> {
            byte[] chunk = filler();
            for (long sent = 0; sent <= limit; sent += chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, limit + 1 - sent));
            }
        });

        assertPayloadTooLarge(response, String.valueOf(limit + 1));
        assertThat(applications()).isEqualTo(applications);
    }

    @Test
    void chunkedBodyWithoutALengthIsRefusedWith413OnceItPassesTheLimit() throws Exception {
        long limit = properties.maxRequestSize().toBytes();
        long applications = applications();

        RawResponse response = exchange("Transfer-Encoding: chunked", out -> {
            writeChunk(out, "{\"name\": \"".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = filler();
            // one chunk past the limit, then a chunk that would end the document and the body
            for (long sent = 0; sent <= limit + chunk.length; sent += chunk.length) {
                writeChunk(out, chunk);
            }
            writeChunk(out, "\"}".getBytes(StandardCharsets.US_ASCII));
            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        });

        assertPayloadTooLarge(response, "larger than " + limit);
        assertThat(applications()).isEqualTo(applications);
    }

    @Test
    void bodyJustUnderTheLimitIsReadAndJudgedOnItsContent() throws Exception {
        long limit = properties.maxRequestSize().toBytes();
        String start = "{\"name\": \"";
        String end = "\"}";
        long padding = limit - start.length() - end.length();

        RawResponse response = exchange("Content-Length: " + limit, out -> {
            out.write(start.getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = filler();
            for (long sent = 0; sent < padding; sent += chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, padding - sent));
            }
            out.write(end.getBytes(StandardCharsets.US_ASCII));
        });

        // the whole body was read: the name is judged (too long), not the size
        assertThat(response.statusLine()).startsWith("HTTP/1.1 400");
        assertThat(JSON.readTree(response.body()).get("code").asString()).isEqualTo("INVALID_NAME");
    }

    private void assertPayloadTooLarge(RawResponse response, String detail) {
        assertThat(response.statusLine()).as(response.body()).startsWith("HTTP/1.1 413");
        assertThat(response.headers().get("content-type")).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(response.body());
        assertThat(problem.get("code").asString()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(problem.get("type").asString()).isEqualTo("https://weft.dev/problems/payload-too-large");
        assertThat(problem.get("status").asInt()).isEqualTo(413);
        assertThat(problem.get("detail").asString()).contains(detail).contains("weft.api.max-request-size");
    }

    private long applications() {
        return jdbc.sql("select count(*) from applications").query(Long.class).single();
    }

    private static byte[] filler() {
        byte[] chunk = new byte[CHUNK];
        Arrays.fill(chunk, (byte) 'a');
        return chunk;
    }

    private static void writeChunk(OutputStream out, byte[] data) throws IOException {
        out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(data);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** What the writer sends after the headers. */
    private interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * POSTs to /api/v1/applications with the given framing header. The body is written on another
     * thread, so the response is read as soon as the server sends it, even mid-body; the server may then
     * close the connection under the writer, which is expected and ignored.
     */
    private RawResponse exchange(String framing, Body body) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(
                    ("POST /api/v1/applications HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nAuthorization: Bearer "
                                    + dev.weft.scheduler.HttpApi.ADMIN_TOKEN + "\r\n" + framing + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    body.writeTo(out);
                    out.flush();
                } catch (IOException closedByTheServer) {
                    // the server answered and closed the connection before the body was all sent
                }
            });
            RawResponse response = read(socket.getInputStream());
            socket.close();
            writer.exceptionally(ignored -> null).join();
            return response;
        }
    }

    private static RawResponse read(InputStream in) throws IOException {
        String statusLine = line(in);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.put(
                    header.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    header.substring(colon + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16);
                    size > 0;
                    size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
        } else if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        }
        return new RawResponse(statusLine, headers, body.toString(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed in the middle of a response line: " + line);
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
