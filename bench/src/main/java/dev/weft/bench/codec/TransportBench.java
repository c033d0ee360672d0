package dev.weft.bench.codec;

import dev.weft.agent.Weft;
import dev.weft.agent.WeftRuntime;
import dev.weft.agent.runtime.ChannelPool;
import dev.weft.agent.runtime.ComponentServer;
import dev.weft.agent.runtime.Dispatcher;
import dev.weft.agent.runtime.Engine;
import dev.weft.agent.runtime.ForyCodec;
import dev.weft.agent.runtime.Router;
import dev.weft.api.agent.v1.Endpoint;
import dev.weft.api.agent.v1.Route;
import dev.weft.api.agent.v1.RoutingTable;
import dev.weft.api.runtime.v1.CallReply;
import dev.weft.api.runtime.v1.CallRequest;
import dev.weft.bench.codec.proto.PConvertRequest;
import dev.weft.bench.codec.proto.PListRequest;
import dev.weft.bench.codec.proto.PMoney;
import dev.weft.bench.codec.proto.PProducts;
import dev.weft.bench.codec.proto.PlainBoutiqueGrpc;
import dev.weft.examples.boutique.Boutique;
import dev.weft.examples.boutique.Model.Money;
import dev.weft.examples.boutique.Model.Product;
import dev.weft.examples.boutique.Services.Currency;
import dev.weft.examples.boutique.Services.ProductCatalog;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntSupplier;

/**
 * The remote-call overhead of Weft's transport alone against plain gRPC with protobuf, on one machine over
 * loopback: the boutique's currency and catalog served by a replica (Weft: ComponentService with the Fory
 * payload) or by a hand-written gRPC service with generated protobuf messages (mapping to the records included,
 * as a real service does). One call in flight; µs per call is the median of timed runs; bytes are the gRPC
 * message bodies (request + reply) plus 5 bytes of gRPC framing each, HTTP/2 headers not counted. An in-process
 * Weft call is the floor.
 *
 * <pre>{@code java -cp ... dev.weft.bench.codec.TransportBench [--full]}</pre>
 */
public final class TransportBench {

