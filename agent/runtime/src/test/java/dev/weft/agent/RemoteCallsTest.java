package dev.weft.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.weft.agent.runtime.ChannelPool;
import dev.weft.agent.runtime.ComponentServer;
import dev.weft.agent.runtime.Dispatcher;
import dev.weft.agent.runtime.Engine;
import dev.weft.agent.runtime.Router;
import dev.weft.agent.testapp.Front;
import dev.weft.agent.testapp.Item;
import dev.weft.agent.testapp.Store;
import dev.weft.agent.testapp.TestApp;
import dev.weft.api.agent.v1.Endpoint;
import dev.weft.api.agent.v1.Route;
import dev.weft.api.agent.v1.RoutingTable;
import dev.weft.api.runtime.v1.EdgeCounters;
import dev.weft.api.runtime.v1.ReplicaLoad;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Calls between two processes' worth of runtime (engines with real gRPC servers on real sockets). */
class RemoteCallsTest {

    private final List<AutoCloseable> open = new ArrayList<>();
    private final ChannelPool channels = new ChannelPool();

    /** A replica hosting the store, serving on 127.0.0.1. */
    record StoreReplica(String id, Engine engine, Dispatcher dispatcher, Server server) {
        String address() {
            return "127.0.0.1:" + server.getPort();
        }
    }

