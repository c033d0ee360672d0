package dev.weft.scheduler.cluster;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One subscription's deliveries: messages and resyncs queue up in arrival order and run one at a time on the bus's
 * executor, so a subscriber sees its topic in commit order and a slow one holds up nobody else.
 */
final class Subscriber<T> {

    private static final Logger log = LoggerFactory.getLogger(Subscriber.class);

    private final Topic<T> topic;
    private final Consumer<? super T> onMessage;
    private final Runnable onResync;
    private final Executor executor;
    private final JsonMapper json;
    private final ClusterMetrics metrics;
    private final Queue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile boolean cancelled;

    Subscriber(
            Topic<T> topic,
            Consumer<? super T> onMessage,
            Runnable onResync,
            Executor executor,
            JsonMapper json,
            ClusterMetrics metrics) {
        this.topic = topic;
        this.onMessage = onMessage;
        this.onResync = onResync;
        this.executor = executor;
        this.json = json;
        this.metrics = metrics;
    }

    void offer(JsonNode message) {
        enqueue(() -> {
            T value = read(message);
            if (value != null) {
                onMessage.accept(value);
            }
        });
    }

    void resync() {
        enqueue(onResync);
    }

    void cancel() {
        cancelled = true;
        queue.clear();
    }

    private @Nullable T read(JsonNode message) {
        try {
            return json.treeToValue(message, topic.type());
        } catch (RuntimeException unreadable) {
            metrics.failed();
            log.warn(
                    "Ignored a message of topic '{}' that is not a {}: {}",
                    topic.name(),
                    topic.type().getSimpleName(),
                    unreadable.getMessage());
            return null;
        }
    }

    private void enqueue(Runnable delivery) {
        if (cancelled) {
            return;
        }
        queue.add(delivery);
        if (draining.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void drain() {
        do {
            Runnable next;
            while (!cancelled && (next = queue.poll()) != null) {
                try {
                    next.run();
                } catch (RuntimeException e) {
                    metrics.failed();
                    log.error("A subscriber of topic '{}' failed", topic.name(), e);
                }
            }
            draining.set(false);
            // a delivery offered between the last poll and the reset above must not wait for the next one
        } while (!cancelled && !queue.isEmpty() && draining.compareAndSet(false, true));
    }
}
