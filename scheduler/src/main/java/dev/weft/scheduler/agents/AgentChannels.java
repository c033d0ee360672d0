package dev.weft.scheduler.agents;

import dev.weft.api.agent.v1.ControlMessage;
import java.util.List;
import java.util.Set;

/** The agent streams open on this control-plane node, for features that push to agents. */
public interface AgentChannels {

    /**
     * Sends the messages, in order and with nothing of this node's in between, if the agent's stream is open on
     * this node (after its welcome); returns false if it is not. Safe from any thread.
     */
    boolean send(String agentId, List<ControlMessage> messages);

    /** Ids of the agents whose streams are open on this node. */
    Set<String> connectedHere();
}
