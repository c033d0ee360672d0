package dev.weft.bench.loadgen;

import dev.weft.api.agent.v1.Assignment;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Sample agents for trying Weft before the real agent runtime: N agents that register with the control plane, apply
 * the assignments it pushes (nothing is started: each replica is reported RUNNING), acknowledge them, report their
 * replicas in heartbeats and, with {@code --load}, synthetic load for what they run. Each change of an agent's
 * assignments is printed. Commands on standard input: {@code list}, {@code stop <agent>} (its stream ends as a
 * crashed agent's would: its lease runs out and its replicas are placed elsewhere), {@code quit}.
 *
 * <pre>java -cp ... dev.weft.bench.loadgen.SampleAgents [--agents 10] [--pci 3] [--cpu 4000] [--memory 8192]
 *     [--zones 2] [--load 0.2] [--prefix sample] [--grpc 127.0.0.1:9090] [--token weft-local-dev-token]</pre>
 */
public final class SampleAgents {

    private SampleAgents() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = flags(args);
        int n = Integer.parseInt(o.getOrDefault("agents", "10"));
        int pci = Integer.parseInt(o.getOrDefault("pci", "3"));
        int cpu = Integer.parseInt(o.getOrDefault("cpu", "4000"));
        int memory = Integer.parseInt(o.getOrDefault("memory", "8192"));
        int zones = Integer.parseInt(o.getOrDefault("zones", "2"));
        double load = Double.parseDouble(o.getOrDefault("load", "0"));
        String prefix = o.getOrDefault("prefix", "sample");
        String grpc = o.getOrDefault("grpc", "127.0.0.1:9090");
        String token = o.getOrDefault("token", "weft-local-dev-token");

        Map<String, SimulatedAgent> byId = new ConcurrentHashMap<>();
        try (AgentFleet fleet = new AgentFleet(
                grpc,
                token,
                prefix,
                n,
                1,
                TimeUnit.SECONDS.toNanos(10),
                i -> AgentFleet.hello("zone-" + (i % zones), i < pci, cpu, memory, prefix + "-" + i + ".local:7000"),
                200)) {
            for (SimulatedAgent agent : fleet.agents) {
                byId.put(agent.id, agent);
                agent.syntheticLoad(load);
                agent.onAssignments((a, set, nanos) -> System.out.printf(
                        Locale.ROOT,
                        "%s applied generation %d: %s%n",
                        a.id,
                        set.getGeneration(),
                        set.getAssignmentsCount() == 0
                                ? "runs nothing"
                                : set.getAssignmentsList().stream()
                                        .map(SampleAgents::describe)
                                        .toList()));
            }
            System.out.printf(
                    Locale.ROOT,
                    "%d of %d agents connected to %s (%d labelled pci=true, %d x %d millicores / %d MiB); "
                            + "commands: list, stop <agent>, quit%n",
                    fleet.welcomed(),
                    n,
                    grpc,
                    Math.min(pci, n),
                    n,
                    cpu,
                    memory);
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                String[] words = line.trim().split("\\s+");
                switch (words[0]) {
                    case "quit", "exit" -> {
                        return;
                    }
                    case "list" ->
                        fleet.agents.forEach(a -> System.out.printf(
                                Locale.ROOT,
                                "%s%s generation %d: %s%n",
                                a.id,
                                a.ended() ? " (stopped)" : "",
                                a.appliedGeneration(),
                                a.running().stream()
                                        .map(r -> r.getAssignmentId() + " " + r.getComponentsList())
                                        .toList()));
                    case "stop" -> {
                        SimulatedAgent agent = words.length > 1 ? byId.get(words[1]) : null;
                        if (agent == null) {
                            System.out.println("no agent " + (words.length > 1 ? words[1] : "named") + "; try list");
                        } else {
                            agent.close();
                            System.out.println(agent.id + " stopped: its lease runs out and its replicas move");
                        }
                    }
                    case "" -> {}
                    default -> System.out.println("commands: list, stop <agent>, quit");
                }
            }
            // no terminal (e.g. run in the background): keep running until killed
            Thread.currentThread().join();
        }
    }

    private static String describe(Assignment a) {
        return a.getApplication() + " " + a.getVersion() + " " + a.getComponentsList();
    }

    static Map<String, String> flags(String[] args) {
        Map<String, String> out = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String key = args[i].substring(2);
            if (key.equals("full") || key.equals("help")) {
                out.put(key, "true");
            } else if (i + 1 < args.length) {
                out.put(key, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + key + " needs a value");
            }
        }
        return out;
    }
}