    private StoreReplica store(String id, String version) throws IOException {
        Engine engine = new Engine(TestApp.definition(id), version, List.of("store"), null);
        engine.start();
        Dispatcher dispatcher = new Dispatcher(engine, id);
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new ComponentServer(dispatcher))
                .build()
                .start();
        open.add(server::shutdownNow);
        open.add(engine);
        return new StoreReplica(id, engine, dispatcher, server);
    }

    /** A process hosting the front whose routing table sends store calls to these addresses. */
    private Engine front(String version, long deadlineMillis, Map<String, String> storeAddresses) {
        Router router = new Router("testapp", version, new SplittableRandom(7));
        RoutingTable.Builder table = RoutingTable.newBuilder()
                .setApplication("testapp")
                .setVersion(version)
                .setGeneration(1);
        Route.Builder route = Route.newBuilder().setComponent("store");
        storeAddresses.forEach((id, address) ->
                route.addEndpoints(Endpoint.newBuilder().setAssignmentId(id).setAddress(address)));
        router.update(table.addRoutes(route).build(), Map.of(), null);
        Engine engine = new Engine(
                TestApp.definition("front"),
                version,
                List.of("front"),
                new Engine.Remote(router, channels, deadlineMillis));
        engine.start();
        open.add(engine);
        return engine;
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        channels.close();
    }

    @Test
    void aRemoteCallReachesTheOtherReplicaAndReturnsACopy() throws IOException {
        StoreReplica b = store("b1", "v1");
        Engine a = front("v1", 5000, Map.of("b1", b.address()));
        Item item = new Item("pear", List.of("fruit", "green"), Map.of("stock", 3));
        Item back = a.get(Store.class).echo(item);
        assertThat(back).isEqualTo(item).isNotSameAs(item);
        assertThat(a.get(Store.class).whoAmI()).isEqualTo("b1");
        assertThat(a.get(Front.class).tagCount("apple")).isEqualTo(2);

        ReplicaLoad callerLoad = a.meters().drain();
        EdgeCounters edge = callerLoad.getEdges(0);
        assertThat(edge.getCaller()).isEqualTo("front");
        assertThat(edge.getCallee()).isEqualTo("store");
        assertThat(edge.getCalls()).isEqualTo(1);
        assertThat(edge.getBytes()).isGreaterThan(20);
        assertThat(LocalCallsTest.counters(b.engine().meters().drain(), "store").getCalls())
                .isEqualTo(3);
    }

    @Test
    void anExceptionOfTheCalleeIsRethrownAsItself() throws IOException {
        StoreReplica b = store("b1", "v1");
        Engine a = front("v1", 5000, Map.of("b1", b.address()));
        assertThatThrownBy(() -> a.get(Store.class).get("nothing"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no item 'nothing'");
    }

    @Test
    void aCallOfAnotherVersionIsRefusedAndCountedAsAViolation() throws IOException {
        StoreReplica b = store("b1", "v1");
        Engine a = front("v2", 5000, Map.of("b1", b.address()));
        assertThatThrownBy(() -> a.get(Front.class).tagCount("apple"))
                .isInstanceOf(CallFailedException.class)
                .hasMessageContaining("FAILED_PRECONDITION")
                .hasMessageContaining("version violation: a call of testapp v2 reached replica b1 of testapp v1");
        ReplicaLoad load = b.engine().meters().drain();
        assertThat(load.getRefusedList()).singleElement().satisfies(r -> {
            assertThat(r.getCallerVersion()).isEqualTo("v2");
            assertThat(r.getCaller()).isEqualTo("front");
            assertThat(r.getCallee()).isEqualTo("store");
            assertThat(r.getCount()).isEqualTo(1);
        });
        assertThat(LocalCallsTest.counters(load, "store").getCalls())
                .as("the refused call never ran")
                .isZero();
    }

    @Test
    void onlyIdempotentMethodsAreRetriedAfterAFailureInTransit() throws IOException {
        StoreReplica b = store("b1", "v1");
        String dead = "127.0.0.1:" + freePort();
        Engine a = front("v1", 5000, Map.of("dead", dead, "b1", b.address()));
        Store store = a.get(Store.class);
        int putFailures = 0;
        for (int i = 0; i < 20; i++) {
            assertThat(store.get("apple").key()).isEqualTo("apple"); // @Idempotent: the dead replica is skipped
            try {
                store.put(new Item("k" + i, List.of(), Map.of()));
            } catch (CallFailedException e) {
                assertThat(e).hasMessageContaining("after 1 replica(s)").hasMessageContaining("UNAVAILABLE");
                putFailures++;
            }
        }
        assertThat(putFailures).as("put is not idempotent: never retried").isBetween(1, 19);
    }

    @Test
    void aDrainingReplicaRefusesNewCallsAndTheyGoElsewhereEvenIfNotIdempotent() throws IOException {
        StoreReplica b1 = store("b1", "v1");
        StoreReplica b2 = store("b2", "v1");
        b1.dispatcher().drain();
        Engine a = front("v1", 5000, Map.of("b1", b1.address(), "b2", b2.address()));
        for (int i = 0; i < 10; i++) {
            a.get(Store.class).put(new Item("k" + i, List.of(), Map.of()));
        }
        assertThat(LocalCallsTest.counters(b2.engine().meters().drain(), "store")
                        .getCalls())
                .isEqualTo(10);
        assertThat(b1.engine().meters().drain().getComponentsList().stream()
                        .mapToLong(c -> c.getCalls())
                        .sum())
                .isZero();
    }

    @Test
    void aCallPastItsDeadlineFailsWithoutWaitingForTheCallee() throws IOException {
        StoreReplica b = store("b1", "v1");
        Engine a = front("v1", 300, Map.of("b1", b.address()));
        long start = System.nanoTime();
        assertThatThrownBy(() -> a.get(Store.class).slow(3000))
                .isInstanceOf(CallFailedException.class)
                .hasMessageContaining("DEADLINE_EXCEEDED")
                .hasCauseInstanceOf(StatusRuntimeException.class);
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(2500);
    }

    @Test
    void withoutAnyReplicaTheCallFailsNamingTheComponent() {
        Engine a = front("v1", 1000, Map.of());
        assertThatThrownBy(() -> a.get(Store.class).whoAmI())
                .isInstanceOf(CallFailedException.class)
                .hasMessageContaining("no replica serves component 'store' of testapp v1, whoAmI()");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
