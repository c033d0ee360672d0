package dev.weft.agent.runtime;

import dev.weft.api.runtime.v1.CallReply;
import dev.weft.api.runtime.v1.CallRequest;
import dev.weft.api.runtime.v1.ComponentServiceGrpc;
import io.grpc.StatusException;
import io.grpc.stub.StreamObserver;

/** ComponentService over a {@link Dispatcher}. */
public final class ComponentServer extends ComponentServiceGrpc.ComponentServiceImplBase {

    private final Dispatcher dispatcher;

    public ComponentServer(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Override
    public void invoke(CallRequest request, StreamObserver<CallReply> responses) {
        CallReply reply;
        try {
            reply = dispatcher.serve(request);
        } catch (StatusException e) {
            responses.onError(e);
            return;
        }
        responses.onNext(reply);
        responses.onCompleted();
    }
}
