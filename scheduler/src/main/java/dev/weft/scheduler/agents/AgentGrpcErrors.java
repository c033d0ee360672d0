package dev.weft.scheduler.agents;

import io.grpc.StatusException;
import org.jspecify.annotations.Nullable;
import org.springframework.grpc.server.exception.GrpcExceptionHandler;
import org.springframework.stereotype.Component;

/**
 * Turns an {@link AgentException} thrown by a unary agent call into its gRPC status and counts it; other
 * exceptions are left to Spring gRPC's default handling. Streams answer their errors themselves, since
 * a bad report must not end the stream.
 */
@Component
class AgentGrpcErrors implements GrpcExceptionHandler {

    private final AgentMetrics metrics;

    AgentGrpcErrors(AgentMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public @Nullable StatusException handleException(Throwable exception) {
        if (exception instanceof AgentException rejected) {
            metrics.rejected(rejected.error());
            return rejected.error().status(rejected.detail()).asException();
        }
        return null;
    }
}
