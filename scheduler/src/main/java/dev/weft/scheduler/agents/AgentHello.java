package dev.weft.scheduler.agents;

import static java.util.Objects.requireNonNull;

import dev.weft.api.agent.v1.Hello;
import dev.weft.api.agent.v1.ReplicaState;
import dev.weft.api.agent.v1.RunningReplica;
import dev.weft.scheduler.agents.AgentRow.ReplicaRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A hello whose fields were checked: who the agent is, what it offers and runs. {@link #of} turns a
 * wire {@link Hello} into one or says which field is wrong.
 */
record AgentHello(
        String agentId,
        @Nullable String bootstrapToken,
        @Nullable String sessionCredential,
        String address,
        String zone,
        Map<String, String> labels,
        List<String> runtimes,
        int cpuMillis,
        int memoryMiB,
        List<ReplicaRecord> replicas,
        long appliedGeneration,
        String agentVersion) {

    static final Pattern AGENT_ID = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,126}[A-Za-z0-9])?");
    private static final Pattern ZONE = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern LABEL_KEY =
            Pattern.compile("([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");
    static final int MAX_LABELS = 64;
    static final int MAX_RUNTIMES = 16;
    static final int MAX_REPLICAS = 10_000;

    AgentHello {
        requireNonNull(agentId, "agentId is null");
        labels = Map.copyOf(labels);
        runtimes = List.copyOf(runtimes);
        replicas = List.copyOf(replicas);
    }

    static AgentHello of(Hello hello) {
        String id = hello.getAgentId();
        if (id.isEmpty()) {
            throw new AgentException(AgentError.MISSING_IDENTITY, "hello.agent_id is missing: say which agent this is");
        }
        if (!AGENT_ID.matcher(id).matches()) {
            throw new AgentException(
                    AgentError.MISSING_IDENTITY,
                    "hello.agent_id '" + abbreviate(id)
                            + "' is invalid: 1-128 characters of [A-Za-z0-9-_.], starting and ending with a letter or digit");
        }
        String address = hello.getAdvertisedAddress();
        if (address.isBlank() || address.length() > 512) {
            throw invalid("hello.advertised_address of agent '" + id + "' must be host:port of 1-512 characters, was '"
                    + abbreviate(address) + "'");
        }
        String zone = hello.getZone().isEmpty() ? "default" : hello.getZone();
        if (!ZONE.matcher(zone).matches()) {
            throw invalid("hello.zone '" + abbreviate(zone) + "' of agent '" + id
                    + "' is invalid: 1-63 characters of [A-Za-z0-9-_.]");
        }
        if (hello.getLabelsCount() > MAX_LABELS) {
            throw invalid("hello.labels of agent '" + id + "' has " + hello.getLabelsCount() + " labels, at most "
                    + MAX_LABELS + " allowed");
        }
        for (var label : hello.getLabelsMap().entrySet()) {
            if (!LABEL_KEY.matcher(label.getKey()).matches()) {
                throw invalid("hello.labels key '" + abbreviate(label.getKey()) + "' of agent '" + id
                        + "' is not a valid label key");
            }
            if (!LABEL_VALUE.matcher(label.getValue()).matches()) {
                throw invalid("hello.labels['" + label.getKey() + "'] value '" + abbreviate(label.getValue())
                        + "' of agent '" + id + "' is not a valid label value (0-63 characters of [A-Za-z0-9-_.])");
            }
        }
        if (!hello.hasCapacity()) {
            throw invalid("hello.capacity of agent '" + id + "' is missing: say how many millicores and MiB it offers");
        }
        // uint32 on the wire: values above 2^31-1 arrive negative in Java
        if (hello.getCapacity().getCpuMillicores() < 0 || hello.getCapacity().getMemoryMib() < 0) {
            throw invalid(
                    "hello.capacity of agent '" + id + "' is out of range (at most 2147483647 millicores and MiB)");
        }
        if (hello.getRuntimesCount() > MAX_RUNTIMES) {
            throw invalid("hello.runtimes of agent '" + id + "' lists " + hello.getRuntimesCount() + ", at most "
                    + MAX_RUNTIMES + " allowed");
        }
        for (int i = 0; i < hello.getRuntimesCount(); i++) {
            String runtime = hello.getRuntimes(i);
            if (runtime.isBlank() || runtime.length() > 63) {
                throw invalid("hello.runtimes[" + i + "] of agent '" + id + "' must be 1-63 characters, was '"
                        + abbreviate(runtime) + "'");
            }
        }
        if (hello.getAppliedGeneration() < 0) { // uint64 on the wire
            throw invalid("hello.applied_generation of agent '" + id + "' is "
                    + Long.toUnsignedString(hello.getAppliedGeneration())
                    + ", above the largest generation the control plane issues (" + Long.MAX_VALUE + ")");
        }
        if (hello.getAgentVersion().length() > 128) {
            throw invalid("hello.agent_version of agent '" + id + "' is longer than 128 characters");
        }
        return new AgentHello(
                id,
                hello.hasBootstrapToken() ? hello.getBootstrapToken() : null,
                hello.hasSessionCredential() ? hello.getSessionCredential() : null,
                address,
                zone,
                hello.getLabelsMap(),
                hello.getRuntimesList(),
                hello.getCapacity().getCpuMillicores(),
                hello.getCapacity().getMemoryMib(),
                replicas(hello.getRunningReplicasList(), "hello.running_replicas", id),
                hello.getAppliedGeneration(),
                hello.getAgentVersion());
    }

    /** Checks and copies the replicas an agent says it runs. */
    static List<ReplicaRecord> replicas(List<RunningReplica> running, String field, String agentId) {
        if (running.size() > MAX_REPLICAS) {
            throw invalid(field + " of agent '" + agentId + "' lists " + running.size() + " replicas, at most "
                    + MAX_REPLICAS + " allowed");
        }
        List<ReplicaRecord> out = new ArrayList<>(running.size());
        for (int i = 0; i < running.size(); i++) {
            RunningReplica replica = running.get(i);
            if (replica.getApplication().isEmpty() || replica.getVersion().isEmpty()) {
                throw invalid(field + "[" + i + "] of agent '" + agentId + "' must name its application and version");
            }
            ReplicaState state = replica.getState();
            out.add(new ReplicaRecord(
                    replica.getAssignmentId(),
                    replica.getApplication(),
                    replica.getVersion(),
                    replica.getComponentsList(),
                    state == ReplicaState.REPLICA_STATE_UNSPECIFIED || state == ReplicaState.UNRECOGNIZED
                            ? "RUNNING"
                            : state.name().substring("REPLICA_STATE_".length())));
        }
        return out;
    }

    private static AgentException invalid(String message) {
        return new AgentException(AgentError.INVALID_HELLO, message);
    }

    static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 77) + "...";
    }
}
