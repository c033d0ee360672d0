package dev.weft.scheduler.push;

import dev.weft.scheduler.cluster.ClusterBus;
import dev.weft.scheduler.cluster.Leadership;
import dev.weft.scheduler.cluster.Topic;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Brings what one node's transaction pushed to the agents whose streams other control-plane nodes hold: the
 * transaction publishes the ids of what changed on the cluster bus, and each other node reads the messages back from
 * the database and sends them to its own agents, within milliseconds of the commit. A change naming more agents than
 * a notification holds (PostgreSQL takes under 8000 bytes) names none: each node then sends every agent of its own
 * whose set is newer than the one it last sent. After the bus reconnects, every agent here is brought up to date.
 */
@Component
class PushFanOut {

    /** Changes committed by node {@code from}; {@code agents} null: any agent's set may have changed. */
    static final Topic<Pushed> PUSHED = Topic.of("push.committed", Pushed.class);

    /** Bytes of agent ids a message carries at most; above, it names none (see the class). */
    static final int MAX_AGENT_BYTES = 6000;

    record Pushed(String from, @Nullable List<String> agents, List<Long> versions, List<Long> applications) {}

    private final ClusterBus bus;
    private final String nodeId;
    private final PushDispatcher dispatcher;

    PushFanOut(ClusterBus bus, Leadership leadership, PushDispatcher dispatcher) {
        this.bus = bus;
        this.nodeId = leadership.nodeId();
        this.dispatcher = dispatcher;
        bus.subscribe(PUSHED, this::received, dispatcher::syncAll);
    }

    /** In the transaction that made the changes, before it commits. */
    void publish(PushBatch batch) {
        if (batch.isEmpty()) {
            return;
        }
        int bytes = 0;
        for (String agent : batch.agents()) {
            bytes += agent.length() + 3;
        }
        List<String> agents = bytes > MAX_AGENT_BYTES ? null : List.copyOf(batch.agents());
        bus.publish(
                PUSHED, new Pushed(nodeId, agents, List.copyOf(batch.versions()), List.copyOf(batch.applications())));
    }

    private void received(Pushed pushed) {
        if (pushed.from().equals(nodeId)) {
            return; // this node dispatched it already, when it committed
        }
        List<String> agents = pushed.agents();
        dispatcher.deliver(new PushBatch(
                agents == null ? Set.of() : Set.copyOf(agents),
                Set.copyOf(pushed.versions()),
                Set.copyOf(pushed.applications()),
                agents == null));
    }
}
