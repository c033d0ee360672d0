package dev.weft.agent.runtime;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;

/**
 * A reference to a component hosted in this process: the call goes to the same implementation object with the
 * same argument objects (no copy, no encoding), measured on the way (calls, errors, CPU, latency; bytes are
 * estimated from one sampled call in {@link Engine#LOCAL_SIZE_SAMPLE}).
 */
final class LocalHandler implements InvocationHandler {

    private final Engine engine;
    private final ComponentModel model;
    private final ComponentMeter meter;
    private final boolean publicApi;
    private volatile @Nullable Object target;

    LocalHandler(Engine engine, ComponentModel model) {
        this.engine = engine;
        this.model = model;
        this.meter = engine.meters().component(model.name());
        this.publicApi = java.lang.reflect.Modifier.isPublic(model.api().getModifiers());
    }

    @Override
    public @Nullable Object invoke(Object proxy, Method method, @Nullable Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return ObjectMethods.invoke(proxy, method, args, "weft-local:" + model.name());
        }
        return call(method, args, CallContext.currentComponent());
    }

    /** Calls the implementation, measuring it; {@code caller} is the calling component, null from outside. */
    @Nullable
    Object call(Method method, @Nullable Object[] args, @Nullable String caller) throws Throwable {
        Object implementation = target;
        if (implementation == null) {
            implementation = engine.implementation(model.name());
            target = implementation;
        }
        EdgeMeter edge = caller == null ? null : engine.meters().edge(caller, model.name());
        long start = System.nanoTime();
        CallContext.Frame frame = CallContext.enter(meter);
        meter.started();
        boolean failed = true;
        @Nullable Object result = null;
        try {
            if (!publicApi && !method.canAccess(implementation)) {
                method.setAccessible(true); // a package-private component interface
            }
            result = method.invoke(implementation, args);
            failed = false;
            return result;
        } catch (InvocationTargetException e) {
            throw e.getCause();
        } finally {
            CallContext.exit(frame);
            long wall = System.nanoTime() - start;
            meter.ended(wall, failed);
            if (edge != null) {
                long bytes = 0;
                if (edge.sample(Engine.LOCAL_SIZE_SAMPLE)) {
                    bytes = estimateBytes(args, failed ? null : result) * Engine.LOCAL_SIZE_SAMPLE;
                }
                edge.record(wall, bytes, failed);
            }
        }
    }

    private long estimateBytes(@Nullable Object[] args, @Nullable Object result) {
        try {
            return engine.codec().encodeArgs(args).length
                    + (long) engine.codec().encodeResult(result).length;
        } catch (RuntimeException e) {
            return 0; // a local call may carry what no remote call could; it then counts no bytes
        }
    }
}
