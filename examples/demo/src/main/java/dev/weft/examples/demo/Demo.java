package dev.weft.examples.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The one-command demo (README, "Demo"): a control plane with its embedded PostgreSQL, three agents, the boutique v1
 * deployed on them, its load generator, the plan re-computed from the load the agents measure until it stops
 * changing, then a rollout to v2 run to {@code DONE} and the application's violations read (the target: none).
 * Every step is printed; every process it starts is stopped when it ends, fails or is interrupted.
 *
 * <p>With {@code --control-plane=URL} it starts nothing and drives a control plane, agents and load that run
 * already (docker-compose.yml's {@code demo} service).
 *
 * <p>Its sleeps are on purpose: it watches other processes (the control plane's REST API, agents, the load
 * generator) on the real clock, polling each condition every second or two as an operator would, and the 10 s of
 * load on v2 alone after the rollout is a span of real time the demo shows.
 */
public final class Demo {

    /** The control plane's settings for the demo: short windows so that it runs in minutes (README, "Demo"). */
    public static final List<String> CONTROL_PLANE_SETTINGS = List.of(
            "--weft.agents.report-interval=2s",
            "--weft.load.bucket=2s",
            "--weft.load.open-flush-interval=1s",
            "--weft.planner.window=20s",
            "--weft.planner.slices=2",
            "--weft.planner.load-lag=3s",
            "--weft.planner.check-interval=2s",
            "--weft.planner.drift-floor-cores=0.005",
            "--weft.planner.heavy-edge-cores=0.001",
            "--weft.planner.cost-model.preference=SPREAD",
            "--weft.rollouts.rollback-window=5s",
            "--weft.rollouts.in-flight-window=4s");

    /**
     * The rollout's policy: half the traffic for 20 s (long enough for v2's new JVMs to warm up and serve their share),
     * gated on the error rate, then all of it.
     */
    public static final String POLICY = "{\"steps\": [{\"weight\": 50, \"hold\": \"20s\"}, {\"weight\": 100}],"
            + " \"gates\": [{\"metric\": \"errorRate\", \"max\": 0.01}], \"minRequests\": 20,"
            + " \"progressDeadline\": \"3m\", \"drainTimeout\": \"30s\"}";

    static final String APP = "boutique";

    /**
     * What to run. {@code controlPlane} null: start a control plane, agents and load here; otherwise drive the one
     * at that URL and start nothing.
     */
    public record Settings(
            Path schedulerJar,
            Path boutiqueJar,
            Path workDir,
            String token,
            String agentToken,
            double rate,
            int users,
            Duration quiet,
            Duration timeout,
            @Nullable URI controlPlane,
            @Nullable String artifact) {}

    /** What happened, for the test and the exit code. */
    public record Outcome(
            boolean ok,
            String failure,
            int agentsConnected,
            List<String> planLines,
            long measuredPlanGeneration,
            boolean converged,
            String rolloutState,
            long violations,
            Map<String, Long> versionsServed,
            long loadTasks,
            long loadErrors,
            Duration elapsed) {}

    private static final class Failed extends Exception {
        Failed(String message) {
            super(message);
        }
    }

    private final Settings settings;
    private final Instant start = Instant.now();
    private final List<String> planLines = new ArrayList<>();
    private final List<String> loadLines = new CopyOnWriteArrayList<>();
    private @Nullable Rest rest;
    private int agentsConnected;
    private long measuredGeneration = -1;
    private boolean converged;
    private String rolloutState = "NOT STARTED";
    private long violations = -1;

    public Demo(Settings settings) {
        this.settings = settings;
    }

    void say(String line) {
        double s = Duration.between(start, Instant.now()).toMillis() / 1000.0;
        System.out.printf(Locale.ROOT, "[demo %6.1fs] %s%n", s, line);
        System.out.flush();
    }

    /** Runs the demo; every process it started is stopped before this returns. */
    public Outcome run() throws IOException, InterruptedException {
        Files.createDirectories(settings.workDir());
        String failure = "";
        try (Processes processes = new Processes(settings.workDir())) {
            Thread hook = new Thread(processes::close, "demo-stop");
            Runtime.getRuntime().addShutdownHook(hook); // Ctrl-C: the children go too
            try {
                steps(processes);
            } catch (Failed e) {
                failure = Objects.requireNonNullElse(e.getMessage(), "failed");
            } finally {
                say("stopping what the demo started (logs in "
                        + settings.workDir().resolve("logs") + ")");
                processes.close();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // shutting down already
                }
            }
        }
        Map<String, Long> versions = new TreeMap<>();
        long tasks = 0;
        long errors = 0;
        Pattern versionsLine = Pattern.compile("versions served \\(X-Weft-Version\\): \\{(.*)}");
        Pattern summary = Pattern.compile("boutique load: (\\d+) tasks in .* (\\d+) errors");
        for (String line : loadLines) {
            Matcher v = versionsLine.matcher(line);
            if (v.find() && !v.group(1).isBlank()) {
                for (String kv : v.group(1).split(",\\s*")) {
                    String[] parts = kv.split("=", 2);
                    versions.put(parts[0], Long.parseLong(parts[1]));
                }
            }
            Matcher m = summary.matcher(line);
            if (m.find()) {
                tasks = Long.parseLong(m.group(1));
                errors = Long.parseLong(m.group(2));
            }
        }
        boolean ok = failure.isEmpty();
        Outcome outcome = new Outcome(
                ok,
                failure,
                agentsConnected,
                List.copyOf(planLines),
                measuredGeneration,
                converged,
                rolloutState,
                violations,
                versions,
                tasks,
                errors,
                Duration.between(start, Instant.now()));
        say(
                ok
                        ? "DEMO OK: plan from measured load (generation " + measuredGeneration
                                + ") converged, rollout v1 -> v2 "
                                + rolloutState + ", " + violations + " violations, load " + tasks + " tasks, " + errors
                                + " errors, versions served " + versions
                        : "DEMO FAILED: " + failure);
        return outcome;
    }

    private void steps(Processes processes) throws IOException, InterruptedException, Failed {
        boolean local = settings.controlPlane() == null;
        URI http;
        URI ingress = URI.create("http://127.0.0.1:8081/");
        if (local) {
            int httpPort = freePort();
            int grpcPort = freePort();
            int ingressPort = freePort();
            http = URI.create("http://127.0.0.1:" + httpPort + "/");
            ingress = URI.create("http://127.0.0.1:" + ingressPort + "/");
            List<String> cp = new ArrayList<>(List.of(
                    Processes.java(),
                    "-Xmx512m",
                    "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1",
                    "-jar",
                    settings.schedulerJar().toString(),
                    "--server.port=" + httpPort,
                    "--spring.grpc.server.port=" + grpcPort,
                    "--weft.database.embedded.data-directory="
                            + settings.workDir().resolve("postgres"),
                    "--weft.agents.bootstrap-tokens=" + settings.agentToken(),
                    "--weft.security.admin.token=" + settings.token()));
            cp.addAll(CONTROL_PLANE_SETTINGS);
            say("starting the control plane (embedded PostgreSQL) on " + http + ", gRPC port " + grpcPort + ", with "
                    + String.join(" ", CONTROL_PLANE_SETTINGS));
            Processes.Started plane = processes.start("control-plane", cp);
            rest = new Rest(http, settings.token());
            waitReady(plane);
            for (int i = 1; i <= 3; i++) {
                List<String> agent = new ArrayList<>(List.of(
                        Processes.java(),
                        "-Xmx256m",
                        "-XX:+UseSerialGC",
                        "-cp",
                        settings.boutiqueJar().toString(),
                        "dev.weft.agent.node.AgentMain",
                        "--id",
                        "demo-agent-" + i,
                        "--control-plane",
                        "127.0.0.1:" + grpcPort,
                        "--token",
                        settings.agentToken(),
                        "--port",
                        "" + freePort(),
                        "--cpu-millicores",
                        "4000",
                        "--memory-mib",
                        "4096",
                        "--log-dir",
                        settings.workDir().resolve("replicas/demo-agent-" + i).toString()));
                if (i == 1) {
                    agent.addAll(List.of("--ingress", APP + "=" + ingressPort, "--label", "ingress=true"));
                }
                processes.start("demo-agent-" + i, agent);
            }
            say("started 3 agents (demo-agent-1 serves the boutique's HTTP entry on " + ingress
                    + " and carries the label ingress=true the demo's spec pins the frontend to)");
        } else {
            http = Objects.requireNonNull(settings.controlPlane());
            rest = new Rest(http, settings.token());
            say("driving the control plane at " + http + " (starting nothing)");
            waitReadyRemote();
        }
        Rest api = Objects.requireNonNull(rest);
        waitAgents(api);

        // register and deploy v1
        Rest.Reply created = api.post("api/v1/applications", "{\"name\": \"" + APP + "\"}");
        expect(created, "create the application", 201, 409);
        register(api, "v1");
        expect(api.post("api/v1/applications/" + APP + "/deployments", "{\"version\": \"v1\"}"), "deploy v1", 201, 200);
        say("deployed v1: the first plan comes from the spec's hints");
        waitPlaced(api, "v1");
        printPlan(api, "v1");

        // load, and the plan re-computed from what the agents measure
        if (local) {
            List<String> load = List.of(
                    Processes.java(),
                    "-Xmx256m",
                    "-cp",
                    settings.boutiqueJar().toString(),
                    "dev.weft.examples.boutique.load.BoutiqueLoad",
                    "--target=" + ingress.toString().replaceAll("/$", ""),
                    "--rate=" + settings.rate(),
                    "--users=" + settings.users(),
                    "--duration=0",
                    "--report-every=5");
            processes.start("load", load, line -> {
                loadLines.add(line);
                say("  [load] " + line);
            });
            say("started the load generator: " + settings.rate() + " tasks/s (Online Boutique's mix) over "
                    + settings.users() + " users against " + ingress);
        }
        watchPlans(api);

        // v2 and its rollout
        register(api, "v2");
        Rest.Reply rollout = api.post(
                "api/v1/applications/" + APP + "/rollouts", "{\"version\": \"v2\", \"policy\": " + POLICY + "}");
        expect(rollout, "start the rollout", 201);
        long id = rollout.body().path("id").asLong();
        say("rollout " + id + " v1 -> v2 started with policy " + POLICY);
        watchRollout(api, id);

        JsonNode v = api.read("api/v1/applications/" + APP + "/violations");
        violations = v.path("totalCalls").asLong(-1);
        say("violations (GET /api/v1/applications/" + APP + "/violations): totalCalls " + violations + ", "
                + v.path("items").size() + " kinds" + (v.path("items").isEmpty() ? "" : ": " + v.path("items")));
        if (local) {
            say("the load runs on for 10 s, served by v2 alone");
            Thread.sleep(10_000);
            stopLoad(processes);
        }
        if (violations != 0) {
            throw new Failed("the application has " + violations + " calls across versions");
        }
    }

    /** Stops the load generator, which prints its whole table on SIGTERM (read into {@code loadLines}). */
    private void stopLoad(Processes processes) throws InterruptedException {
        say("stopping the load generator");
        for (Processes.Started s : processes.named("load")) {
            Processes.stop(s, 20);
        }
    }

    private void register(Rest api, String version) throws IOException, InterruptedException, Failed {
        String spec = spec(version);
        Rest.Reply reply = api.post("api/v1/applications/" + APP + "/versions", spec);
        expect(reply, "register " + version, 201, 200);
        say("registered " + version + " (artifact "
                + reply.body().path("artifact").asString() + ")");
    }

    /** The demo's spec of a version, with the artifact the agents run. */
    String spec(String version) throws IOException {
        String name = "boutique-" + version + ".json";
        try (InputStream in = Demo.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("resource " + name + " is missing");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String artifact = settings.artifact() != null
                    ? settings.artifact()
                    : "file:" + settings.boutiqueJar().toAbsolutePath();
            return text.replace("file:/opt/weft/boutique/weft-example-boutique.jar", artifact);
        }
    }

    private void waitReady(Processes.Started plane) throws IOException, InterruptedException, Failed {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        Rest api = Objects.requireNonNull(rest);
        while (Instant.now().isBefore(deadline)) {
            if (!plane.process().isAlive()) {
                throw new Failed(
                        "the control plane exited with " + plane.process().exitValue() + ": see " + plane.log());
            }
            try {
                if (api.get("actuator/health/readiness").ok()) {
                    say("control plane ready");
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(1000);
        }
        throw new Failed("the control plane was not ready within 5 minutes: see " + plane.log());
    }

    private void waitReadyRemote() throws InterruptedException, Failed {
        Rest api = Objects.requireNonNull(rest);
        Instant deadline = Instant.now().plus(settings.timeout());
        while (Instant.now().isBefore(deadline)) {
            try {
                if (api.get("actuator/health/readiness").ok()) {
                    say("control plane ready");
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(2000);
        }
        throw new Failed("the control plane at " + api.base() + " was not ready");
    }

    private void waitAgents(Rest api) throws IOException, InterruptedException, Failed {
        Instant deadline = Instant.now().plus(settings.timeout());
        while (Instant.now().isBefore(deadline)) {
            JsonNode agents = api.read("api/v1/agents?state=connected&size=500");
            List<String> ids = new ArrayList<>();
            for (JsonNode a : agents.path("items")) {
                ids.add(a.path("id").asString());
            }
            if (ids.size() >= 3) {
                agentsConnected = ids.size();
                say(ids.size() + " agents connected: " + ids);
                return;
            }
            Thread.sleep(1000);
        }
        throw new Failed("fewer than 3 agents connected within " + settings.timeout());
    }

    private void waitPlaced(Rest api, String version) throws IOException, InterruptedException, Failed {
        Instant deadline = Instant.now().plus(settings.timeout());
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            JsonNode d = api.read("api/v1/applications/" + APP + "/deployments/" + version);
            String line = version + " " + d.path("state").asString() + ": "
                    + d.path("replicasRunning").asInt() + " of "
                    + d.path("replicasWanted").asInt() + " replicas running";
            if (!line.equals(last)) {
                say(line);
                last = line;
            }
            if (d.path("state").asString().equals("PLACED")) {
                return;
            }
            if (d.path("state").asString().equals("FAILED")) {
                throw new Failed(
                        version + " failed to place: " + d.path("reason").asString());
            }
            Thread.sleep(1000);
        }
        throw new Failed(version + " was not placed within " + settings.timeout());
    }

    private void printPlan(Rest api, String version) throws IOException, InterruptedException {
        JsonNode plan = api.read("api/v1/applications/" + APP + "/versions/" + version + "/plan");
        say(version + " runs plan generation " + plan.path("generation").asLong() + " (load "
                + plan.path("inputs").path("load").asString() + "):");
        for (JsonNode g : plan.path("groups")) {
            List<String> agents = new ArrayList<>();
            for (JsonNode a : g.path("assignments")) {
                agents.add(a.path("agentId").asString());
            }
            say("    group " + g.path("components") + " x" + g.path("replicas").asInt() + " on " + agents);
        }
    }

    /**
     * Prints every plan generation as it is computed, until the newest one was computed from measured load (with
     * requests in it) and no new one has been computed for {@code quiet}: the load the agents measure no longer
     * moves away from what the latest plan was computed on, so the loop leaves the plan as it is — converged.
     */
    private void watchPlans(Rest api) throws IOException, InterruptedException, Failed {
        Instant deadline = Instant.now().plus(settings.timeout());
        long seen = 0;
        Instant lastComputed = Instant.now();
        boolean newestMeasured = false;
        while (Instant.now().isBefore(deadline)) {
            JsonNode plans = api.read("api/v1/applications/" + APP + "/versions/v1/plans?size=50");
            List<JsonNode> fresh = new ArrayList<>();
            for (JsonNode p : plans.path("items")) {
                if (p.path("generation").asLong() > seen) {
                    fresh.add(p);
                }
            }
            for (int i = fresh.size() - 1; i >= 0; i--) {
                long generation = fresh.get(i).path("generation").asLong();
                JsonNode p = api.read("api/v1/applications/" + APP + "/versions/v1/plans/" + generation);
                double rps = 0;
                for (JsonNode c : p.path("inputs").path("components")) {
                    rps += c.path("requestsPerSecond").asDouble();
                }
                List<String> triggers = new ArrayList<>();
                for (JsonNode t : p.path("triggers")) {
                    triggers.add(
                            t.path("kind").asString() + " (" + t.path("detail").asString() + ")");
                }
                String load = p.path("inputs").path("load").asString();
                String line = String.format(
                        Locale.ROOT,
                        "plan generation %d from %s load (%.0f requests/s over the components): triggers %s -> %s: %s",
                        generation,
                        load,
                        rps,
                        triggers,
                        p.path("decision").asString(),
                        p.path("decisionReason").asString());
                planLines.add(line);
                say(line);
                newestMeasured = load.equals("MEASURED") && rps > 0;
                if (newestMeasured) {
                    measuredGeneration = generation;
                }
                lastComputed = Instant.now();
                seen = Math.max(seen, generation);
            }
            if (newestMeasured && Duration.between(lastComputed, Instant.now()).compareTo(settings.quiet()) >= 0) {
                converged = true;
                long active = api.read("api/v1/applications/" + APP + "/versions/v1/plan")
                        .path("generation")
                        .asLong();
                say("converged: no new plan for " + settings.quiet().toSeconds() + " s since generation "
                        + measuredGeneration + ", computed from the measured load; the active plan is generation "
                        + active);
                printPlan(api, "v1");
                printLoad(api);
                return;
            }
            Thread.sleep(2000);
        }
        throw new Failed(
                measuredGeneration < 0
                        ? "no plan was computed from measured load within " + settings.timeout()
                        : "the plan did not settle within " + settings.timeout());
    }

    private void printLoad(Rest api) throws IOException, InterruptedException {
        JsonNode load = api.read("api/v1/applications/" + APP + "/versions/v1/load?window=20s");
        StringBuilder out = new StringBuilder("measured by the agents over the last 20 s:");
        for (JsonNode c : load.path("components")) {
            out.append(String.format(
                    Locale.ROOT,
                    " %s %.0f req/s %.3f cores;",
                    c.path("component").asString(c.path("name").asString()),
                    c.path("requestsPerSecond").asDouble(),
                    c.path("cpuCores").asDouble()));
        }
        say(out.toString());
    }

    private void watchRollout(Rest api, long id) throws IOException, InterruptedException, Failed {
        Instant deadline = Instant.now().plus(settings.timeout()).plus(Duration.ofMinutes(2));
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            JsonNode r = api.read("api/v1/applications/" + APP + "/rollouts/" + id);
            rolloutState = r.path("state").asString();
            Map<String, Integer> weights = new LinkedHashMap<>();
            for (JsonNode w : r.path("weights")) {
                weights.put(w.path("version").asString(), w.path("weight").asInt());
            }
            String waiting = r.path("waiting").isNull() ? "" : r.path("waiting").asString("");
            String line = "rollout " + rolloutState + (r.path("step").isNull() ? "" : " step " + r.path("step"))
                    + " weights " + weights + (waiting.isEmpty() ? "" : " (" + waiting + ")");
            if (!line.equals(last)) {
                say(line);
                last = line;
            }
            switch (rolloutState) {
                case "DONE" -> {
                    return;
                }
                case "ROLLED_BACK" ->
                    throw new Failed("the rollout was rolled back: "
                            + r.path("abortCause").asString() + " "
                            + r.path("reason").asString());
                default -> Thread.sleep(1000);
            }
        }
        throw new Failed("the rollout did not finish in time (state " + rolloutState + ")");
    }

    private void expect(Rest.Reply reply, String what, int... statuses) throws Failed {
        for (int s : statuses) {
            if (reply.status() == s) {
                return;
            }
        }
        throw new Failed(what + ": the control plane answered " + reply.status() + " " + reply.text());
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code java -cp ... dev.weft.examples.demo.Demo [--key=value ...]}; exit code 0 when the demo succeeded. */
    public static void main(String[] args) throws Exception {
        Path root = Path.of("").toAbsolutePath();
        Map<String, String> o = new LinkedHashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                System.err.println("usage: Demo [--scheduler-jar=PATH] [--boutique-jar=PATH] [--work-dir=DIR] "
                        + "[--rate=TASKS_PER_S] [--users=N] [--quiet=SECONDS] [--timeout=SECONDS] "
                        + "[--control-plane=URL --artifact=REF]  (token: WEFT_TOKEN, agents: WEFT_AGENT_TOKEN)");
                System.exit(2);
            }
            String[] kv = arg.substring(2).split("=", 2);
            o.put(kv[0], kv[1]);
        }
        String env = System.getenv("WEFT_TOKEN");
        String agentEnv = System.getenv("WEFT_AGENT_TOKEN");
        Settings settings = new Settings(
                Path.of(o.getOrDefault(
                        "scheduler-jar",
                        root.resolve("scheduler/target/weft-scheduler.jar").toString())),
                Path.of(o.getOrDefault(
                        "boutique-jar",
                        root.resolve("examples/boutique/target/weft-example-boutique.jar")
                                .toString())),
                Path.of(o.getOrDefault("work-dir", root.resolve("target/demo").toString())),
                env == null || env.isBlank() ? "weft_local-dev-admin-token" : env,
                agentEnv == null || agentEnv.isBlank() ? "weft-local-dev-token" : agentEnv,
                Double.parseDouble(o.getOrDefault("rate", "20")),
                Integer.parseInt(o.getOrDefault("users", "50")),
                Duration.ofSeconds(Long.parseLong(o.getOrDefault("quiet", "30"))),
                Duration.ofSeconds(Long.parseLong(o.getOrDefault("timeout", "300"))),
                o.containsKey("control-plane")
                        ? URI.create(o.get("control-plane").replaceAll("/?$", "/"))
                        : null,
                o.get("artifact"));
        Outcome outcome = new Demo(settings).run();
        System.exit(outcome.ok() ? 0 : 1);
    }
}
