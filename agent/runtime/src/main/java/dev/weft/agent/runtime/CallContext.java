package dev.weft.agent.runtime;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * What the current thread is doing: which component's code runs (so an outgoing call knows its caller and CPU
 * time is charged to the right component) and which end-to-end request it serves (its id travels on every hop).
 */
public final class CallContext {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final boolean CPU = THREADS.isCurrentThreadCpuTimeSupported();
    private static final ThreadLocal<@Nullable Frame> FRAME = new ThreadLocal<>();
    private static final ThreadLocal<@Nullable String> REQUEST = new ThreadLocal<>();

    private CallContext() {}

    /** A component's code running on this thread. */
    static final class Frame {
        final ComponentMeter meter;
        final @Nullable Frame parent;
        long cpuMark;

        Frame(ComponentMeter meter, @Nullable Frame parent, long cpuMark) {
            this.meter = meter;
            this.parent = parent;
            this.cpuMark = cpuMark;
        }
    }

    static long threadCpuNanos() {
        return CPU ? THREADS.getCurrentThreadCpuTime() : 0L;
    }

    /** The component whose code runs on this thread, or null outside any component. */
    public static @Nullable String currentComponent() {
        Frame frame = FRAME.get();
        return frame == null ? null : frame.meter.name();
    }

    /** The id of the request this thread serves; one is made up if there is none. */
    public static String requestId() {
        String id = REQUEST.get();
        return id == null ? UUID.randomUUID().toString() : id;
    }

    /** Runs with a request id set (the ingress and the server side of a remote call do this). */
    public static @Nullable String enterRequest(String requestId) {
        String previous = REQUEST.get();
        REQUEST.set(requestId);
        return previous;
    }

    public static void exitRequest(@Nullable String previous) {
        if (previous == null) {
            REQUEST.remove();
        } else {
            REQUEST.set(previous);
        }
    }

    /** Enters a component's code: the caller's CPU time so far is charged to the caller. */
    static Frame enter(ComponentMeter meter) {
        long now = threadCpuNanos();
        Frame parent = FRAME.get();
        if (parent != null) {
            parent.meter.addCpu(now - parent.cpuMark);
        }
        Frame frame = new Frame(meter, parent, now);
        FRAME.set(frame);
        return frame;
    }

    /** Leaves a component's code: its CPU time is charged to it, and the caller's clock resumes. */
    static void exit(Frame frame) {
        long now = threadCpuNanos();
        frame.meter.addCpu(now - frame.cpuMark);
        Frame parent = frame.parent;
        if (parent != null) {
            parent.cpuMark = now;
            FRAME.set(parent);
        } else {
            FRAME.remove();
        }
    }
}
