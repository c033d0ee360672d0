package dev.weft.bench.loadgen;

import dev.weft.api.agent.v1.TrafficSplit;
import dev.weft.api.agent.v1.VersionWeight;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rollouts at scale against a running control plane: {@code --agents} simulated agents (1,000) host an application
 * of an ingress component ({@code --ingress} replicas, 100) and a service ({@code --replicas}, 200). Per round v1 is
 * deployed, then a rollout to v2 started (10 % held for an hour, no gates), and the bench measures: from the start
 * request to the first agent receiving a TrafficSplit that gives v2 weight (placing v2 in full, then the push), and to
 * the last ingress agent receiving it; the control plane's CPU while it ramps (Actuator {@code process.cpu.time} over
 * {@code --cpu-seconds}, and over as long before the start, with v1 alone, for comparison); and from the abort request to every ingress agent having received the split that gives v1
 * all traffic (p50, p99, last). Each round ends with the rollout rolled back and both versions released.
 */
public final class RolloutBench {

    private static final Pattern STATE = Pattern.compile("\"state\"\\s*:\\s*\"(\\w+)\"");
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");
    private static final Pattern VALUE = Pattern.compile("\"value\"\\s*:\\s*([0-9.eE+-]+)");

    /** What one round's listeners saw: per agent, when it first received each kind of split. */
    private static final class Round {
        final String app;
        final Map<String, Long> firstV2 = new ConcurrentHashMap<>();
        final Map<String, Long> allV1 = new ConcurrentHashMap<>();
        volatile boolean aborted;

        Round(String app) {
            this.app = app;
        }
    }

    private static volatile Round round = new Round("");

