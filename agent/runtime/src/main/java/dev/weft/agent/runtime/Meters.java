package dev.weft.agent.runtime;

import dev.weft.api.runtime.v1.RefusedCalls;
import dev.weft.api.runtime.v1.ReplicaLoad;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/** Every counter of one process: its components, the edges its components call, and refused calls. */
public final class Meters {

    private record EdgeKey(String caller, String callee) {}

    private record RefusedKey(String callerVersion, String caller, String callee) {}

    private final ConcurrentMap<String, ComponentMeter> components = new ConcurrentHashMap<>();
    private final ConcurrentMap<EdgeKey, EdgeMeter> edges = new ConcurrentHashMap<>();
    private final ConcurrentMap<RefusedKey, LongAdder> refused = new ConcurrentHashMap<>();

    public ComponentMeter component(String name) {
        return components.computeIfAbsent(name, ComponentMeter::new);
    }

    EdgeMeter edge(String caller, String callee) {
        return edges.computeIfAbsent(new EdgeKey(caller, callee), k -> new EdgeMeter(k.caller(), k.callee()));
    }

    void refused(String callerVersion, String caller, String callee) {
        refused.computeIfAbsent(new RefusedKey(callerVersion, caller, callee), k -> new LongAdder())
                .increment();
    }

    /** Calls in flight in all components. */
    public int inFlight() {
        return components.values().stream().mapToInt(ComponentMeter::inFlight).sum();
    }

    /** The counters since the previous drain, and the process's memory now. */
    public ReplicaLoad drain() {
        ReplicaLoad.Builder load = ReplicaLoad.newBuilder().setMemoryBytes(residentBytes());
        components.values().forEach(m -> load.addComponents(m.drain()));
        edges.values().forEach(m -> load.addEdges(m.drain()));
        for (var entry : refused.entrySet()) {
            long count = entry.getValue().sumThenReset();
            if (count > 0) {
                RefusedKey key = entry.getKey();
                load.addRefused(RefusedCalls.newBuilder()
                        .setCallerVersion(key.callerVersion())
                        .setCaller(key.caller())
                        .setCallee(key.callee())
                        .setCount(count));
            }
        }
        return load.build();
    }

    /** Resident set size from /proc/self/status (Linux); elsewhere the JVM's used heap. */
    static long residentBytes() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/self/status"));
            for (String line : lines) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.trim().split("\\s+");
                    return Long.parseLong(parts[1]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
