package dev.weft.bench.loadgen;

import dev.weft.api.agent.v1.Assignment;
import dev.weft.api.agent.v1.AssignmentSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Push latency and re-placement time against a running control plane, with simulated agents that apply their
 * assignments and acknowledge them at once.
 *
 * <ul>
 *   <li><b>push</b>: N agents; each round deploys a version of one component with N replicas (one per agent), then
 *       undeploys it. For both plans it measures, per agent, the time to the agent applying and acknowledging its new
 *       AssignmentSet from two instants of the control plane's clock on this machine: the plan's commit (its
 *       {@code PLAN_APPLIED} event, the last row the plan's transaction writes, after the plan's assignments and every
 *       agent's new set) and, stricter, the decision ({@code appliedAt} of the generation, taken in the same
 *       transaction before it writes them). It prints p50, p99 and the last agent per round from the commit, p99 and
 *       last from the decision, and the medians over rounds.</li>
 *   <li><b>replace</b>: N agents, a version with {@code --replicas} replicas; each round one agent hosting a replica
 *       stops talking (a crash: no Leave). It measures from the moment its lease runs out (its last message plus the
 *       lease) to another agent applying the replacement replica, and from the control plane marking it lost.</li>
 * </ul>
 *
 * <pre>java -cp ... dev.weft.bench.loadgen.PushBench push [--agents 1000 | --full] [--rounds 5]
 * java -cp ... dev.weft.bench.loadgen.PushBench replace [--agents 1000] [--replicas 200] [--rounds 5] [--lease-ms 15000]</pre>
 */
public final class PushBench {

    private static final Pattern APPLIED_AT = Pattern.compile("\"appliedAt\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern GENERATION = Pattern.compile("\"generation\"\\s*:\\s*(\\d+)");
    private static final Pattern OCCURRED_AT = Pattern.compile("\"occurredAt\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern STATE = Pattern.compile("\"state\"\\s*:\\s*\"(\\w+)\"");

    private PushBench() {}

    /** When each agent applied a set satisfying the round's condition (epoch nanos), 0 until it did. */
    private static final class Round {
        final Predicate<AssignmentSet> done;
        final Map<String, Long> at = new ConcurrentHashMap<>();

        Round(Predicate<AssignmentSet> done) {
            this.done = done;
        }
    }

