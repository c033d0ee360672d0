package dev.weft.scheduler.agents;

import static java.util.Objects.requireNonNull;

import dev.weft.api.agent.v1.Hello;
import dev.weft.api.agent.v1.ReplicaState;
import dev.weft.api.agent.v1.RunningReplica;
import dev.weft.scheduler.agents.AgentRow.ReplicaRecord;
import dev.weft.scheduler.system.DnsNames;
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
    private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    /** A host name of RFC 1123 labels, a dotted IPv4 address, or an IPv6 address in brackets; then a port. */
    private static final Pattern HOST_NAME = Pattern.compile(
            "[A-Za-z0-9_]([-A-Za-z0-9_]{0,61}[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([-A-Za-z0-9_]{0,61}[A-Za-z0-9_])?)*");

    private static final Pattern IPV6 = Pattern.compile("\\[[0-9A-Fa-f:.]{2,45}(%[-A-Za-z0-9_.]{1,32})?\\]");
    static final String ADDRESS_RULE = "host:port, where host is a DNS name, an IPv4 address or an IPv6 address in"
            + " brackets ([::1]) and port is 1-65535, at most 512 characters in all";
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
        String addressProblem = addressProblem(address);
        if (addressProblem != null) {
            throw invalid("hello.advertised_address of agent '" + id + "' must be " + ADDRESS_RULE + "; '"
                    + abbreviate(address) + "' " + addressProblem);
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
            String keyProblem = labelKeyProblem(label.getKey());
            if (keyProblem != null) {
                throw invalid("hello.labels key '" + abbreviate(label.getKey()) + "' of agent '" + id
                        + "' is not a valid label key: " + keyProblem);
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
        if (hello.getCapacity().getCpuMillicores() == 0 || hello.getCapacity().getMemoryMib() == 0) {
            throw invalid("hello.capacity of agent '" + id + "' must offer at least 1 millicore and 1 MiB, was "
                    + hello.getCapacity().getCpuMillicores() + " millicores and "
                    + hello.getCapacity().getMemoryMib() + " MiB");
        }
        if (hello.getRuntimesCount() > MAX_RUNTIMES) {
            throw invalid("hello.runtimes of agent '" + id + "' lists " + hello.getRuntimesCount() + ", at most "
                    + MAX_RUNTIMES + " allowed");
        }
        for (int i = 0; i < hello.getRuntimesCount(); i++) {
            String runtime = hello.getRuntimes(i);
            if (runtime.isBlank() || runtime.length() > 63 || !printable(runtime)) {
                throw invalid("hello.runtimes[" + i + "] of agent '" + id + "' must be 1-63 characters, was '"
                        + abbreviate(runtime) + "'");
            }
        }
        if (hello.getAppliedGeneration() < 0) { // uint64 on the wire
            throw invalid("hello.applied_generation of agent '" + id + "' is "
                    + Long.toUnsignedString(hello.getAppliedGeneration())
                    + ", above the largest generation the control plane issues (" + Long.MAX_VALUE + ")");
        }
        if (hello.getAgentVersion().length() > 128 || !printable(hello.getAgentVersion())) {
            throw invalid("hello.agent_version of agent '" + id
                    + "' must be at most 128 characters without control characters");
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
            if (replica.getComponentsCount() == 0) {
                throw invalid(field + "[" + i + "].components of agent '" + agentId
                        + "' is empty: a replica hosts at least one component");
            }
            if (replica.getComponentsList().stream().distinct().count() != replica.getComponentsCount()) {
                throw invalid(field + "[" + i + "].components of agent '" + agentId + "' names a component twice");
            }
            if (replica.getAssignmentId().length() > 128 || !printable(replica.getAssignmentId())) {
                throw invalid(field + "[" + i + "].assignment_id of agent '" + agentId
                        + "' must be at most 128 characters without control characters");
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

    /** Why {@code address} is not host:port, or null if it is. */
    static @Nullable String addressProblem(String address) {
        if (address.isEmpty()) {
            return "is missing: other agents reach this agent's replicas there";
        }
        if (address.length() > 512) {
            return "is longer than 512 characters";
        }
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            return "has no port";
        }
        String host = address.substring(0, colon);
        String port = address.substring(colon + 1);
        if (!port.chars().allMatch(c -> c >= '0' && c <= '9') || port.length() > 5) {
            return "has a port that is not a number";
        }
        int number = Integer.parseInt(port);
        if (number < 1 || number > 65535) {
            return "has port " + number + ", outside 1-65535";
        }
        boolean ok = host.startsWith("[")
                ? IPV6.matcher(host).matches()
                : HOST_NAME.matcher(host).matches();
        return ok && host.length() <= 253 + 2 ? null : "has a host that is neither a DNS name nor an IP address";
    }

    /** Why {@code key} is not a Kubernetes label key (optional DNS-subdomain prefix and '/', then a name), or null. */
    static @Nullable String labelKeyProblem(String key) {
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0) {
            String prefix = DnsNames.subdomainProblem(key.substring(0, slash));
            if (prefix != null) {
                return "its prefix must be " + DnsNames.SUBDOMAIN_RULE + ", but " + prefix;
            }
        }
        return LABEL_NAME.matcher(name).matches()
                ? null
                : "its name must be 1-63 characters of [A-Za-z0-9-_.], starting and ending with a letter or digit";
    }

    private static AgentException invalid(String message) {
        return new AgentException(AgentError.INVALID_HELLO, message);
    }

    /** Text without control characters (PostgreSQL cannot store NUL, and a log line should not be split). */
    static boolean printable(String value) {
        return value.chars().noneMatch(Character::isISOControl);
    }

    /** {@code value} with every control character replaced by a space, for text that is only ever shown. */
    static String printableText(String value) {
        StringBuilder out = new StringBuilder(value.length());
        value.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? ' ' : c));
        return out.toString();
    }

    static String abbreviate(String value) {
        return value.length() <= 80 ? value : value.substring(0, 77) + "...";
    }
}
