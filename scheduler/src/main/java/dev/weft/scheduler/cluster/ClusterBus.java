package dev.weft.scheduler.cluster;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Change notifications between control-plane replicas, over PostgreSQL's {@code LISTEN/NOTIFY}. A message is
 * published inside the transaction that makes the change and sent when it commits (never if it rolls back); every
 * node, the publishing one too, delivers it to its subscribers of the topic, normally within milliseconds. Each
 * subscription gets its messages one at a time, in commit order, on a thread of its own (a slow subscriber delays
 * only itself). Notifications sent while a node's listening connection was down are lost to it: when the connection
 * is (re)established, every subscription is told to resynchronise from the database ({@code onResync}), in order
 * with its messages.
 */
public class ClusterBus {

    /** The PostgreSQL channel every node listens on. */
    public static final String CHANNEL = "weft_cluster";

    /** The largest notification PostgreSQL takes (it refuses 8000 bytes or more), envelope included. */
    public static final int MAX_PAYLOAD_BYTES = 7999;

    private static final Logger log = LoggerFactory.getLogger(ClusterBus.class);

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final String nodeId;
    private final ClusterMetrics metrics;
    private final Executor deliveries;
    private final Map<String, List<Subscriber<?>>> subscribers = new ConcurrentHashMap<>();
    private volatile BooleanSupplier listening = () -> false;

    ClusterBus(JdbcClient jdbc, JsonMapper json, String nodeId, ClusterMetrics metrics, Executor deliveries) {
        this.jdbc = jdbc;
        this.json = json;
        this.nodeId = nodeId;
        this.metrics = metrics;
        this.deliveries = deliveries;
    }

    /**
     * Publishes {@code message} when the caller's transaction commits.
     *
     * @throws IllegalTransactionStateException if no transaction is active
     * @throws IllegalArgumentException if the message, as JSON in its envelope, is above {@link #MAX_PAYLOAD_BYTES}
     *     (send ids, not state)
     */
    public <T> void publish(Topic<T> topic, T message) {
        requireNonNull(topic, "topic is null");
        requireNonNull(message, "message is null");
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalTransactionStateException(
                    "a bus message is published inside the transaction whose change it announces; there is none");
        }
        ObjectNode envelope = json.createObjectNode();
        envelope.put("topic", topic.name());
        envelope.put("node", nodeId);
        envelope.set("message", json.valueToTree(message));
        String payload = json.writeValueAsString(envelope);
        int bytes = payload.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("a message of topic '" + topic.name() + "' is " + bytes
                    + " bytes as JSON, above the " + MAX_PAYLOAD_BYTES
                    + " PostgreSQL's NOTIFY takes: send ids of what changed, not the state");
        }
        jdbc.sql("select pg_notify(?, ?)")
                .params(CHANNEL, payload)
                .query((rs, n) -> 1)
                .single();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                metrics.published(topic.name());
            }
        });
    }

    /** Delivers every message of {@code topic} to {@code onMessage}, on every node's bus including this one's. */
    public <T> Subscription subscribe(Topic<T> topic, Consumer<? super T> onMessage) {
        return subscribe(topic, onMessage, () -> {});
    }

    /**
     * Delivers every message of {@code topic} to {@code onMessage}, and calls {@code onResync} each time the bus
     * (re)starts listening (messages may have been missed: read the current state from the database). Load the
     * initial state yourself after subscribing; a resync also comes when the bus first starts listening.
     */
    public <T> Subscription subscribe(Topic<T> topic, Consumer<? super T> onMessage, Runnable onResync) {
        Subscriber<T> subscriber = new Subscriber<>(topic, onMessage, onResync, deliveries, json, metrics);
        subscribers
                .computeIfAbsent(topic.name(), name -> new CopyOnWriteArrayList<>())
                .add(subscriber);
        return () -> {
            subscriber.cancel();
            List<Subscriber<?>> list = subscribers.get(topic.name());
            if (list != null) {
                list.remove(subscriber);
            }
        };
    }

    /** Whether the listening connection is up (messages reach this node's subscribers). */
    public boolean isListening() {
        return listening.getAsBoolean();
    }

    void listeningFrom(BooleanSupplier listening) {
        this.listening = listening;
    }

    /** A notification arrived on {@link #CHANNEL}. */
    void deliver(String payload) {
        String topic = null;
        JsonNode message = null;
        try {
            JsonNode envelope = json.readTree(payload);
            topic = text(envelope, "topic");
            message = envelope.get("message");
        } catch (RuntimeException unreadable) {
            // counted and logged below
        }
        if (topic == null || message == null) {
            metrics.failed();
            log.warn("Ignored a notification on {} that is not a bus message: {}", CHANNEL, abbreviate(payload));
            return;
        }
        metrics.received(topic);
        List<Subscriber<?>> list = subscribers.get(topic);
        if (list != null) {
            for (Subscriber<?> subscriber : list) {
                subscriber.offer(message);
            }
        }
    }

    /** The listening connection is (again) up: every subscription reads the state it may have missed. */
    void resyncAll() {
        for (List<Subscriber<?>> list : subscribers.values()) {
            for (Subscriber<?> subscriber : list) {
                subscriber.resync();
            }
        }
    }

    private static @Nullable String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isString() ? value.asString() : null;
    }

    private static String abbreviate(String payload) {
        return payload.length() <= 200 ? payload : payload.substring(0, 200) + "...";
    }
}