    private static volatile Round round = new Round(set -> false);

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !(args[0].equals("push") || args[0].equals("replace"))) {
            System.err.println("usage: PushBench push|replace [--agents N] [--full] [--rounds R] [--replicas K]");
            System.exit(2);
        }
        Map<String, String> o = SampleAgents.flags(Arrays.copyOfRange(args, 1, args.length));
        int agents = o.containsKey("full") ? 10_000 : Integer.parseInt(o.getOrDefault("agents", "1000"));
        int rounds = Integer.parseInt(o.getOrDefault("rounds", "5"));
        String grpc = o.getOrDefault("grpc", "127.0.0.1:9090");
        ControlPlaneHttp http = new ControlPlaneHttp(o.getOrDefault("http", "http://127.0.0.1:8080"));
        String run = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
        System.out.printf(Locale.ROOT, "connecting %d agents to %s%n", agents, grpc);
        try (AgentFleet fleet = new AgentFleet(
                grpc,
                o.getOrDefault("token", "weft-local-dev-token"),
                "pb-" + run,
                agents,
                Integer.parseInt(o.getOrDefault("channels", "4")),
                TimeUnit.SECONDS.toNanos(10),
                i -> AgentFleet.hello("zone-" + (i % 3), false, 8000, 16384, "pb-" + run + "-" + i + ".sim:7000"),
                Integer.parseInt(o.getOrDefault("connect-rate", "1000")))) {
            System.out.printf(Locale.ROOT, "%d agents welcomed%n", fleet.welcomed());
            int welcomed = (int) Math.min(agents, fleet.welcomed());
            if (welcomed < agents * 0.95) {
                System.err.printf(Locale.ROOT, "only %d of %d agents were welcomed; no round run%n", welcomed, agents);
                System.exit(1);
            }
            if (welcomed < agents) {
                // a busy machine may drop a few of thousands of hellos: each round places one replica per agent there
                // is
                System.out.printf(Locale.ROOT, "running the rounds with the %d agents welcomed%n", welcomed);
            }
            for (SimulatedAgent a : fleet.agents) {
                a.onAssignments((agent, set, nanos) -> {
                    Round r = round;
                    if (r.done.test(set)) {
                        r.at.putIfAbsent(agent.id, epochNanos());
                    }
                });
            }
            String app = "pb-" + run;
            http.call("POST", "/api/v1/applications", "{\"name\":\"" + app + "\"}");
            if (args[0].equals("push")) {
                push(http, fleet, app, welcomed, rounds);
            } else {
                replace(
                        http,
                        fleet,
                        app,
                        Integer.parseInt(o.getOrDefault("replicas", "200")),
                        rounds,
                        Long.parseLong(o.getOrDefault("lease-ms", "15000")));
            }
        }
    }

    private static void push(ControlPlaneHttp http, AgentFleet fleet, String app, int n, int rounds) throws Exception {
        List<double[]> deploys = new ArrayList<>();
        List<double[]> undeploys = new ArrayList<>();
        System.out.println();
        System.out.println(
                "| round | plan | agents acked | p50 ms | p99 ms | last ms | from decision: p99 ms | last ms |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (int r = 1; r <= rounds; r++) {
            String version = "r" + r;
            register(http, app, version, n);
            round = new Round(set -> runs(set, app, version));
            check(
                    http.call(
                            "POST",
                            "/api/v1/applications/" + app + "/deployments",
                            "{\"version\":\"" + version + "\"}"),
                    201);
            double[] d = measure(http, app, version, 1, n);
            deploys.add(d);
            row(r, "deploy " + n + " replicas", d);
            awaitState(http, app, version, "PLACED");
            round = new Round(set -> !runs(set, app, version));
            check(http.call("DELETE", "/api/v1/applications/" + app + "/deployments/" + version, null), 202);
            double[] u = measure(http, app, version, 2, n);
            undeploys.add(u);
            row(r, "undeploy", u);
            awaitState(http, app, version, "RELEASED");
        }
        System.out.println();
        System.out.printf(
                Locale.ROOT,
                "medians over %d rounds, %d agents, from the commit: deploy p99 %.1f ms, last %.1f ms; undeploy p99 %.1f"
                        + " ms, last %.1f ms%n",
                rounds,
                n,
                median(deploys, 1),
                median(deploys, 2),
                median(undeploys, 1),
                median(undeploys, 2));
        System.out.printf(
                Locale.ROOT,
                "from the decision: deploy p99 %.1f ms, last %.1f ms; undeploy p99 %.1f ms, last %.1f ms%n",
                median(deploys, 4),
                median(deploys, 5),
                median(undeploys, 4),
                median(undeploys, 5));
    }

    private static void replace(
            ControlPlaneHttp http, AgentFleet fleet, String app, int replicas, int rounds, long leaseMs)
            throws Exception {
        register(http, app, "v1", replicas);
        round = new Round(set -> runs(set, app, "v1"));
        check(http.call("POST", "/api/v1/applications/" + app + "/deployments", "{\"version\":\"v1\"}"), 201);
        awaitState(http, app, "v1", "PLACED");
        List<Double> fromLease = new ArrayList<>();
        List<Double> fromDecision = new ArrayList<>();
        System.out.println();
        System.out.println(
                "| round | lost agent | replacement applied, ms after the lease ran out | ... after the re-plan's decision (appliedAt) |");
        System.out.println("|---|---|---|---|");
        for (int r = 1; r <= rounds; r++) {
            SimulatedAgent victim = fleet.agents.stream()
                    .filter(a -> !a.closing() && !a.ended() && !a.running().isEmpty())
                    .findFirst()
                    .orElseThrow();
            java.util.Set<String> known = new java.util.HashSet<>();
            fleet.agents.forEach(a -> a.running().forEach(x -> known.add(x.getAssignmentId())));
            long generation = generation(http.call("GET", "/api/v1/applications/" + app + "/versions/v1/plan", null)
                    .body());
            round = new Round(
                    set -> set.getAssignmentsList().stream().anyMatch(x -> !known.contains(x.getAssignmentId())));
            victim.close();
            long expiresNanos = epochNanos()
                    + TimeUnit.MILLISECONDS.toNanos(leaseMs)
                    - (System.nanoTime() - victim.lastSentNanos());
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(leaseMs + 30_000);
            while (round.at.isEmpty() && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(2);
            }
            if (round.at.isEmpty()) {
                System.out.printf(Locale.ROOT, "| %d | %s | not replaced | |%n", r, victim.id);
                continue;
            }
            long applied =
                    round.at.values().stream().mapToLong(Long::longValue).min().orElseThrow();
            String plan = http.call("GET", "/api/v1/applications/" + app + "/versions/v1/plan", null)
                    .body();
            if (generation(plan) <= generation) {
                TimeUnit.MILLISECONDS.sleep(100);
                plan = http.call("GET", "/api/v1/applications/" + app + "/versions/v1/plan", null)
                        .body();
            }
            long committed = instantNanos(APPLIED_AT, plan);
            double a = (applied - expiresNanos) / 1e6;
            double b = (applied - committed) / 1e6;
            fromLease.add(a);
            fromDecision.add(b);
            System.out.printf(Locale.ROOT, "| %d | %s | %.0f | %.1f |%n", r, victim.id, a, b);
        }
        System.out.printf(
                Locale.ROOT,
                "%nmedians over %d rounds: %.0f ms after the lease ran out (lease %d ms), %.1f ms after the plan was decided (appliedAt)%n",
                fromLease.size(),
                median(fromLease),
                leaseMs,
                median(fromDecision));
    }

    private static boolean runs(AssignmentSet set, String app, String version) {
        for (Assignment a : set.getAssignmentsList()) {
            if (a.getApplication().equals(app) && a.getVersion().equals(version)) {
                return true;
            }
        }
        return false;
    }

    private static void register(ControlPlaneHttp http, String app, String version, int replicas) throws Exception {
        check(
                http.call(
                        "POST",
                        "/api/v1/applications/" + app + "/versions",
                        "{\"version\":\"" + version
                                + "\",\"artifact\":\"file:///tmp/bench.jar\",\"components\":[{\"name\":\"svc\",\"cpuMillis\":10,"
                                + "\"memoryMiB\":16,\"minReplicas\":" + replicas + ",\"maxReplicas\":" + replicas
                                + "}]}"),
                201);
    }

    /**
     * Waits for the generation to be applied and every agent's set to follow; {p50, p99, last, agents} ms after the
     * commit, then {p99, last} ms after the decision.
     */
    private static double[] measure(ControlPlaneHttp http, String app, String version, long generation, int n)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String plan = "";
        while (System.nanoTime() < deadline) {
            // the newest generation's summary, not the plan itself: polling a plan of 10,000 assignments would put
            // the benchmark's own load on the control plane inside the window it measures
            ControlPlaneHttp.Answer a =
                    http.call("GET", "/api/v1/applications/" + app + "/versions/" + version + "/plans?size=1", null);
            if (a.status() == 200 && generation(a.body()) >= generation) {
                plan = a.body();
                break;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        while (round.at.size() < n && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(5);
        }
        long decided = instantNanos(APPLIED_AT, plan);
        long committed = committedNanos(http, app, version, generation(plan));
        double[] fromCommit = sortedSince(committed);
        double[] fromDecision = sortedSince(decided);
        if (fromCommit.length < n) {
            System.out.printf(Locale.ROOT, "only %d of %d agents applied the plan within 60 s%n", fromCommit.length, n);
        }
        return new double[] {
            percentile(fromCommit, 0.50),
            percentile(fromCommit, 0.99),
            last(fromCommit),
            fromCommit.length,
            percentile(fromDecision, 0.99),
            last(fromDecision)
        };
    }

    private static double[] sortedSince(long originNanos) {
        return round.at.values().stream()
                .mapToDouble(t -> (t - originNanos) / 1e6)
                .sorted()
                .toArray();
    }

    private static double last(double[] sorted) {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }

    /**
     * When the plan's transaction committed: its PLAN_APPLIED event, the last row it writes (the event's time is taken
     * as it is written, after the plan's assignments and the agents' sets, just before the commit).
     */
    private static long committedNanos(ControlPlaneHttp http, String app, String version, long generation)
            throws Exception {
        String events = http.call("GET", "/api/v1/events?application=" + app + "&size=50", null)
                .body();
        for (String event : events.split("\\{\"id\":")) {
            if (event.contains("\"kind\":\"PLAN_APPLIED\"")
                    && event.contains("\"version\":\"" + version + "\"")
                    && generation(event.substring(event.indexOf("\"details\""))) == generation) {
                return instantNanos(OCCURRED_AT, event);
            }
        }
        throw new IllegalStateException("no PLAN_APPLIED event for " + app + " " + version + " generation " + generation
                + " in " + events.substring(0, Math.min(300, events.length())));
    }

    private static void row(int r, String what, double[] d) {
        System.out.printf(
                Locale.ROOT,
                "| %d | %s | %.0f | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
                r,
                what,
                d[3],
                d[0],
                d[1],
                d[2],
                d[4],
                d[5]);
    }

    private static void awaitState(ControlPlaneHttp http, String app, String version, String state) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            Matcher m = STATE.matcher(http.call("GET", "/api/v1/applications/" + app + "/deployments/" + version, null)
                    .body());
            if (m.find() && m.group(1).equals(state)) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        throw new IllegalStateException(app + " " + version + " did not become " + state);
    }

    private static void check(ControlPlaneHttp.Answer answer, int status) {
        if (answer.status() != status) {
            throw new IllegalStateException("HTTP " + answer.status() + ": " + answer.body());
        }
    }

    private static long generation(String json) {
        Matcher m = GENERATION.matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static long instantNanos(Pattern field, String json) {
        Matcher m = field.matcher(json);
        if (!m.find()) {
            throw new IllegalStateException(
                    "no " + field.pattern() + " in " + json.substring(0, Math.min(300, json.length())));
        }
        Instant at = Instant.parse(m.group(1));
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
    }

    private static long epochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double median(List<double[]> rows, int column) {
        return median(rows.stream().map(r -> r[column]).toList());
    }

    private static double median(List<Double> values) {
        double[] sorted =
                values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return percentile(sorted, 0.5);
    }
}
