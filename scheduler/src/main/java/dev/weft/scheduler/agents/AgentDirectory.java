package dev.weft.scheduler.agents;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/** How other features read agents: the planner's candidates, and what agents say they run. */
public interface AgentDirectory {

    /** Every live agent (CONNECTED, or DISCONNECTED with its lease running), by id. */
    List<AgentSnapshot> live();

    /** These agents in whatever state they are; ids never registered are left out. */
    Map<String, AgentSnapshot> find(Collection<String> ids);
}
