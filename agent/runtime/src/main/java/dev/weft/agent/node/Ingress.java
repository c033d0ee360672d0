package dev.weft.agent.node;

import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpServer;
import dev.weft.agent.http.HttpCall;
import dev.weft.agent.http.HttpReply;
import dev.weft.agent.http.HttpServing;
import dev.weft.agent.runtime.ChannelPool;
import dev.weft.agent.runtime.HttpCodec;
import dev.weft.agent.runtime.Refusals;
import dev.weft.agent.runtime.Router;
import dev.weft.api.agent.v1.RoutingTable;
import dev.weft.api.agent.v1.TrafficSplit;
import dev.weft.api.runtime.v1.CallReply;
import dev.weft.api.runtime.v1.CallRequest;
import dev.weft.api.runtime.v1.ComponentServiceGrpc;
import dev.weft.api.runtime.v1.HttpResponsePayload;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP entry of one application on this agent: each request gets a version by the application's traffic
 * split (sticky per client key), then goes to a replica of that version hosting the ingress component, as a call
 * of {@code HttpIngress.handle} carrying that version; the replica's own calls stay in it. The response says
 * which version served it ({@code X-Weft-Version}) and the request id ({@code X-Request-Id}).
 */
final class Ingress implements AutoCloseable {

    private final String application;
    private final AgentConfig config;
    private final Replicas replicas;
    private final ChannelPool channels;
    private final RandomGenerator random;
    private final HttpServer server;
    private final Map<String, Router> routers = new ConcurrentHashMap<>();
    private volatile @Nullable TrafficSplit split;

    Ingress(
            String application,
            int port,
            AgentConfig config,
            Replicas replicas,
            ChannelPool channels,
            RandomGenerator random)
            throws IOException {
        this.application = application;
        this.config = config;
        this.replicas = replicas;
        this.channels = channels;
        this.random = random;
        this.server = HttpServing.serve(this::handle, new InetSocketAddress(port));
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Takes a traffic split of this application; an older generation is ignored. */
    void split(TrafficSplit next) {
        TrafficSplit current = split;
        if (current == null || next.getGeneration() >= current.getGeneration()) {
            split = next;
        }
    }

    private HttpReply handle(HttpCall call) {
        TrafficSplit s = split;
        if (s == null) {
            return HttpReply.of(
                    503,
                    "text/plain",
                    "no traffic split for application '" + application + "' has reached this agent yet\n");
        }
        String key = clientKey(call);
        String version;
        synchronized (random) {
            version = VersionChooser.choose(s, key, random);
        }
        if (version == null) {
            return HttpReply.of(
                    503, "text/plain", "the traffic split of '" + application + "' gives no version any " + "weight\n");
        }
        String requestId = call.header("x-request-id");
        if (requestId == null || requestId.isBlank() || requestId.length() > 128) {
            requestId = UUID.randomUUID().toString();
        }
        HttpReply reply = forward(call, s, version, requestId);
        Map<String, String> headers = new java.util.HashMap<>(reply.headers());
        headers.put("x-weft-version", version);
        headers.put("x-request-id", requestId);
        return new HttpReply(reply.status(), headers, reply.body());
    }

    private @Nullable String clientKey(HttpCall call) {
        String header = call.header(config.clientKeyHeader());
        if (header != null && !header.isEmpty()) {
            return header;
        }
        String cookies = call.header("cookie");
        if (cookies != null) {
            for (String part : cookies.split(";")) {
                String[] kv = part.trim().split("=", 2);
                if (kv.length == 2 && kv[0].equals(config.clientKeyCookie())) {
                    return URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
                }
            }
        }
        return null;
    }

    private HttpReply forward(HttpCall call, TrafficSplit split, String version, String requestId) {
        Set<String> ingressComponents = ingressComponents();
        Router router = routerFor(split, version, ingressComponents);
        if (router == null) {
            return HttpReply.of(
                    503,
                    "text/plain",
                    "version " + version + " of '" + application + "' has no ingress replica known to this agent\n");
        }
        String component = null;
        for (String c : ingressComponents) {
            if (!router.targets(c).isEmpty()) {
                component = c;
                break;
            }
        }
        if (component == null) {
            return HttpReply.of(
                    503,
                    "text/plain",
                    "no replica of " + application + " " + version + " serves an ingress component " + ingressComponents
                            + "\n");
        }
        CallRequest.Builder request = CallRequest.newBuilder()
                .setApplication(application)
                .setVersion(version)
                .setComponent(component)
                .setMethod(HttpCodec.HANDLE)
                .setCodec(HttpCodec.NAME)
                .setRequestId(requestId)
                .setPayload(HttpCodec.encode(call).toByteString());
        Set<String> tried = new HashSet<>();
        StatusRuntimeException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            Router.Target target;
            synchronized (random) {
                target = router.pick(component, tried);
            }
            if (target == null) {
                break;
            }
            tried.add(target.assignmentId());
            request.setAssignmentId(target.assignmentId());
            try {
                CallReply reply = ComponentServiceGrpc.newBlockingStub(channels.channel(target.address()))
                        .withDeadlineAfter(config.ingressDeadline().toMillis(), TimeUnit.MILLISECONDS)
                        .invoke(request.build());
                if (reply.hasError()) {
                    return HttpReply.of(
                            500,
                            "text/plain",
                            "the ingress component failed: " + reply.getError().getType() + ": "
                                    + reply.getError().getMessage() + "\n");
                }
                return HttpCodec.decode(HttpResponsePayload.parseFrom(reply.getPayload()));
            } catch (StatusRuntimeException e) {
                last = e;
                boolean safe = Refusals.reason(e) != null
                        || (call.method().equals("GET") || call.method().equals("HEAD"))
                                && e.getStatus().getCode() == io.grpc.Status.Code.UNAVAILABLE;
                if (!safe) {
                    break;
                }
            } catch (InvalidProtocolBufferException e) {
                return HttpReply.of(502, "text/plain", "the ingress component's reply could not be read\n");
            }
        }
        int status = last != null && last.getStatus().getCode() == io.grpc.Status.Code.DEADLINE_EXCEEDED ? 504 : 503;
        return HttpReply.of(
                status,
                "text/plain",
                "no replica of " + application + " " + version + " answered"
                        + (last == null ? "" : ": " + last.getStatus()) + "\n");
    }

