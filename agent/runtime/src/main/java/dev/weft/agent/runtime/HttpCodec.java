package dev.weft.agent.runtime;

import com.google.protobuf.ByteString;
import dev.weft.agent.http.HttpCall;
import dev.weft.agent.http.HttpReply;
import dev.weft.api.runtime.v1.HttpHeader;
import dev.weft.api.runtime.v1.HttpRequestPayload;
import dev.weft.api.runtime.v1.HttpResponsePayload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The "http-1" payload codec of {@code HttpIngress.handle}: HttpRequestPayload and HttpResponsePayload, so an
 * agent's ingress can call an ingress component without the application's classes.
 */
public final class HttpCodec {

    public static final String NAME = "http-1";

    /** The method id of HttpIngress.handle. */
    public static final String HANDLE = "handle(HttpCall)";

    private HttpCodec() {}

    public static HttpRequestPayload encode(HttpCall call) {
        HttpRequestPayload.Builder payload = HttpRequestPayload.newBuilder()
                .setMethod(call.method())
                .setPath(call.path())
                .setQuery(call.query())
                .setBody(ByteString.copyFrom(call.body()));
        call.headers()
                .forEach((name, values) -> values.forEach(v ->
                        payload.addHeaders(HttpHeader.newBuilder().setName(name).setValue(v))));
        return payload.build();
    }

    public static HttpCall decode(HttpRequestPayload payload) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpHeader header : payload.getHeadersList()) {
            headers.computeIfAbsent(header.getName(), k -> new ArrayList<>()).add(header.getValue());
        }
        return new HttpCall(
                payload.getMethod(),
                payload.getPath(),
                payload.getQuery(),
                headers,
                payload.getBody().toByteArray());
    }

    public static HttpResponsePayload encode(HttpReply reply) {
        HttpResponsePayload.Builder payload =
                HttpResponsePayload.newBuilder().setStatus(reply.status()).setBody(ByteString.copyFrom(reply.body()));
        reply.headers()
                .forEach((name, value) ->
                        payload.addHeaders(HttpHeader.newBuilder().setName(name).setValue(value)));
        return payload.build();
    }

    public static HttpReply decode(HttpResponsePayload payload) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (HttpHeader header : payload.getHeadersList()) {
            headers.put(header.getName(), header.getValue());
        }
        return new HttpReply(payload.getStatus(), headers, payload.getBody().toByteArray());
    }
}
