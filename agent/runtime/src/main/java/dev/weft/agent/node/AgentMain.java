package dev.weft.agent.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -cp weft-agent-runtime.jar:... dev.weft.agent.node.AgentMain --control-plane host:9090 ...}. */
@Command(
        name = "weft-agent",
        mixinStandardHelpOptions = true,
        version = Agent.VERSION,
        description = "Runs the replicas the Weft control plane assigns to this host, routes their calls and reports "
                + "their load. Every flag can also be given as the environment variable in brackets.",
        defaultValueProvider = CommandLine.PropertiesDefaultProvider.class)
@SuppressWarnings("NullAway.Init") // picocli sets every option field before call()
public final class AgentMain implements Callable<Integer> {

    @Option(
            names = "--id",
            description = "Agent id, stable across restarts [WEFT_AGENT_ID] (default: host name)",
            defaultValue = "${env:WEFT_AGENT_ID}")
    String id;

    @Option(
            names = "--control-plane",
            description = "host:port of the control plane's gRPC port [WEFT_CONTROL_PLANE]",
            defaultValue = "${env:WEFT_CONTROL_PLANE:-localhost:9090}")
    String controlPlane;

    @Option(
            names = "--token",
            description = "Bootstrap token [WEFT_TOKEN]",
            defaultValue = "${env:WEFT_TOKEN:-weft-local-dev-token}")
    String token;

    @Option(
            names = "--port",
            description = "Port of the agent's component service [WEFT_AGENT_PORT]",
            defaultValue = "${env:WEFT_AGENT_PORT:-7070}")
    int port;

    @Option(
            names = "--advertise",
            description =
                    "host:port other agents reach this one at [WEFT_ADVERTISE] " + "(default: 127.0.0.1 and --port)",
            defaultValue = "${env:WEFT_ADVERTISE:-}")
    String advertise;

    @Option(names = "--zone", description = "Failure domain [WEFT_ZONE]", defaultValue = "${env:WEFT_ZONE:-}")
    String zone;

    @Option(names = "--label", description = "Placement label key=value, repeatable")
    List<String> labels = new ArrayList<>();

    @Option(
            names = "--cpu-millicores",
            description = "CPU offered [WEFT_CPU_MILLICORES] (default: all cores)",
            defaultValue = "${env:WEFT_CPU_MILLICORES:-0}")
    int cpu;

    @Option(
            names = "--memory-mib",
            description = "Memory offered [WEFT_MEMORY_MIB] (default: 4096)",
            defaultValue = "${env:WEFT_MEMORY_MIB:-4096}")
    int memory;

    @Option(
            names = "--ingress",
            description = "application=port: serve that application's HTTP ingress on port, repeatable")
    List<String> ingress = new ArrayList<>();

    @Option(
            names = "--client-key-header",
            defaultValue = "X-Weft-Client",
            description = "Header with the sticky client key")
    String clientKeyHeader;

    @Option(names = "--client-key-cookie", defaultValue = "weft-client", description = "Cookie with the client key")
    String clientKeyCookie;

    @Option(names = "--replica-mode", defaultValue = "PROCESS", description = "PROCESS or CLASSLOADER")
    AgentConfig.ReplicaMode mode;

    @Option(
            names = "--jvm-option",
            description = "Option for replica JVMs, repeatable (default: -XX:+UseSerialGC "
                    + "-XX:TieredStopAtLevel=1 -Xss512k)")
    List<String> jvmOptions;

    @Option(names = "--log-dir", description = "Where replica output goes (default: $TMPDIR/weft-agent/<id>)")
    Path logDir;

    @Option(
            names = "--call-deadline",
            defaultValue = "PT10S",
            description = "Default deadline of component calls (ISO-8601)")
    Duration callDeadline;

    @Option(
            names = "--drain-timeout",
            defaultValue = "PT30S",
            description = "How long a stopping replica may finish its calls")
    Duration drainTimeout;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the agent's random choices")
    long seed;

    @Override
    public Integer call() throws Exception {
        String agentId =
                id == null || id.isBlank() ? java.net.InetAddress.getLocalHost().getHostName() : id;
        AgentConfig d = AgentConfig.defaults(agentId, controlPlane, token);
        Map<String, String> labelMap = new LinkedHashMap<>();
        for (String label : labels) {
            String[] kv = label.split("=", 2);
            labelMap.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        Map<String, Integer> ingressMap = new LinkedHashMap<>();
        for (String entry : ingress) {
            String[] kv = entry.split("=", 2);
            if (kv.length != 2) {
                throw new CommandLine.ParameterException(
                        new CommandLine(this), "--ingress must be application=port, was '" + entry + "'");
            }
            ingressMap.put(kv[0], Integer.parseInt(kv[1]));
        }
        AgentConfig config = new AgentConfig(
                agentId,
                controlPlane,
                token,
                port,
                advertise,
                zone,
                labelMap,
                cpu > 0 ? cpu : d.cpuMillicores(),
                memory,
                ingressMap,
                clientKeyHeader,
                clientKeyCookie,
                mode,
                jvmOptions == null ? d.jvmOptions() : jvmOptions,
                logDir == null ? d.logDirectory() : logDir,
                callDeadline,
                d.ingressDeadline(),
                d.startTimeout(),
                drainTimeout,
                d.restartBackoff(),
                d.maxRestartBackoff(),
                d.reconnectBackoff(),
                d.maxReconnectBackoff(),
                seed);
        Agent agent = Agent.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            agent.close();
                            stopped.countDown();
                        },
                        "weft-agent-shutdown"));
        stopped.await();
        return 0;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new AgentMain()).execute(args));
    }
}
