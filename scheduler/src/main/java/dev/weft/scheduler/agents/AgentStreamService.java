package dev.weft.scheduler.agents;

import dev.weft.api.agent.v1.AgentMessage;
import dev.weft.api.agent.v1.AgentServiceGrpc;
import dev.weft.api.agent.v1.ControlMessage;
import dev.weft.api.agent.v1.LeaveRequest;
import dev.weft.api.agent.v1.LeaveResponse;
import dev.weft.scheduler.load.LoadSink;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/** The gRPC {@code weft.agent.v1.AgentService}: one {@link AgentStream} per connected agent, and Leave. */
@Service
class AgentStreamService extends AgentServiceGrpc.AgentServiceImplBase {

    /** What every stream needs, gathered so that a stream is cheap to create. */
    record Collaborators(
            AgentRegistry registry,
            AgentOperations operations,
            ReportTranslator translator,
            LoadSink sink,
            ViolationRecorder violations,
            AgentMetrics metrics,
            AgentsProperties properties,
            Clock clock,
            DatabaseGate gate,
            ApplicationEventPublisher events) {}

    private final Collaborators with;

    AgentStreamService(
            AgentRegistry registry,
            AgentOperations operations,
            ReportTranslator translator,
            LoadSink sink,
            ViolationRecorder violations,
            AgentMetrics metrics,
            AgentsProperties properties,
            Clock clock,
            DatabaseGate gate,
            ApplicationEventPublisher events) {
        this.with = new Collaborators(
                registry, operations, translator, sink, violations, metrics, properties, clock, gate, events);
    }

    @Override
    public StreamObserver<AgentMessage> connect(StreamObserver<ControlMessage> responseObserver) {
        return new AgentStream((ServerCallStreamObserver<ControlMessage>) responseObserver, with);
    }

    @Override
    public void leave(LeaveRequest request, StreamObserver<LeaveResponse> responseObserver) {
        // an AgentException becomes its status in AgentGrpcErrors
        int released = with.registry().leave(request.getAgentId(), request.getSessionCredential(), request.getReason());
        responseObserver.onNext(
                LeaveResponse.newBuilder().setReplicasReleased(released).build());
        responseObserver.onCompleted();
    }
}
