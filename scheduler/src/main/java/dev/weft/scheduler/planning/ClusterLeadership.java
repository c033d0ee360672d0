package dev.weft.scheduler.planning;

import dev.weft.scheduler.cluster.Term;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** The planner's {@link Leadership}: the cluster's election (a single node simply always leads). */
@Component
class ClusterLeadership implements Leadership {

    private final dev.weft.scheduler.cluster.Leadership cluster;

    ClusterLeadership(dev.weft.scheduler.cluster.Leadership cluster) {
        this.cluster = cluster;
    }

    @Override
    public String nodeId() {
        return cluster.nodeId();
    }

    @Override
    public boolean leading() {
        return cluster.isLeader();
    }

    @Override
    public Optional<Term> term() {
        return cluster.term();
    }
}