    private RolloutBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = SampleAgents.flags(args);
        int agents = Integer.parseInt(o.getOrDefault("agents", "1000"));
        int ingress = Integer.parseInt(o.getOrDefault("ingress", "100"));
        int replicas = Integer.parseInt(o.getOrDefault("replicas", "200"));
        int rounds = Integer.parseInt(o.getOrDefault("rounds", "3"));
        int cpuSeconds = Integer.parseInt(o.getOrDefault("cpu-seconds", "10"));
        String grpc = o.getOrDefault("grpc", "127.0.0.1:9090");
        ControlPlaneHttp http = new ControlPlaneHttp(o.getOrDefault("http", "http://127.0.0.1:8080"));
        String run = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
        System.out.printf(Locale.ROOT, "connecting %d agents to %s%n", agents, grpc);
        try (AgentFleet fleet = new AgentFleet(
                grpc,
                o.getOrDefault("token", "weft-local-dev-token"),
                "rb-" + run,
                agents,
                Integer.parseInt(o.getOrDefault("channels", "4")),
                TimeUnit.SECONDS.toNanos(10),
                i -> AgentFleet.hello("zone-" + (i % 3), false, 8000, 16384, "rb-" + run + "-" + i + ".sim:7000"),
                Integer.parseInt(o.getOrDefault("connect-rate", "1000")))) {
            System.out.printf(Locale.ROOT, "%d agents welcomed%n", fleet.welcomed());
            for (SimulatedAgent a : fleet.agents) {
                a.onTrafficSplits((agent, split, nanos) -> heard(agent.id, split, nanos));
            }
            List<double[]> results = new ArrayList<>();
            System.out.println();
            System.out.println("| round | start → first v2 weight ms | start → last ingress agent ms | ingress agents |"
                    + " cpu before (cores) | cpu while ramping (cores) | abort → 100 % v1 p50 ms | p99 ms | last ms |");
            System.out.println("|---|---|---|---|---|---|---|---|---|");
            for (int r = 1; r <= rounds; r++) {
                double[] d = round(http, "rb-" + run + "-" + r, ingress, replicas, cpuSeconds);
                results.add(d);
                System.out.printf(
                        Locale.ROOT,
                        "| %d | %.1f | %.1f | %.0f | %.3f | %.3f | %.1f | %.1f | %.1f |%n",
                        r,
                        d[0],
                        d[1],
                        d[2],
                        d[7],
                        d[3],
                        d[4],
                        d[5],
                        d[6]);
            }
            System.out.println();
            System.out.printf(
                    Locale.ROOT,
                    "medians over %d rounds, %d agents: start → first v2 weight %.1f ms, → last ingress agent %.1f ms;"
                            + " cpu %.3f cores before, %.3f while ramping; abort → every ingress agent 100 %% v1: p99 %.1f ms,"
                            + " last %.1f ms%n",
                    rounds,
                    agents,
                    median(results, 0),
                    median(results, 1),
                    median(results, 7),
                    median(results, 3),
                    median(results, 5),
                    median(results, 6));
        }
    }

    private static void heard(String agent, TrafficSplit split, long nanos) {
        Round r = round;
        if (!split.getApplication().equals(r.app)) {
            return;
        }
        int v1 = 0;
        int v2 = 0;
        for (VersionWeight w : split.getWeightsList()) {
            if (w.getVersion().equals("v1")) {
                v1 = w.getWeightBp();
            } else if (w.getVersion().equals("v2")) {
                v2 = w.getWeightBp();
            }
        }
        if (v2 > 0) {
            r.firstV2.putIfAbsent(agent, nanos);
        }
        if (r.aborted && v1 == 10_000) {
            r.allV1.putIfAbsent(agent, nanos);
        }
    }

    private static double[] round(ControlPlaneHttp http, String app, int ingress, int replicas, int cpuSeconds)
            throws Exception {
        Round r = new Round(app);
        round = r;
        check(http.call("POST", "/api/v1/applications", "{\"name\":\"" + app + "\"}"), 201);
        register(http, app, "v1", ingress, replicas);
        register(http, app, "v2", ingress, replicas);
        check(http.call("POST", "/api/v1/applications/" + app + "/deployments", "{\"version\":\"v1\"}"), 201);
        awaitDeployment(http, app, "v1", "PLACED");
        double idle = cores(http, cpuSeconds);

        long started = System.nanoTime();
        ControlPlaneHttp.Answer answer = http.call(
                "POST",
                "/api/v1/applications/" + app + "/rollouts",
                "{\"version\":\"v2\",\"policy\":{\"steps\":[{\"weight\":10,\"hold\":\"1h\"},{\"weight\":100}],"
                        + "\"progressDeadline\":\"2h\",\"drainTimeout\":\"0s\"}}");
        check(answer, 201);
        Matcher id = ID.matcher(answer.body());
        if (!id.find()) {
            throw new IllegalStateException("no id in " + answer.body());
        }
        String rollout = "/api/v1/applications/" + app + "/rollouts/" + id.group(1);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!state(http, rollout).equals("RAMPING") && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
        // every agent hosting the ingress gets the split: wait until the set stops growing
        int seen = -1;
        while (r.firstV2.size() != seen && System.nanoTime() < deadline) {
            seen = r.firstV2.size();
            TimeUnit.MILLISECONDS.sleep(500);
        }
        double first =
                r.firstV2.values().stream().mapToLong(t -> t - started).min().orElse(-1) / 1e6;
        double last =
                r.firstV2.values().stream().mapToLong(t -> t - started).max().orElse(-1) / 1e6;
        int hosts = r.firstV2.size();

        double cores = cores(http, cpuSeconds);

        r.aborted = true;
        long aborted = System.nanoTime();
        check(http.call("POST", rollout + "/abort", ""), 200);
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (r.allV1.size() < hosts && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(5);
        }
        double[] back = r.allV1.values().stream()
                .mapToDouble(t -> (t - aborted) / 1e6)
                .sorted()
                .toArray();
        if (back.length < hosts) {
            System.out.printf(
                    Locale.ROOT, "only %d of %d ingress agents got 100 %% v1 within 60 s%n", back.length, hosts);
        }
        while (!state(http, rollout).equals("ROLLED_BACK") && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        awaitDeployment(http, app, "v2", "RELEASED");
        check(http.call("DELETE", "/api/v1/applications/" + app + "/deployments/v1", null), 202);
        awaitDeployment(http, app, "v1", "RELEASED");
        return new double[] {
            first,
            last,
            hosts,
            cores,
            PushBench.percentile(back, 0.50),
            PushBench.percentile(back, 0.99),
            back.length == 0 ? Double.NaN : back[back.length - 1],
            idle
        };
    }

    /** The control plane's mean CPU use (cores) over the next {@code seconds}. */
    private static double cores(ControlPlaneHttp http, int seconds) throws Exception {
        double cpu0 = cpuSeconds(http);
        long start = System.nanoTime();
        TimeUnit.SECONDS.sleep(seconds);
        return (cpuSeconds(http) - cpu0) / ((System.nanoTime() - start) / 1e9);
    }

    private static void register(ControlPlaneHttp http, String app, String version, int ingress, int replicas)
            throws Exception {
        check(
                http.call(
                        "POST",
                        "/api/v1/applications/" + app + "/versions",
                        "{\"version\":\"" + version + "\",\"artifact\":\"file:///tmp/bench.jar\",\"components\":["
                                + "{\"name\":\"edge\",\"cpuMillis\":10,\"memoryMiB\":16,\"ingress\":true,"
                                + "\"minReplicas\":" + ingress + ",\"maxReplicas\":" + ingress + "},"
                                + "{\"name\":\"svc\",\"cpuMillis\":10,\"memoryMiB\":16,\"minReplicas\":" + replicas
                                + ",\"maxReplicas\":" + replicas + "}],"
                                + "\"constraints\":{\"separate\":[[\"edge\",\"svc\"]]}}"),
                201);
    }

    private static String state(ControlPlaneHttp http, String path) throws Exception {
        Matcher m = STATE.matcher(http.call("GET", path, null).body());
        return m.find() ? m.group(1) : "";
    }

    private static void awaitDeployment(ControlPlaneHttp http, String app, String version, String state)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        String path = "/api/v1/applications/" + app + "/deployments/" + version;
        while (System.nanoTime() < deadline) {
            if (state(http, path).equals(state)) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new IllegalStateException(app + " " + version + " did not become " + state);
    }

    /** The control plane's CPU time so far, in seconds (Actuator's process.cpu.time). */
    private static double cpuSeconds(ControlPlaneHttp http) throws Exception {
        ControlPlaneHttp.Answer a = http.call("GET", "/actuator/metrics/process.cpu.time", null);
        Matcher m = VALUE.matcher(a.body());
        if (a.status() != 200 || !m.find()) {
            throw new IllegalStateException("no process.cpu.time: HTTP " + a.status() + " " + a.body());
        }
        double value = Double.parseDouble(m.group(1));
        // the meter's base unit is seconds; older Micrometer reported nanoseconds
        return value > 1e7 ? value / 1e9 : value;
    }

    private static void check(ControlPlaneHttp.Answer answer, int status) {
        if (answer.status() != status) {
            throw new IllegalStateException("HTTP " + answer.status() + ": " + answer.body());
        }
    }

    private static double median(List<double[]> rows, int column) {
        double[] v = rows.stream().mapToDouble(d -> d[column]).sorted().toArray();
        return v.length == 0 ? Double.NaN : v[v.length / 2];
    }
}
