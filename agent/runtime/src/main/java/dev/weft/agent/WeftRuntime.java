package dev.weft.agent;

import dev.weft.agent.runtime.Engine;
import dev.weft.agent.runtime.ReplicaRuntime;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** A running application in this process: all of it, or one replica's share. */
public final class WeftRuntime implements Components, AutoCloseable {

    private final Engine engine;
    private final @Nullable ReplicaRuntime replica;

    WeftRuntime(Engine engine, @Nullable ReplicaRuntime replica) {
        this.engine = engine;
        this.replica = replica;
    }

    @Override
    public <T> T get(Class<T> api) {
        return engine.get(api);
    }

    /** True if an agent started this process as a replica. */
    public boolean isReplica() {
        return replica != null;
    }

    /** The version this process runs ({@link Weft#LOCAL_VERSION} when it is not a replica). */
    public String version() {
        return engine.version();
    }

    /** The components hosted in this process. */
    public Set<String> hosted() {
        return engine.hosted();
    }

    /** The machinery underneath, for measurements and tests. */
    public Engine engine() {
        return engine;
    }

    /** Blocks while the replica runs (returns at once when this is not a replica). */
    public void awaitTermination() throws InterruptedException {
        if (replica != null) {
            replica.awaitTermination();
        }
    }

    @Override
    public void close() {
        if (replica != null) {
            replica.close();
        } else {
            engine.close();
        }
    }
}
