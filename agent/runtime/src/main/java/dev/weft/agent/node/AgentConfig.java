package dev.weft.agent.node;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Everything an agent is told at start (see agent/README.md for the flags and their environment variables).
 *
 * @param agentId stable identity (Hello.agent_id)
 * @param controlPlane host:port of the control plane's gRPC port
 * @param bootstrapToken token for the first hello, and whenever the session credential is lost
 * @param listenPort port of the agent's ComponentService (0: any free port)
 * @param advertisedAddress host:port other agents reach it at; empty: 127.0.0.1 and the listen port
 * @param zone failure domain (empty: default)
 * @param labels placement labels
 * @param cpuMillicores capacity offered
 * @param memoryMib capacity offered
 * @param ingress application name to HTTP port of its ingress on this agent
 * @param clientKeyHeader header that carries the sticky client key
 * @param clientKeyCookie cookie that carries it when the header is absent
 * @param replicaMode how replicas run
 * @param jvmOptions options for replica JVMs
 * @param logDirectory where replica processes' output goes
 * @param callDeadline default deadline of component calls
 * @param ingressDeadline deadline of an ingress request
 * @param startTimeout how long a replica may take to say hello
 * @param drainTimeout how long in-flight calls may take when a replica is stopped
 * @param restartBackoff first delay before restarting a crashed replica (it doubles)
 * @param maxRestartBackoff largest such delay
 * @param reconnectBackoff first delay before reconnecting to the control plane (it doubles)
 * @param maxReconnectBackoff largest such delay
 * @param seed seed of the agent's random choices (load balancing, keyless version picks, jitter)
 */
public record AgentConfig(
        String agentId,
        String controlPlane,
        String bootstrapToken,
        int listenPort,
        String advertisedAddress,
        String zone,
        Map<String, String> labels,
        int cpuMillicores,
        int memoryMib,
        Map<String, Integer> ingress,
        String clientKeyHeader,
        String clientKeyCookie,
        ReplicaMode replicaMode,
        List<String> jvmOptions,
        Path logDirectory,
        Duration callDeadline,
        Duration ingressDeadline,
        Duration startTimeout,
        Duration drainTimeout,
        Duration restartBackoff,
        Duration maxRestartBackoff,
        Duration reconnectBackoff,
        Duration maxReconnectBackoff,
        long seed) {

    /** How replicas run. */
    public enum ReplicaMode {
        /** Each replica in its own JVM (the default). */
        PROCESS,
        /** Each replica in its own class loader in the agent's JVM. */
        CLASSLOADER
    }

    public AgentConfig {
        requireNonNull(agentId, "agentId is null");
        requireNonNull(controlPlane, "controlPlane is null");
        requireNonNull(bootstrapToken, "bootstrapToken is null");
        requireNonNull(advertisedAddress, "advertisedAddress is null");
        labels = Map.copyOf(labels);
        ingress = Map.copyOf(ingress);
        jvmOptions = List.copyOf(jvmOptions);
        if (cpuMillicores <= 0 || memoryMib <= 0) {
            throw new IllegalArgumentException(
                    "capacity must be positive, was " + cpuMillicores + " millicores and " + memoryMib + " MiB");
        }
    }

    /** Defaults for everything but identity and capacity: handy in tests and for the command line. */
    public static AgentConfig defaults(String agentId, String controlPlane, String bootstrapToken) {
        return new AgentConfig(
                agentId,
                controlPlane,
                bootstrapToken,
                0,
                "",
                "",
                Map.of(),
                Math.max(1, Runtime.getRuntime().availableProcessors()) * 1000,
                (int) Math.max(256, Runtime.getRuntime().maxMemory() / (1024 * 1024)),
                Map.of(),
                "X-Weft-Client",
                "weft-client",
                ReplicaMode.PROCESS,
                List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k"),
                Path.of(System.getProperty("java.io.tmpdir"), "weft-agent", agentId),
                Duration.ofSeconds(10),
                Duration.ofSeconds(30),
                Duration.ofSeconds(60),
                Duration.ofSeconds(30),
                Duration.ofSeconds(1),
                Duration.ofSeconds(60),
                Duration.ofMillis(500),
                Duration.ofSeconds(30),
                1L);
    }

    public AgentConfig withIngress(Map<String, Integer> ingress) {
        return new AgentConfig(
                agentId,
                controlPlane,
                bootstrapToken,
                listenPort,
                advertisedAddress,
                zone,
                labels,
                cpuMillicores,
                memoryMib,
                ingress,
                clientKeyHeader,
                clientKeyCookie,
                replicaMode,
                jvmOptions,
                logDirectory,
                callDeadline,
                ingressDeadline,
                startTimeout,
                drainTimeout,
                restartBackoff,
                maxRestartBackoff,
                reconnectBackoff,
                maxReconnectBackoff,
                seed);
    }

    public AgentConfig withAdvertisedAddress(String address) {
        return new AgentConfig(
                agentId,
                controlPlane,
                bootstrapToken,
                listenPort,
                address,
                zone,
                labels,
                cpuMillicores,
                memoryMib,
                ingress,
                clientKeyHeader,
                clientKeyCookie,
                replicaMode,
                jvmOptions,
                logDirectory,
                callDeadline,
                ingressDeadline,
                startTimeout,
                drainTimeout,
                restartBackoff,
                maxRestartBackoff,
                reconnectBackoff,
                maxReconnectBackoff,
                seed);
    }

    public AgentConfig withReplicaMode(ReplicaMode mode, Duration drainTimeout, Duration restartBackoff) {
        return new AgentConfig(
                agentId,
                controlPlane,
                bootstrapToken,
                listenPort,
                advertisedAddress,
                zone,
                labels,
                cpuMillicores,
                memoryMib,
                ingress,
                clientKeyHeader,
                clientKeyCookie,
                mode,
                jvmOptions,
                logDirectory,
                callDeadline,
                ingressDeadline,
                startTimeout,
                drainTimeout,
                restartBackoff,
                maxRestartBackoff,
                reconnectBackoff,
                maxReconnectBackoff,
                seed);
    }
}
