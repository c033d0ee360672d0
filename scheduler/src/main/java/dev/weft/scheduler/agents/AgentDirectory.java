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

    /**
     * What the CONNECTED ones among these agents report running, by id, as {@link #find} would give it but without
     * reading their other fields, and from the stream held here when there is one: the deployment checks ask this
     * of every agent of a version many times while its replicas start.
     */
    Map<String, List<AgentSnapshot.ReportedReplica>> connectedReplicas(Collection<String> ids);

    /** As {@link #connectedReplicas}, for every live agent (CONNECTED, or DISCONNECTED with its lease running). */
    Map<String, List<AgentSnapshot.ReportedReplica>> liveReplicas();
}
