package dev.weft.agent.runtime;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.agent.http.HttpCall;
import dev.weft.agent.http.HttpReply;
import dev.weft.api.runtime.v1.CallError;
import dev.weft.api.runtime.v1.CallReply;
import dev.weft.api.runtime.v1.CallRequest;
import dev.weft.api.runtime.v1.HttpRequestPayload;
import io.grpc.Status;
import io.grpc.StatusException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The server side of a call: checks that it belongs here (this application, this version, this replica, a hosted
 * component, a known method, a codec spoken here), then runs it as a local call and encodes the outcome. A call
 * of another version is refused with FAILED_PRECONDITION and counted as a violation.
 */
public final class Dispatcher {

    private final Engine engine;
    private final String assignmentId;
    private final Map<String, LocalHandler> handlers = new HashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;

    public Dispatcher(Engine engine, String assignmentId) {
        this.engine = engine;
        this.assignmentId = assignmentId;
        for (String name : engine.hosted()) {
            ComponentModel model = java.util.Objects.requireNonNull(engine.model(name));
            handlers.put(name, new LocalHandler(engine, model));
        }
    }

    /** Stop taking calls: new ones are refused (the caller tries another replica); those in flight finish. */
    public void drain() {
        draining = true;
    }

    public boolean draining() {
        return draining;
    }

    /** Calls being served right now. */
    public int inFlight() {
        return inFlight.get();
    }

    public CallReply serve(CallRequest request) throws StatusException {
        inFlight.incrementAndGet();
        try {
            return dispatch(request);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private CallReply dispatch(CallRequest request) throws StatusException {
        if (draining) {
            throw Refusals.refuse(
                    Status.UNAVAILABLE.withDescription("replica " + assignmentId + " is draining"), "draining");
        }
        if (!request.getApplication().equals(engine.application())
                || !request.getVersion().equals(engine.version())) {
            engine.meters().refused(request.getVersion(), request.getCaller(), request.getComponent());
            throw Status.FAILED_PRECONDITION
                    .withDescription("version violation: a call of " + request.getApplication() + " "
                            + request.getVersion() + " reached replica " + assignmentId + " of "
                            + engine.application() + " " + engine.version() + "; refused")
                    .asException();
        }
        if (!request.getAssignmentId().isEmpty() && !request.getAssignmentId().equals(assignmentId)) {
            throw Refusals.refuse(
                    Status.NOT_FOUND.withDescription(
                            "this is replica " + assignmentId + ", not " + request.getAssignmentId()),
                    "unknown-replica");
        }
        LocalHandler handler = handlers.get(request.getComponent());
        ComponentModel model = engine.model(request.getComponent());
        if (handler == null || model == null) {
            throw Refusals.refuse(
                    Status.NOT_FOUND.withDescription("replica " + assignmentId + " does not host '"
                            + request.getComponent() + "' (it hosts " + new java.util.TreeSet<>(engine.hosted()) + ")"),
                    "not-hosted");
        }
        Method method = model.methods().get(request.getMethod());
        if (method == null) {
            throw Status.UNIMPLEMENTED
                    .withDescription("component '" + model.name() + "' has no method " + request.getMethod())
                    .asException();
        }
        if (request.getCodec().equals(HttpCodec.NAME)
                && model.httpIngress()
                && request.getMethod().equals(HttpCodec.HANDLE)) {
            return serveHttp(request, handler, method);
        }
        if (!request.getCodec().equals(engine.codec().name())) {
            throw Status.INVALID_ARGUMENT
                    .withDescription("codec '" + request.getCodec() + "' is not spoken here (only '"
                            + engine.codec().name() + "')")
                    .asException();
        }
        @Nullable Object[] args;
        try {
            args = engine.codec().decodeArgs(request.getPayload().toByteArray());
        } catch (RuntimeException e) {
            throw Status.INVALID_ARGUMENT
                    .withDescription("arguments of " + model.name() + "." + request.getMethod()
                            + " could not be decoded: " + e.getMessage())
                    .asException();
        }
        return run(request, handler, method, args, false);
    }

    private CallReply serveHttp(CallRequest request, LocalHandler handler, Method method) throws StatusException {
        HttpCall call;
        try {
            call = HttpCodec.decode(HttpRequestPayload.parseFrom(request.getPayload()));
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw Status.INVALID_ARGUMENT
                    .withDescription("http-1 payload could not be decoded: " + e.getMessage())
                    .asException();
        }
        return run(request, handler, method, new Object[] {call}, true);
    }

    private CallReply run(
            CallRequest request, LocalHandler handler, Method method, @Nullable Object[] args, boolean http) {
        String previous = CallContext.enterRequest(request.getRequestId());
        try {
            Object result = handler.call(method, args, null);
            ByteString payload = http
                    ? HttpCodec.encode((HttpReply) java.util.Objects.requireNonNull(result, "HttpReply"))
                            .toByteString()
                    : ByteString.copyFrom(engine.codec().encodeResult(result));
            return CallReply.newBuilder().setPayload(payload).build();
        } catch (Throwable t) {
            if (t instanceof Error error && !(t instanceof AssertionError) && !(t instanceof StackOverflowError)) {
                throw error;
            }
            String message = t.getMessage();
            return CallReply.newBuilder()
                    .setError(CallError.newBuilder()
                            .setType(t.getClass().getName())
                            .setMessage(message == null ? "" : message))
                    .build();
        } finally {
            CallContext.exitRequest(previous);
        }
    }
}
