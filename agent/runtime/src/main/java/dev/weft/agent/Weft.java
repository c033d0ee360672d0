package dev.weft.agent;

import dev.weft.agent.runtime.Engine;
import dev.weft.agent.runtime.ReplicaConfig;
import dev.weft.agent.runtime.ReplicaRuntime;
import java.util.Optional;

/**
 * Where an application's {@code main} hands over to Weft. Started by an agent (with {@code --weft.replica.*}
 * arguments) the process becomes a replica that hosts its assignment's components and reaches the others over
 * the network; started any other way, every component runs in this one process, with plain method calls.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *     WeftRuntime weft = Weft.run(BoutiqueApp.definition(), args);
 *     if (!weft.isReplica()) { ... serve HTTP yourself with weft.get(Frontend.class) ... }
 * }
 * }</pre>
 */
public final class Weft {

    /** The version a process that is not a replica reports itself as. */
    public static final String LOCAL_VERSION = "local";

    private Weft() {}

    /** Runs the application as a replica (if an agent started this process) or all in this process. */
    public static WeftRuntime run(WeftApp app, String... args) {
        Optional<ReplicaConfig> replica = ReplicaConfig.fromArgs(args);
        if (replica.isPresent()) {
            if (!replica.get().application().equals(app.name())) {
                throw new IllegalArgumentException("this process runs application '" + app.name()
                        + "' but the agent started it for '" + replica.get().application() + "'");
            }
            ReplicaRuntime runtime = ReplicaRuntime.start(
                    (config, remote) -> new Engine(app, config.version(), config.components(), remote), replica.get());
            return new WeftRuntime(runtime.engine(), runtime);
        }
        return local(app);
    }

    /** Every component of the application in this process. */
    public static WeftRuntime local(WeftApp app) {
        Engine engine = new Engine(app, LOCAL_VERSION, null, null);
        engine.start();
        return new WeftRuntime(engine, null);
    }
}
