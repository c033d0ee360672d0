package dev.weft.scheduler.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.agent.v1.AgentMessage;
import dev.weft.api.agent.v1.AgentServiceGrpc;
import dev.weft.api.agent.v1.ControlMessage;
import dev.weft.api.agent.v1.LoadReport;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;

/** An agent that sends but never reads its stream cannot make the control plane buffer without bound. */
@AgentIntegrationTest
class AgentNotReadingTest {

    @Autowired
    GrpcServerLifecycle grpcServer;

    @Autowired
    SettableClock clock;

    @Autowired
    AgentSessions sessions;

    /** The control plane closed the agent's session (it may already have forgotten it). */
    private boolean endedOnServer(String id) {
        return sessions.get(id).map(AgentSession::closed).orElse(true);
    }

    @Test
    void aStreamWhoseAgentNeverReadsIsEndedOnceItsUnreadMessagesPassTheLimit() throws Exception {
        // a 1 KiB flow-control window and no request() calls: after a few messages the server may send no more
        ManagedChannel tiny = NettyChannelBuilder.forAddress("localhost", grpcServer.getPort())
                .usePlaintext()
                .flowControlWindow(1024)
                .build();
        try {
            String id = AgentTestSupport.agentId("deaf");
            CompletableFuture<Status> closed = new CompletableFuture<>();
            ClientCall<AgentMessage, ControlMessage> call =
                    tiny.newCall(AgentServiceGrpc.getConnectMethod(), CallOptions.DEFAULT);
            call.start(
                    new ClientCall.Listener<>() {
                        @Override
                        public void onClose(Status status, Metadata trailers) {
                            closed.complete(status);
                        }
                    },
                    new Metadata());
            call.sendMessage(
                    AgentMessage.newBuilder().setHello(TestAgent.hello(id)).build());
            // every report without an interval is answered with an error message the agent never reads
            AgentMessage unanswerable = AgentMessage.newBuilder()
                    .setLoadReport(LoadReport.newBuilder().setSequence(1))
                    .build();
            AgentTestSupport.await(
                    "the hello was handled", () -> sessions.get(id).isPresent());
            int sent = 0;
            while (!endedOnServer(id) && sent < 20 * AgentSession.MAX_UNREAD_MESSAGES) {
                // one message per second of the test clock, each handled before the next: well within the rate limit
                clock.advance(Duration.ofSeconds(1));
                java.time.Instant now = clock.instant();
                call.sendMessage(unanswerable);
                sent++;
                AgentTestSupport.await(
                        "message " + sent + " was handled",
                        () -> sessions.get(id)
                                .map(session ->
                                        session.closed() || !session.lastSeen().isBefore(now))
                                .orElse(true));
            }
            assertThat(endedOnServer(id))
                    .as("the control plane ended the stream after %s messages", sent)
                    .isTrue();

            // once the agent reads, it learns why: the status waits behind the messages it had not read
            call.request(Integer.MAX_VALUE);
            Status status = closed.get(10, TimeUnit.SECONDS);
            assertThat(status.getCode()).as(status.toString()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(status.getDescription())
                    .contains(id, "has not read its last " + AgentSession.MAX_UNREAD_MESSAGES);
            assertThat(sent)
                    .as("it took more than the limit, and far less than unbounded")
                    .isGreaterThan(AgentSession.MAX_UNREAD_MESSAGES);

        } finally {
            AgentTestSupport.shutdown(tiny);
        }
    }
}
