package dev.weft.agent.node;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Starts the code of one replica: in its own OS process ({@link ProcessLauncher}) or in a class loader. */
public interface ReplicaLauncher {

    /**
     * Starts the artifact's main class with these arguments.
     *
     * @param memoryMib the replica's memory allowance (0: none given)
     * @param logName a name for its log
     * @throws Exception if it could not be started at all
     */
    Launched launch(Artifact artifact, List<String> args, int memoryMib, String logName) throws Exception;

    /** A started replica's code. */
    interface Launched {
        /** Process id (the agent's own for a class-loader replica). */
        long pid();

        /** Completes when it ended, with its exit code. */
        CompletableFuture<Integer> exit();

        /** Ends it: politely, then by force after the grace period. */
        void stop(Duration grace);
    }
}
