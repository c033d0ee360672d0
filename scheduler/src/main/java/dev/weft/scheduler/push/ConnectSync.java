package dev.weft.scheduler.push;

import dev.weft.scheduler.agents.AgentStreamEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An agent that (re)connects gets its current state at once: the routing tables of the versions it hosts, the
 * traffic splits of the applications whose ingress it hosts, and its AssignmentSet, whatever it ran before. An
 * agent that was never assigned anything gets nothing until it is.
 */
@Component
class ConnectSync {

    private static final Logger log = LoggerFactory.getLogger(ConnectSync.class);

    private final PushService push;
    private final PushStore store;
    private final PushDispatcher dispatcher;
    private final TransactionTemplate transactions;

    ConnectSync(PushService push, PushStore store, PushDispatcher dispatcher, TransactionTemplate transactions) {
        this.push = push;
        this.store = store;
        this.dispatcher = dispatcher;
        this.transactions = transactions;
    }

    @EventListener
    void connected(AgentStreamEvent.Connected connected) {
        try {
            transactions.executeWithoutResult(tx -> {
                // it may have been fixed: replicas that failed to start on it may be placed on it again
                store.forgetFailures(connected.agentId());
                if (connected.appliedGeneration() > 0) {
                    push.overtake(connected.agentId(), connected.appliedGeneration());
                }
            });
        } catch (RuntimeException e) {
            log.warn("Could not re-sync the generation of agent {}: {}", connected.agentId(), e.toString());
        }
        dispatcher.sync(connected.agentId());
    }
}