    /**
     * Where requests of a version go: the split's {@code ingress_endpoints} of that version (api/README.md: where an
     * ingress sends a request of a version, hosted here or not), each serving the ingress components; without any,
     * the version's routing table on this agent (which omits the components every local replica hosts, so it names
     * an ingress component only when this agent also runs a replica without it). Local replicas are dialled
     * directly.
     */
    private @Nullable Router routerFor(TrafficSplit split, String version, Set<String> ingressComponents) {
        List<dev.weft.api.agent.v1.Endpoint> endpoints = List.of();
        for (dev.weft.api.agent.v1.VersionWeight w : split.getWeightsList()) {
            if (w.getVersion().equals(version)) {
                endpoints = w.getIngressEndpointsList();
            }
        }
        RoutingTable table;
        String key;
        if (!endpoints.isEmpty()) {
            RoutingTable.Builder fromSplit = RoutingTable.newBuilder()
                    .setApplication(application)
                    .setVersion(version)
                    .setGeneration(split.getGeneration());
            for (String component : ingressComponents) {
                fromSplit.addRoutes(dev.weft.api.agent.v1.Route.newBuilder()
                        .setComponent(component)
                        .addAllEndpoints(endpoints));
            }
            table = fromSplit.build();
            key = version + " split";
        } else {
            RoutingTable own = replicas.table(application, version);
            if (own == null) {
                return null;
            }
            table = own;
            key = version;
        }
        Router router = routers.computeIfAbsent(key, k -> new Router(application, version, random));
        router.update(table, replicas.localAddresses(), config.advertisedAddress());
        return router;
    }

    /** Names of ingress components, as the replicas of this application said in their hellos. */
    private Set<String> ingressComponents() {
        List<String> names = new ArrayList<>();
        for (Replicas.Replica r : replicas.all()) {
            if (r.assignment.getApplication().equals(application)) {
                names.addAll(r.httpIngress);
            }
        }
        return new java.util.TreeSet<>(names);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
