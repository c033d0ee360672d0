package dev.weft.bench.paper;

import dev.weft.examples.boutique.load.BoutiqueLoad;
import dev.weft.examples.demo.Demo;
import dev.weft.examples.demo.Processes;
import dev.weft.examples.demo.Rest;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Service Weaver paper's experiment (HotOS 2023, Table 2 and its text) on this machine: the boutique at one
 * fixed request rate under (a) one component per process, (b) the plan Weft computes from the load its agents
 * measured, (c) every component in one process — each through a real control plane and a real agent, the only
 * difference being the placement — and, for reference, (c') the boutique's monolith jar with no agent at all.
 *
 * <p>Each configuration is its own application on its own agent (pinned there by a label), so a configuration's
 * CPU is its agent's process plus every replica JVM the agent started: utime + stime from {@code /proc/<pid>/stat}
 * over the measured interval, divided by its length (cores). The load generator (in this JVM) and the control plane
 * are not counted, as the paper counts the application only. Latency is that of single HTTP requests as the load
 * generator sees them (median and p99). Configurations are measured in turn, round after round, so that a shared
 * machine's changing load hits all of them alike; the table gives each figure's median over the rounds and its
 * ratio to (a), next to the paper's.
 *
 * <pre>{@code java -cp ... dev.weft.bench.paper.PaperBench [--rate=20] [--rounds=3] [--warmup=10] [--measure=20]}</pre>
 */
public final class PaperBench {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final List<String> COMPONENTS = List.of(
            "frontend",
            "product-catalog",
            "currency",
            "cart",
            "shipping",
            "checkout",
            "payment",
            "email",
            "recommendation",
            "ad");

    /** One configuration: its application, its agent, how the spec places it. */
    record Config(String key, String label, String application, String paperCores, String paperMedianMs) {}

    static final List<Config> CONFIGS = List.of(
            new Config("split", "(a) one component per process", "paper-split", "78", "5.47"),
            new Config("plan", "(b) Weft's plan (from measured load)", "paper-plan", "28", "2.66"),
            new Config("mono", "(c) all components in one process", "paper-mono", "9", "0.38"));

    /** The figures of one measured interval. */
    record Sample(double cores, double p50Ms, double p99Ms, long requests, long errors, double tasksPerSecond) {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            o.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        Path root = Path.of("").toAbsolutePath();
        Path schedulerJar = Path.of(o.getOrDefault("scheduler-jar", "scheduler/target/weft-scheduler.jar"));
        Path boutiqueJar = Path.of(o.getOrDefault("boutique-jar", "examples/boutique/target/weft-example-boutique.jar"))
                .toAbsolutePath();
        double rate = Double.parseDouble(o.getOrDefault("rate", "20"));
        int rounds = Integer.parseInt(o.getOrDefault("rounds", "3"));
        Duration warmup = Duration.ofSeconds(Long.parseLong(o.getOrDefault("warmup", "10")));
        Duration measure = Duration.ofSeconds(Long.parseLong(o.getOrDefault("measure", "20")));
        String token = Objects.requireNonNullElse(System.getenv("WEFT_TOKEN"), "weft_local-dev-admin-token");
        Path work = Files.createTempDirectory(Files.createDirectories(root.resolve("bench/target")), "paper-");

        try (Processes processes = new Processes(work)) {
            Runtime.getRuntime().addShutdownHook(new Thread(processes::close, "paper-stop")); // Ctrl-C, SIGTERM
            int http = freePort();
            int grpc = freePort();
            List<String> cp = new ArrayList<>(List.of(
                    Processes.java(),
                    "-Xmx768m",
                    "-jar",
                    schedulerJar.toString(),
                    "--server.port=" + http,
                    "--spring.grpc.server.port=" + grpc,
                    "--weft.database.embedded.data-directory=" + work.resolve("postgres"),
                    "--weft.security.admin.token=" + token));
            cp.addAll(Demo.CONTROL_PLANE_SETTINGS);
            Processes.Started plane = processes.start("control-plane", cp);
            Rest rest = new Rest(URI.create("http://127.0.0.1:" + http + "/"), token);
            waitFor("the control plane", Duration.ofMinutes(5), () -> {
                if (!plane.process().isAlive()) {
                    throw new IllegalStateException("the control plane exited: see " + plane.log());
                }
                return rest.get("actuator/health/readiness").ok();
            });
            log("control plane ready on " + rest.base());

            // one agent per configuration, with a label its application's components are pinned to
            Map<String, Processes.Started> agents = new LinkedHashMap<>();
            Map<String, URI> ingress = new LinkedHashMap<>();
            for (Config c : CONFIGS) {
                int port = freePort();
                ingress.put(c.key(), URI.create("http://127.0.0.1:" + port));
                agents.put(
                        c.key(),
                        processes.start(
                                "agent-" + c.key(),
                                List.of(
                                        Processes.java(),
                                        "-Xmx256m",
                                        "-XX:+UseSerialGC",
                                        "-cp",
                                        boutiqueJar.toString(),
                                        "dev.weft.agent.node.AgentMain",
                                        "--id",
                                        "paper-" + c.key(),
                                        "--control-plane",
                                        "127.0.0.1:" + grpc,
                                        "--port",
                                        "" + freePort(),
                                        "--cpu-millicores",
                                        "32000",
                                        "--memory-mib",
                                        "16384",
                                        "--label",
                                        "cfg=" + c.key(),
                                        "--ingress",
                                        c.application() + "=" + port,
                                        // replicas with the JVM's full JIT (the agent's default stops at C1 to
                                        // start fast): the experiment measures steady-state CPU
                                        "--jvm-option",
                                        "-XX:+UseSerialGC",
                                        "--jvm-option",
                                        "-Xss512k",
                                        "--log-dir",
                                        work.resolve("replicas-" + c.key()).toString()),
                                // the boutique's replicas register under the configuration's application name
                                Map.of("WEFT_BOUTIQUE_APPLICATION", c.application())));
            }
            waitFor(
                    "3 agents",
                    Duration.ofMinutes(3),
                    () -> rest.read("api/v1/agents?state=connected")
                                    .path("items")
                                    .size()
                            >= 3);

            for (Config c : CONFIGS) {
                expect(rest.post("api/v1/applications", "{\"name\": \"" + c.application() + "\"}"), 201);
                expect(rest.post("api/v1/applications/" + c.application() + "/versions", spec(c, boutiqueJar)), 201);
                expect(
                        rest.post("api/v1/applications/" + c.application() + "/deployments", "{\"version\": \"v1\"}"),
                        201);
            }
            for (Config c : CONFIGS) {
                waitPlaced(rest, c.application());
            }
            // (b): load, then the plan from what the agent measured
            Config plan = CONFIGS.get(1);
            log("running the load on " + plan.application() + " for 40 s, then asking for a plan from it");
            load(Objects.requireNonNull(ingress.get(plan.key())), rate, Duration.ofSeconds(40));
            Rest.Reply replan =
                    rest.post("api/v1/applications/" + plan.application() + "/versions/v1/plan/replan", null);
            log("re-plan from measured load: " + replan.status() + " "
                    + replan.body().path("decision").asString() + " ("
                    + replan.body().path("decisionReason").asString() + ")");
            waitPlaced(rest, plan.application());
            Map<String, String> groups = new LinkedHashMap<>();
            for (Config c : CONFIGS) {
                JsonNode p = rest.read("api/v1/applications/" + c.application() + "/versions/v1/plan");
                List<String> g = new ArrayList<>();
                for (JsonNode group : p.path("groups")) {
                    g.add(group.path("components").toString() + "x"
                            + group.path("replicas").asInt());
                }
                groups.put(c.key(), p.path("groups").size() + " + agent");
                log(c.label() + ": plan generation " + p.path("generation").asLong() + " ("
                        + p.path("inputs").path("load").asString() + " load) " + String.join(" ", g));
            }

            // (c'): the monolith jar by itself
            int monoPort = freePort();
            Processes.Started mono = processes.start(
                    "monolith",
                    List.of(
                            Processes.java(),
                            "-XX:+UseSerialGC",
                            "-Xss512k",
                            "-jar",
                            boutiqueJar.toString(),
                            "--port=" + monoPort));
            URI monoUri = URI.create("http://127.0.0.1:" + monoPort);
            waitFor("the monolith", Duration.ofMinutes(2), () -> {
                try {
                    return java.net.http.HttpClient.newHttpClient()
                                    .send(
                                            java.net.http.HttpRequest.newBuilder(monoUri.resolve("/"))
                                                    .build(),
                                            java.net.http.HttpResponse.BodyHandlers.discarding())
                                    .statusCode()
                            == 200;
                } catch (IOException e) {
                    return false;
                }
            });

            Map<String, List<Sample>> samples = new LinkedHashMap<>();
            List<String> order = new ArrayList<>();
            for (Config c : CONFIGS) {
                order.add(c.key());
            }
            order.add("monolith");
            // JIT warm-up of every configuration before anything is measured
            for (String key : order) {
                load(
                        key.equals("monolith") ? monoUri : Objects.requireNonNull(ingress.get(key)),
                        rate,
                        warmup.multipliedBy(2));
            }
            double[] loads = new double[2];
            loads[0] = loadAverage();
            for (int r = 1; r <= rounds; r++) {
                for (String key : order) {
                    ProcessHandle top = key.equals("monolith")
                            ? mono.process().toHandle()
                            : Objects.requireNonNull(agents.get(key)).process().toHandle();
                    URI target = key.equals("monolith") ? monoUri : Objects.requireNonNull(ingress.get(key));
                    load(target, rate, warmup);
                    Sample s = measure(top, target, rate, measure);
                    samples.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
                    log(String.format(
                            Locale.ROOT,
                            "round %d %-8s %.3f cores, p50 %.2f ms, p99 %.2f ms, %d requests, %d errors, %.1f tasks/s",
                            r,
                            key,
                            s.cores(),
                            s.p50Ms(),
                            s.p99Ms(),
                            s.requests(),
                            s.errors(),
                            s.tasksPerSecond()));
                }
            }
            loads[1] = loadAverage();
            System.out.print(table(samples, groups, rate, rounds, measure, loads));
        }
    }

    static String table(
            Map<String, List<Sample>> samples,
            Map<String, String> groups,
            double rate,
            int rounds,
            Duration measure,
            double[] loads) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "%nboutique at %.0f tasks/s (Online Boutique's mix), %d rounds of %d s per configuration, medians;"
                        + " load average %.1f at the start, %.1f at the end%n%n",
                rate,
                rounds,
                measure.toSeconds(),
                loads[0],
                loads[1]));
        out.append("| configuration | JVMs | CPU cores | cores ÷ (a) | paper cores (÷ 78) | median ms | median ÷ (a) "
                + "| paper median ms (÷ 5.47) | p99 ms | p99 ÷ (a) | requests | errors |\n");
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        Sample base = median(Objects.requireNonNull(samples.get("split")));
        for (Map.Entry<String, List<Sample>> e : samples.entrySet()) {
            Sample m = median(e.getValue());
            Config c = CONFIGS.stream()
                    .filter(x -> x.key().equals(e.getKey()))
                    .findFirst()
                    .orElse(null);
            String label = c == null ? "(c') the monolith jar alone, no agent" : c.label();
            String paperCores =
                    c == null ? "–" : c.paperCores() + " (" + ratio(Double.parseDouble(c.paperCores()), 78) + ")";
            String paperMedian = c == null
                    ? "–"
                    : c.paperMedianMs() + " (" + ratio(Double.parseDouble(c.paperMedianMs()), 5.47) + ")";
            long requests = e.getValue().stream().mapToLong(Sample::requests).sum();
            long errors = e.getValue().stream().mapToLong(Sample::errors).sum();
            out.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %.3f | %s | %s | %.2f | %s | %s | %.2f | %s | %d | %d |%n",
                    label,
                    groups.getOrDefault(e.getKey(), "1"),
                    m.cores(),
                    ratio(m.cores(), base.cores()),
                    paperCores,
                    m.p50Ms(),
                    ratio(m.p50Ms(), base.p50Ms()),
                    paperMedian,
                    m.p99Ms(),
                    ratio(m.p99Ms(), base.p99Ms()),
                    requests,
                    errors));
        }
        return out.toString();
    }

    private static String ratio(double value, double base) {
        return base <= 0 ? "–" : String.format(Locale.ROOT, "%.2f", value / base);
    }

    /** Each figure's median over the rounds (separately, so a row's figures may come from different rounds). */
    static Sample median(List<Sample> all) {
        return new Sample(
                median(all.stream().mapToDouble(Sample::cores).toArray()),
                median(all.stream().mapToDouble(Sample::p50Ms).toArray()),
                median(all.stream().mapToDouble(Sample::p99Ms).toArray()),
                all.stream().mapToLong(Sample::requests).sum(),
                all.stream().mapToLong(Sample::errors).sum(),
                median(all.stream().mapToDouble(Sample::tasksPerSecond).toArray()));
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v.length == 0 ? 0 : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Runs the load for {@code duration} while the CPU of {@code top} and every process under it is counted. */
    static Sample measure(ProcessHandle top, URI target, double rate, Duration duration) throws Exception {
        List<ProcessHandle> procs = new ArrayList<>();
        procs.add(top);
        top.descendants().forEach(procs::add);
        long[] before = new long[procs.size()];
        for (int i = 0; i < procs.size(); i++) {
            before[i] = cpuTicks(procs.get(i).pid());
        }
        long start = System.nanoTime();
        BoutiqueLoad.Result result = load(target, rate, duration);
        long nanos = System.nanoTime() - start;
        long ticks = 0;
        for (int i = 0; i < procs.size(); i++) {
            long after = cpuTicks(procs.get(i).pid());
            if (after >= 0 && before[i] >= 0) {
                ticks += after - before[i];
            }
        }
        double cores = ticks / (double) clockTicks() / (nanos / 1e9);
        return new Sample(
                cores,
                result.requests().p50Ms(),
                result.requests().p99Ms(),
                result.requests().requests(),
                result.requests().errors(),
                result.runs() / result.seconds());
    }

    static BoutiqueLoad.Result load(URI target, double rate, Duration duration) throws InterruptedException {
        return new BoutiqueLoad(new BoutiqueLoad.Options(target, rate, duration, 100, 1, "X-Weft-Client")).run();
    }

    /** utime + stime of a process in clock ticks ({@code /proc/<pid>/stat} fields 14 and 15), -1 once it is gone. */
    static long cpuTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
            // the command name (field 2) is in parentheses and may hold spaces: count fields after its ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15, counted from field 3
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long clockTicks() {
        return 100; // USER_HZ on Linux (getconf CLK_TCK); the JDK cannot read sysconf
    }

    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The boutique's spec for one configuration: pinned to its agent, split, free, or all together. */
    static String spec(Config c, Path jar) throws IOException {
        ObjectNode spec = (ObjectNode) JSON.readTree(Files.readString(Path.of("examples/boutique/boutique-v1.json")));
        spec.put("artifact", "file:" + jar);
        ObjectNode constraints = JSON.createObjectNode();
        ArrayNode pins = constraints.putArray("pins");
        for (String component : COMPONENTS) {
            pins.addObject().put("component", component).put("label", "cfg=" + c.key());
        }
        switch (c.key()) {
            case "split" -> {
                ArrayNode separate = constraints.putArray("separate");
                for (int i = 0; i < COMPONENTS.size(); i++) {
                    for (int j = i + 1; j < COMPONENTS.size(); j++) {
                        separate.addArray().add(COMPONENTS.get(i)).add(COMPONENTS.get(j));
                    }
                }
            }
            case "mono" -> {
                ArrayNode all = constraints.putArray("colocate").addArray();
                COMPONENTS.forEach(all::add);
            }
            default -> {
                // the planner decides, under the boutique's own constraint (payment never shares a process with
                // the internet-facing frontend)
                constraints.set("separate", spec.path("constraints").path("separate"));
            }
        }
        spec.set("constraints", constraints);
        return JSON.writeValueAsString(spec);
    }

    private static void waitPlaced(Rest rest, String application) throws Exception {
        waitFor(application + " placed", Duration.ofMinutes(5), () -> {
            JsonNode d = rest.read("api/v1/applications/" + application + "/deployments/v1");
            return d.path("state").asString().equals("PLACED")
                    && d.path("replicasRunning").asInt()
                            == d.path("replicasWanted").asInt();
        });
        log(application + " placed");
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void waitFor(String what, Duration timeout, Check check) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            try {
                if (check.ok()) {
                    return;
                }
            } catch (IOException e) {
                // not answering yet
            }
            Thread.sleep(1000); // polls a control plane in another process on the real clock: nothing to inject
        }
        throw new IllegalStateException(what + " not ready within " + timeout);
    }

    private static void expect(Rest.Reply reply, int status) {
        if (reply.status() != status) {
            throw new IllegalStateException("expected " + status + ", got " + reply.status() + " " + reply.text());
        }
    }

    private static void log(String line) {
        System.out.println("[paper] " + line);
        System.out.flush();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private PaperBench() {}
}
