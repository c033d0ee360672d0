package dev.weft.agent.node;

import dev.weft.api.runtime.v1.ReplicaMessage;
import dev.weft.api.runtime.v1.ReplicaSupervisorGrpc;
import dev.weft.api.runtime.v1.SupervisorMessage;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import org.jspecify.annotations.Nullable;

/** The agent's end of its replicas' links: hello (checked against the token it gave), load, drained. */
final class SupervisorService extends ReplicaSupervisorGrpc.ReplicaSupervisorImplBase {

    private final Replicas replicas;
    private final LoadAggregator load;

    SupervisorService(Replicas replicas, LoadAggregator load) {
        this.replicas = replicas;
        this.load = load;
    }

    @Override
    public StreamObserver<ReplicaMessage> attach(StreamObserver<SupervisorMessage> link) {
        return new StreamObserver<>() {
            private Replicas.@Nullable Replica replica;

            @Override
            public void onNext(ReplicaMessage message) {
                Replicas.Replica current = replica;
                switch (message.getBodyCase()) {
                    case HELLO -> {
                        if (current != null) {
                            link.onError(Status.FAILED_PRECONDITION
                                    .withDescription("second hello")
                                    .asException());
                            return;
                        }
                        replica = replicas.attach(message.getHello(), link);
                        if (replica == null) {
                            link.onError(Status.PERMISSION_DENIED
                                    .withDescription("unknown replica or wrong token: "
                                            + message.getHello().getAssignmentId())
                                    .asException());
                        }
                    }
                    case LOAD -> {
                        if (current != null) {
                            load.add(current.id(), message.getLoad());
                        }
                    }
                    case DRAINED -> {
                        if (current != null) {
                            replicas.drained(current);
                        }
                    }
                    case BODY_NOT_SET -> {}
                }
            }

            @Override
            public void onError(Throwable t) {
                end();
            }

            @Override
            public void onCompleted() {
                end();
                try {
                    link.onCompleted();
                } catch (RuntimeException e) {
                    // already closed
                }
            }

            private void end() {
                Replicas.Replica current = replica;
                if (current != null) {
                    replicas.detached(current, link);
                }
            }
        };
    }
}