    public static void main(String[] args) throws Exception {
        boolean full = Arrays.asList(args).contains("--full");
        int calls = full ? 20_000 : 3_000;
        int runs = full ? 9 : 5;
        WeftRuntime local = Weft.local(Boutique.app(Clock.systemUTC()));
        // the Weft replica: hosts currency and product-catalog, served on 127.0.0.1
        Engine replica =
                new Engine(Boutique.app(Clock.systemUTC()), "bench", List.of("currency", "product-catalog"), null);
        replica.start();
        Server weftServer = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new ComponentServer(new Dispatcher(replica, "r1")))
                .build()
                .start();
        ChannelPool channels = new ChannelPool();
        Router router = new Router(Boutique.NAME, "bench", new SplittableRandom(1));
        RoutingTable.Builder table = RoutingTable.newBuilder()
                .setApplication(Boutique.NAME)
                .setVersion("bench")
                .setGeneration(1);
        for (String c : List.of("currency", "product-catalog")) {
            table.addRoutes(Route.newBuilder()
                    .setComponent(c)
                    .addEndpoints(Endpoint.newBuilder()
                            .setAssignmentId("r1")
                            .setAddress("127.0.0.1:" + weftServer.getPort())));
        }
        router.update(table.build(), Map.of(), null);
        Engine caller = new Engine(
                Boutique.app(Clock.systemUTC()), "bench", List.of(), new Engine.Remote(router, channels, 10_000));
        // plain gRPC + protobuf
        Currency currency = local.get(Currency.class);
        ProductCatalog catalog = local.get(ProductCatalog.class);
        Server plainServer = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new PlainBoutiqueGrpc.PlainBoutiqueImplBase() {
                    @Override
                    public void convert(PConvertRequest request, StreamObserver<PMoney> responses) {
                        responses.onNext(Payloads.money(
                                currency.convert(Payloads.money(request.getFrom()), request.getToCode())));
                        responses.onCompleted();
                    }

                    @Override
                    public void listProducts(PListRequest request, StreamObserver<PProducts> responses) {
                        PProducts.Builder out = PProducts.newBuilder();
                        catalog.listProducts().forEach(p -> out.addProducts(Payloads.product(p)));
                        responses.onNext(out.build());
                        responses.onCompleted();
                    }
                })
                .build()
                .start();
        ManagedChannel plainChannel = NettyChannelBuilder.forAddress("127.0.0.1", plainServer.getPort())
                .usePlaintext()
                .build();
        PlainBoutiqueGrpc.PlainBoutiqueBlockingStub plain = PlainBoutiqueGrpc.newBlockingStub(plainChannel);

        Money price = Money.of("USD", 109, 990_000_000);
        ForyCodec codec = (ForyCodec) caller.codec();
        int weftConvertBytes = weftBytes(
                codec,
                "currency",
                "convert(Money,String)",
                new Object[] {price, "EUR"},
                currency.convert(price, "EUR"));
        int weftListBytes =
                weftBytes(codec, "product-catalog", "listProducts()", new Object[0], catalog.listProducts());
        PConvertRequest convertRequest = PConvertRequest.newBuilder()
                .setFrom(Payloads.money(price))
                .setToCode("EUR")
                .build();
        int plainConvertBytes = convertRequest.getSerializedSize()
                + plain.convert(convertRequest).getSerializedSize()
                + 10;
        int plainListBytes = PListRequest.getDefaultInstance().getSerializedSize()
                + plain.listProducts(PListRequest.getDefaultInstance()).getSerializedSize()
                + 10;

        Currency remoteCurrency = caller.get(Currency.class);
        ProductCatalog remoteCatalog = caller.get(ProductCatalog.class);
        List<String[]> rows = new ArrayList<>();
        rows.add(row(
                "convert(Money,String) -> Money",
                "Weft, in process (local call)",
                measure(calls * 10, runs, () -> currency.convert(price, "EUR").nanos()),
                0));
        rows.add(row(
                "convert(Money,String) -> Money",
                "Weft remote (gRPC + Fory)",
                measure(calls, runs, () -> remoteCurrency.convert(price, "EUR").nanos()),
                weftConvertBytes));
        rows.add(row(
                "convert(Money,String) -> Money",
                "plain gRPC + protobuf",
                measure(
                        calls,
                        runs,
                        () -> Payloads.money(plain.convert(convertRequest)).nanos()),
                plainConvertBytes));
        rows.add(row(
                "listProducts() -> 9 products",
                "Weft, in process (local call)",
                measure(calls * 10, runs, () -> catalog.listProducts().size()),
                0));
        rows.add(row(
                "listProducts() -> 9 products",
                "Weft remote (gRPC + Fory)",
                measure(calls, runs, () -> remoteCatalog.listProducts().size()),
                weftListBytes));
        rows.add(row(
                "listProducts() -> 9 products",
                "plain gRPC + protobuf",
                measure(calls, runs, () -> {
                    List<Product> products = new ArrayList<>();
                    plain.listProducts(PListRequest.getDefaultInstance())
                            .getProductsList()
                            .forEach(p -> products.add(Payloads.product(p)));
                    return products.size();
                }),
                plainListBytes));

        System.out.printf(
                Locale.ROOT,
                "transport bench: %d calls per run, %d timed runs after warm-up (median), one call in "
                        + "flight, loopback, JDK %s, %d cpu(s)%n%n",
                calls,
                runs,
                Runtime.version(),
                Runtime.getRuntime().availableProcessors());
        System.out.println("| call | path | µs per call (median) | bytes on the wire per call |");
        System.out.println("|---|---|---:|---:|");
        for (String[] r : rows) {
            System.out.printf(Locale.ROOT, "| %s | %s | %s | %s |%n", (Object[]) r);
        }
        plainChannel.shutdownNow();
        plainServer.shutdownNow();
        weftServer.shutdownNow();
        channels.close();
        caller.close();
        replica.close();
        local.close();
    }

    private static int weftBytes(ForyCodec codec, String component, String method, Object[] args, Object result) {
        CallRequest request = CallRequest.newBuilder()
                .setApplication(Boutique.NAME)
                .setVersion("bench")
                .setComponent(component)
                .setMethod(method)
                .setPayload(com.google.protobuf.ByteString.copyFrom(codec.encodeArgs(args)))
                .setRequestId(java.util.UUID.randomUUID().toString())
                .setAssignmentId("r1")
                .setCodec(codec.name())
                .build();
        CallReply reply = CallReply.newBuilder()
                .setPayload(com.google.protobuf.ByteString.copyFrom(codec.encodeResult(result)))
                .build();
        return request.getSerializedSize() + reply.getSerializedSize() + 10;
    }

    private static String[] row(String call, String path, double micros, int bytes) {
        return new String[] {call, path, String.format(Locale.ROOT, "%.2f", micros), bytes == 0 ? "0" : "" + bytes};
    }

    private static double measure(int calls, int runs, IntSupplier call) {
        long sink = 0;
        for (int i = 0; i < calls; i++) {
            sink += call.getAsInt(); // warm-up
        }
        double[] micros = new double[runs];
        for (int r = 0; r < runs; r++) {
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                sink += call.getAsInt();
            }
            micros[r] = (System.nanoTime() - start) / 1e3 / calls;
        }
        if (sink == 42) {
            System.out.print("");
        }
        Arrays.sort(micros);
        return micros[runs / 2];
    }
}
