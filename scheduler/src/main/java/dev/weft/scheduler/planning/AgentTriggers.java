package dev.weft.scheduler.planning;

import dev.weft.scheduler.events.AuditEvent;
import dev.weft.scheduler.push.StartFailuresExceeded;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Turns what happened to agents (as the audit log records it, once committed) into re-plans: an agent that joins or
 * is uncordoned may give room or a better place to every version; one that is lost, leaves, is revoked, drained or
 * cordoned matters to the versions it hosts; replicas failing to start too often move their version elsewhere.
 */
@Component
class AgentTriggers {

    private final PlanningLoop loop;
    private final PlanStore store;

    AgentTriggers(PlanningLoop loop, PlanStore store) {
        this.loop = loop;
        this.store = store;
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void recorded(AuditEvent event) {
        String agent = event.agent();
        if (agent == null) {
            return;
        }
        switch (event.kind()) {
            case "AGENT_REGISTERED" -> loop.requestAll(new Trigger(Trigger.Kind.AGENT_JOINED, "agents joined"));
            case "AGENT_RECONNECTED" -> {
                Object before = event.details().get("previousState");
                if ("LOST".equals(before) || "RELEASED".equals(before)) {
                    loop.requestAll(new Trigger(Trigger.Kind.AGENT_JOINED, "agents joined"));
                }
            }
            case "AGENT_UNCORDONED" -> loop.requestAll(new Trigger(Trigger.Kind.AGENT_JOINED, "agents uncordoned"));
            case "AGENT_LOST", "AGENT_LEFT", "AGENT_REVOKED" ->
                hosted(
                        agent,
                        Trigger.Kind.AGENT_LOST,
                        "agent '" + agent + "' "
                                + event.kind().substring("AGENT_".length()).toLowerCase(java.util.Locale.ROOT));
            case "AGENT_DRAINING" -> hosted(agent, Trigger.Kind.AGENT_DRAINING, "agent '" + agent + "' is draining");
            case "AGENT_CORDONED" -> hosted(agent, Trigger.Kind.AGENT_CORDONED, "agent '" + agent + "' was cordoned");
            case "AGENT_RELEASED" -> hosted(agent, Trigger.Kind.AGENT_RELEASED, "agent '" + agent + "' was released");
            default -> {
                // disconnects keep replicas where they are; other events do not concern placement
            }
        }
    }

    private void hosted(String agent, Trigger.Kind kind, String detail) {
        for (long versionId : store.hostedBy(agent)) {
            loop.request(versionId, new Trigger(kind, detail));
        }
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void startFailures(StartFailuresExceeded event) {
        loop.request(
                event.versionId(),
                new Trigger(
                        Trigger.Kind.START_FAILURES,
                        "replicas failed to start on agent '" + event.agentId() + "' " + event.failures() + " times"));
    }
}
