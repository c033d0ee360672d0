package dev.weft.agent.node;

import dev.weft.agent.runtime.ChannelPool;
import dev.weft.agent.runtime.Refusals;
import dev.weft.api.agent.v1.ReplicaState;
import dev.weft.api.runtime.v1.CallReply;
import dev.weft.api.runtime.v1.CallRequest;
import dev.weft.api.runtime.v1.ComponentServiceGrpc;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Clock;

/**
 * The agent's ComponentService on its advertised address: each call goes to the replica its assignment_id names,
 * if that replica runs here, is serving, and runs the call's version. A call of another version is refused
 * (FAILED_PRECONDITION) and counted for the next ViolationReport.
 */
final class Forwarder extends ComponentServiceGrpc.ComponentServiceImplBase {

    private final Replicas replicas;
    private final LoadAggregator load;
    private final ChannelPool channels;
    private final Clock clock;

    Forwarder(Replicas replicas, LoadAggregator load, ChannelPool channels, Clock clock) {
        this.replicas = replicas;
        this.load = load;
        this.channels = channels;
        this.clock = clock;
    }

    @Override
    public void invoke(CallRequest request, StreamObserver<CallReply> responses) {
        Replicas.Replica replica = replicas.get(request.getAssignmentId());
        if (replica == null) {
            responses.onError(Refusals.refuse(
                    Status.NOT_FOUND.withDescription("no replica '" + request.getAssignmentId() + "' on this agent"),
                    "unknown-replica"));
            return;
        }
        if (!replica.assignment.getApplication().equals(request.getApplication())
                || !replica.assignment.getVersion().equals(request.getVersion())) {
            load.violation(
                    request.getApplication(),
                    request.getVersion(),
                    replica.assignment.getVersion(),
                    request.getCaller(),
                    request.getComponent(),
                    1,
                    clock.instant());
            responses.onError(Status.FAILED_PRECONDITION
                    .withDescription("version violation: a call of " + request.getApplication() + " "
                            + request.getVersion() + " reached replica " + replica.id() + " of "
                            + replica.assignment.getApplication() + " " + replica.assignment.getVersion()
                            + "; refused")
                    .asException());
            return;
        }
        String address = replica.localAddress;
        if (address == null || replica.state != ReplicaState.REPLICA_STATE_RUNNING) {
            String why = replica.stopping ? "draining" : "starting";
            responses.onError(
                    Refusals.refuse(Status.UNAVAILABLE.withDescription("replica " + replica.id() + " is " + why), why));
            return;
        }
        ComponentServiceGrpc.ComponentServiceStub stub = ComponentServiceGrpc.newStub(channels.channel(address));
        Deadline deadline = Context.current().getDeadline();
        if (deadline != null) {
            stub = stub.withDeadline(deadline);
        }
        stub.invoke(request, new StreamObserver<>() {
            @Override
            public void onNext(CallReply reply) {
                responses.onNext(reply);
            }

            @Override
            public void onError(Throwable t) {
                responses.onError(t);
            }

            @Override
            public void onCompleted() {
                responses.onCompleted();
            }
        });
    }
}
