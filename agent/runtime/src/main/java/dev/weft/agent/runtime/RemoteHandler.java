package dev.weft.agent.runtime;

import com.google.protobuf.ByteString;
import dev.weft.agent.CallFailedException;
import dev.weft.agent.ComponentException;
import dev.weft.api.runtime.v1.CallError;
import dev.weft.api.runtime.v1.CallReply;
import dev.weft.api.runtime.v1.CallRequest;
import dev.weft.api.runtime.v1.ComponentServiceGrpc;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A reference to a component this process does not host: each call is encoded and sent over gRPC to a replica of
 * the same version from the routing table, within a deadline, with the version and the request id; retried on
 * another replica when the first refused it before running it, or, for {@link dev.weft.agent.Idempotent}
 * methods, when it failed in transit.
 */
final class RemoteHandler implements InvocationHandler {

    /** Attempts per call, at most (each on a different replica). */
    static final int MAX_ATTEMPTS = 3;

    private final Engine engine;
    private final ComponentModel model;
    private final Engine.Remote remote;

    RemoteHandler(Engine engine, ComponentModel model, Engine.Remote remote) {
        this.engine = engine;
        this.model = model;
        this.remote = remote;
    }

    @Override
    public @Nullable Object invoke(Object proxy, Method method, @Nullable Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return ObjectMethods.invoke(proxy, method, args, "weft-remote:" + model.name());
        }
        String caller = CallContext.currentComponent();
        EdgeMeter edge = caller == null ? null : engine.meters().edge(caller, model.name());
        long start = System.nanoTime();
        long bytes = 0;
        boolean failed = true;
        try {
            CallRequest.Builder request = CallRequest.newBuilder()
                    .setApplication(engine.application())
                    .setVersion(engine.version())
                    .setComponent(model.name())
                    .setMethod(ComponentModel.methodId(method))
                    .setPayload(ByteString.copyFrom(engine.codec().encodeArgs(args)))
                    .setRequestId(CallContext.requestId())
                    .setCaller(caller == null ? "" : caller)
                    .setCodec(engine.codec().name());
            CallReply reply = send(request, method);
            bytes = request.build().getSerializedSize() + (long) reply.getSerializedSize();
            if (reply.hasError()) {
                throw rebuild(reply.getError());
            }
            Object result = engine.codec().decodeResult(reply.getPayload().toByteArray());
            failed = false;
            return result;
        } finally {
            if (edge != null) {
                edge.record(System.nanoTime() - start, bytes, failed);
            }
        }
    }

    private CallReply send(CallRequest.Builder request, Method method) {
        Deadline deadline = Deadline.after(remote.defaultDeadlineMillis(), TimeUnit.MILLISECONDS);
        Deadline inherited = Context.current().getDeadline();
        if (inherited != null && inherited.isBefore(deadline)) {
            deadline = inherited;
        }
        boolean idempotent = model.isIdempotent(method);
        Set<String> tried = new HashSet<>();
        if (remote.router().generation() == 0) {
            // no routing table yet (this replica started moments ago): wait for it, within the deadline, at most 5 s
            long wait = Math.min(5_000, deadline.timeRemaining(java.util.concurrent.TimeUnit.MILLISECONDS));
            try {
                remote.router().awaitFirstTable(Math.max(0, wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        StatusRuntimeException last = null;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Router.Target target = remote.router().pick(model.name(), tried);
            if (target == null) {
                break;
            }
            tried.add(target.assignmentId());
            request.setAssignmentId(target.assignmentId());
            remote.router().started(target);
            try {
                return ComponentServiceGrpc.newBlockingStub(remote.channels().channel(target.address()))
                        .withDeadline(deadline)
                        .invoke(request.build());
            } catch (StatusRuntimeException e) {
                last = e;
                if (!retriable(e, idempotent) || deadline.isExpired()) {
                    break;
                }
            } finally {
                remote.router().ended(target);
            }
        }
        String where = "component '" + model.name() + "' of " + engine.application() + " " + engine.version() + ", "
                + ComponentModel.methodId(method);
        if (last == null) {
            throw new CallFailedException("no replica serves " + where + " (routing table generation "
                    + remote.router().generation() + ")");
        }
        throw new CallFailedException(
                "call of " + where + " failed after " + tried.size() + " replica(s): " + last.getStatus(), last);
    }

    private static boolean retriable(StatusRuntimeException e, boolean idempotent) {
        if (Refusals.reason(e) != null) {
            return true;
        }
        Status.Code code = e.getStatus().getCode();
        return idempotent
                && (code == Status.Code.UNAVAILABLE
                        || code == Status.Code.RESOURCE_EXHAUSTED
                        || code == Status.Code.ABORTED
                        || code == Status.Code.INTERNAL
                        || code == Status.Code.UNKNOWN);
    }

    /** The callee's exception as itself when it is an unchecked type with a (String) constructor. */
    static RuntimeException rebuild(CallError error) {
        try {
            Class<?> type = Class.forName(error.getType(), false, RemoteHandler.class.getClassLoader());
            if (RuntimeException.class.isAssignableFrom(type)) {
                return (RuntimeException) type.getConstructor(String.class).newInstance(error.getMessage());
            }
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            // not rebuildable here
        }
        return new ComponentException(error.getType(), error.getMessage());
    }
}
