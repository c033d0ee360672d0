package dev.weft.scheduler.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.WeftApplication;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two control-plane nodes in this JVM against one PostgreSQL: an embedded server the fixture starts itself, and two
 * Spring contexts of {@link WeftApplication} ({@code node-a} and {@code node-b}) configured with its
 * {@code spring.datasource.url}, each on random HTTP and gRPC ports. Both start at once, so they race for leadership
 * as two replicas deployed together do.
 *
 * <p>Use {@link #shared()} (started once per test JVM, closed when it exits) unless a test needs other settings; a
 * test that stops a node or kills its connections calls {@link #ensureRunning()} first, so it finds two nodes and
 * leaves them for the next test. The nodes use the default {@code weft.cluster.*} settings, accept agents presenting
 * {@link #BOOTSTRAP_TOKEN}, and sweep leases only once an hour, so anything an agent receives within a test came by
 * the bus, not by the sweeper. For example, an agent connected to the follower receiving what the leader pushed:
 *
 * <pre>{@code
 * TwoNodes nodes = TwoNodes.shared();
 * nodes.ensureRunning();
 * TwoNodes.Node leader = nodes.awaitLeader();
 * TwoNodes.Node follower = nodes.other(leader);
 * ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", follower.grpcPort()).usePlaintext().build();
 * // ... connect an agent through channel, make the leader push (leader.bean(...)), read it from the agent
 * }</pre>
 */
public final class TwoNodes implements AutoCloseable {

    /** The bootstrap token the nodes accept (the one the agent tests' {@code TestAgent} presents). */
    public static final String BOOTSTRAP_TOKEN = "test-bootstrap-token";

    private static final long WAIT_NANOS = 10_000_000_000L;
    private static TwoNodes shared;

    private final EmbeddedPostgres postgres;
    private final String jdbcUrl;
    private final JdbcClient jdbc;
    private final List<String> arguments;
    private final Node a;
    private final Node b;
    private final List<String> leadersAtStart;

    /** The fixture every test class shares; started on first use, closed when the JVM exits. */
    public static synchronized TwoNodes shared() {
        if (shared == null) {
            shared = start();
            TwoNodes closing = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(closing::close, "two-nodes-shutdown"));
        }
        return shared;
    }

    /** Starts a fresh database and both nodes at once, each with these extra {@code --key=value} arguments too. */
    public static TwoNodes start(String... extraArguments) {
        return new TwoNodes(List.of(extraArguments));
    }

    private TwoNodes(List<String> extraArguments) {
        try {
            this.postgres = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "200")
                    .start();
            try (Connection c = postgres.getPostgresDatabase().getConnection()) {
                c.createStatement().execute("create database weft");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        this.jdbcUrl = postgres.getJdbcUrl("postgres", "weft");
        this.jdbc = JdbcClient.create(postgres.getDatabase("postgres", "weft"));
        List<String> args = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.grpc.server.port=0",
                "--spring.datasource.url=" + jdbcUrl,
                "--spring.datasource.username=postgres",
                "--spring.datasource.hikari.maximum-pool-size=8",
                "--spring.main.banner-mode=off",
                "--weft.agents.bootstrap-tokens=" + BOOTSTRAP_TOKEN,
                "--weft.agents.sweep-interval=1h",
                "--logging.level.io.zonky=warn"));
        // an extra argument replaces the fixture's of the same key (Spring would join the two: "1h,200ms")
        for (String extra : extraArguments) {
            String key = extra.contains("=") ? extra.substring(0, extra.indexOf('=') + 1) : extra;
            args.removeIf(a -> a.startsWith(key));
        }
        args.addAll(extraArguments);
        this.arguments = List.copyOf(args);
        this.a = new Node("node-a");
        this.b = new Node("node-b");
        // two threads of their own: the common pool may have a single worker on two cores. Spring Boot sets up the
        // JVM's one Logback context while it prepares an application's environment, and two set-ups at once can
        // clash ("Unable to find Spring Environment in logger context"), so b begins once a's logging is set up;
        // both contexts then refresh, and race for leadership, at once.
        CompletableFuture<Void> startA = new CompletableFuture<>();
        CompletableFuture<Void> startB = new CompletableFuture<>();
        CompletableFuture<Void> aLogging = new CompletableFuture<>();
        startA.whenComplete((ok, failed) -> aLogging.complete(null));
        Thread.ofPlatform().name("two-nodes-start-a").start(() -> run(() -> a.start(aLogging), startA));
        aLogging.join();
        Thread.ofPlatform().name("two-nodes-start-b").start(() -> run(b::start, startB));
        CompletableFuture.allOf(startA, startB).join();
        // what the race of two nodes starting at once gave, before any test changes it
        awaitLeader();
        List<String> leaders = new ArrayList<>();
        for (Node node : List.of(a, b)) {
            if (node.leadership().isLeader()) {
                leaders.add(node.name());
            }
        }
        this.leadersAtStart = List.copyOf(leaders);
    }

    private static void run(Runnable task, CompletableFuture<Void> done) {
        try {
            task.run();
            done.complete(null);
        } catch (Throwable failed) {
            done.completeExceptionally(failed);
        }
    }

    public Node a() {
        return a;
    }

    public Node b() {
        return b;
    }

    public List<Node> nodes() {
        return List.of(a, b);
    }

    public Node other(Node node) {
        return node == a ? b : a;
    }

    /** The nodes that believed they led once both had started and one was elected (the race's outcome). */
    public List<String> leadersAtStart() {
        return leadersAtStart;
    }

    /** The shared database's JDBC URL. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    /** The test's own access to the shared database, outside both nodes' pools. */
    public JdbcClient jdbc() {
        return jdbc;
    }

    /** Starts whichever node was stopped, so a test finds two running nodes. */
    public void ensureRunning() {
        for (Node node : nodes()) {
            if (!node.isRunning()) {
                node.start();
            }
        }
    }

    /**
     * Waits (at most 10 s) until one running node leads, and returns it; fails if two running nodes believe they lead
     * while waiting settles (a node that lost its lock may believe so for up to a check interval, so the wait also
     * lets such a belief end).
     */
    public Node awaitLeader() {
        await("one node leads", () -> leaders().size() == 1);
        List<Node> leaders = leaders();
        assertThat(leaders).as("nodes that lead").hasSize(1);
        return leaders.getFirst();
    }

    private List<Node> leaders() {
        List<Node> leaders = new ArrayList<>();
        for (Node node : nodes()) {
            if (node.isRunning() && node.leadership().isLeader()) {
                leaders.add(node);
            }
        }
        return leaders;
    }

    /** Ends the node's dedicated connection for {@code purpose} ({@code leader} or {@code bus}) from the server side. */
    public int terminate(Node node, String purpose) {
        return jdbc.sql(
                        "select count(*) filter (where pg_terminate_backend(pid)) from pg_stat_activity where application_name = ?")
                .param(DedicatedConnections.applicationName(purpose, node.name()))
                .query(Integer.class)
                .single();
    }

    /**
     * Waits (at most 10 s, polling every 2 ms) for a condition the nodes meet on their own threads; the condition
     * decides, never the elapsed time.
     */
    public static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            LockSupport.parkNanos(2_000_000L);
        }
    }

    @Override
    public synchronized void close() {
        for (Node node : nodes()) {
            node.stop();
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One control-plane node: a Spring context of the whole application. */
    public final class Node {

        private final String name;
        private volatile ConfigurableApplicationContext context;

        private Node(String name) {
            this.name = name;
        }

        /** Its {@code weft.cluster.node-id}. */
        public String name() {
            return name;
        }

        public boolean isRunning() {
            ConfigurableApplicationContext current = context;
            return current != null && current.isActive();
        }

        public ConfigurableApplicationContext context() {
            assertThat(isRunning()).as(name + " is running").isTrue();
            return context;
        }

        public <T> T bean(Class<T> type) {
            return context().getBean(type);
        }

        public Leadership leadership() {
            return bean(Leadership.class);
        }

        public ClusterBus bus() {
            return bean(ClusterBus.class);
        }

        public TransactionTemplate transactions() {
            return bean(TransactionTemplate.class);
        }

        public int httpPort() {
            return ((WebServerApplicationContext) context()).getWebServer().getPort();
        }

        public int grpcPort() {
            return bean(GrpcServerLifecycle.class).getPort();
        }

        /** A plain HTTP client for this node's REST API. */
        public HttpApi http() {
            return new HttpApi(httpPort());
        }

        /** Ends this node's leader-lock connection from the server's side, as a dropped connection would. */
        public void killLockConnection() {
            assertThat(terminate(this, "leader"))
                    .as(name + "'s lock connection")
                    .isEqualTo(1);
        }

        /** Ends this node's bus connection from the server's side. */
        public void killBusConnection() {
            assertThat(terminate(this, "bus")).as(name + "'s bus connection").isEqualTo(1);
        }

        /** Starts the node (again); it waits until its bus listens. */
        public void start() {
            start(new CompletableFuture<>());
        }

        /** Starts the node, completing {@code loggingReady} once its logging is set up and before its refresh. */
        synchronized void start(CompletableFuture<Void> loggingReady) {
            List<String> args = new ArrayList<>(arguments);
            args.add("--weft.cluster.node-id=" + name);
            context = new SpringApplicationBuilder(WeftApplication.class)
                    .listeners((ApplicationListener<ApplicationEvent>) event -> {
                        if (event instanceof ApplicationPreparedEvent) {
                            loggingReady.complete(null);
                        }
                    })
                    .run(args.toArray(String[]::new));
            await(name + "'s bus listens", () -> bus().isListening());
        }

        /** Stops the node as a shutdown would: it gives up leadership and closes its streams and connections. */
        public synchronized void stop() {
            ConfigurableApplicationContext current = context;
            if (current != null) {
                current.close();
            }
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
