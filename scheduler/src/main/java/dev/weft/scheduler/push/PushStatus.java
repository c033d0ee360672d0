package dev.weft.scheduler.push;

import dev.weft.scheduler.agents.AssignmentStatus;
import dev.weft.scheduler.push.PushStore.Ack;
import dev.weft.scheduler.push.PushStore.SetRow;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** Desired against acknowledged, per agent, for the agents API: the stored set and the newest ack known here. */
@Component
class PushStatus implements AssignmentStatus {

    private final PushStore store;
    private final AckTracker acks;

    PushStatus(PushStore store, AckTracker acks) {
        this.store = store;
        this.acks = acks;
    }

    @Override
    public Optional<Status> of(String agentId) {
        return store.set(agentId).map(row -> status(row, acks.latest(agentId)));
    }

    private static Status status(SetRow row, Optional<Ack> here) {
        boolean fresher = here.isPresent() && here.get().generation() >= row.ackedGeneration();
        return new Status(
                row.set().getGeneration(),
                row.updatedAt(),
                fresher ? here.get().generation() : row.ackedGeneration(),
                fresher ? here.get().at() : row.ackedAt(),
                fresher ? here.get().applied() : row.ackApplied(),
                fresher ? here.get().message() : row.ackMessage(),
                fresher ? here.get().failed() : row.failedAssignmentIds(),
                row.set().getAssignmentsList().stream()
                        .map(a -> new DesiredReplica(
                                a.getAssignmentId(),
                                a.getApplication(),
                                a.getVersion(),
                                a.getGroupIndex(),
                                a.getReplicaIndex(),
                                a.getComponentsList(),
                                a.getResources().getCpuMillicores(),
                                a.getResources().getMemoryMib()))
                        .toList());
    }
}
