package dev.weft.examples.boutique.load;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Drives the boutique at a fixed rate (open loop: a task starts every 1/rate s whether or not earlier ones ended)
 * with Online Boutique's locust task mix — index 1, setCurrency 2, browseProduct 10, addToCart 2, viewCart 3,
 * checkout 1 — over a number of simulated users, each with its own session cookie and currency, each doing one
 * task at a time (latency is measured from the moment the user starts the task). Prints a table of
 * tasks, errors and latency (p50, p99 of each task's whole run, in ms), and the same of every single HTTP request.
 * With {@code --report-every=S} it also prints one line every S seconds (tasks/s, errors, request p50/p99 and the
 * versions that answered, over those S seconds); {@code --duration=0} runs until the process is stopped.
 *
 * <pre>{@code java -cp ... dev.weft.examples.boutique.load.BoutiqueLoad --target=http://127.0.0.1:8080
 *     --rate=50 --duration=30 --users=100 --seed=1}</pre>
 */
public final class BoutiqueLoad {

    /** The tasks of Online Boutique's locustfile and their weights. */
    public enum Task {
        INDEX(1),
        SET_CURRENCY(2),
        BROWSE_PRODUCT(10),
        ADD_TO_CART(2),
        VIEW_CART(3),
        CHECKOUT(1);

        final int weight;

        Task(int weight) {
            this.weight = weight;
        }
    }

    static final List<String> PRODUCTS = List.of(
            "0PUK6V6EV0",
            "1YMWWN1N4O",
            "2ZYFJ3GM2N",
            "66VCHSJNUP",
            "6E92ZMYYFZ",
            "9SIQT8TOJO",
            "L9ECAV7KIM",
            "LS4PSXUNUM",
            "OLJCESPC7Z");
    static final List<String> CURRENCIES = List.of("EUR", "USD", "JPY", "CAD", "GBP", "TRY");

    /** Options of a run. */
    public record Options(URI target, double rate, Duration duration, int users, long seed, String clientHeader) {}

    /** Outcome per task. */
    public record TaskResult(long runs, long errors, double p50Ms, double p99Ms) {}

    /** Latency of single HTTP requests (a task makes one or two), in ms. */
    public record RequestStats(long requests, long errors, double p50Ms, double p99Ms) {}

    /** Outcome of a run. */
    public record Result(
            Map<Task, TaskResult> tasks, double seconds, Map<String, Long> versions, RequestStats requests) {
        public long runs() {
            return tasks.values().stream().mapToLong(TaskResult::runs).sum();
        }

        public long errors() {
            return tasks.values().stream().mapToLong(TaskResult::errors).sum();
        }
    }

    private record User(String client, Map<String, String> cookies) {}

    private final Options options;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<Task, ConcurrentHistogram> latency = new EnumMap<>(Task.class);
    private final Map<Task, LongAdder> errors = new EnumMap<>(Task.class);
    private final Map<String, Long> versions = new ConcurrentHashMap<>();
    private final ConcurrentHistogram requestLatency = new ConcurrentHistogram(60_000_000L, 2);
    private final LongAdder requestErrors = new LongAdder();
    private final java.util.concurrent.atomic.AtomicInteger logged = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean stopped;
    private Duration reportEvery = Duration.ZERO;
    private java.util.function.Consumer<String> reportTo = System.out::println;

    public BoutiqueLoad(Options options) {
        this.options = options;
        for (Task t : Task.values()) {
            latency.put(t, new ConcurrentHistogram(60_000_000L, 2));
            errors.put(t, new LongAdder());
        }
    }

    /**
     * Prints (to {@code out}) one line every {@code every}: tasks/s, errors, the p50 and p99 of single requests and
     * the versions that answered, over that interval. Zero: no lines.
     */
    public BoutiqueLoad reportEvery(Duration every, java.util.function.Consumer<String> out) {
        this.reportEvery = every;
        this.reportTo = out;
        return this;
    }

    /** Ends a run early: no task is started after this; {@link #run} returns once the running ones ended. */
    public void stop() {
        stopped = true;
    }

    public Result run() throws InterruptedException {
        SplittableRandom random = new SplittableRandom(options.seed());
        List<User> users = new ArrayList<>();
        for (int i = 0; i < options.users(); i++) {
            users.add(new User("user-" + i, new ConcurrentHashMap<>()));
        }
        int totalWeight = 0;
        for (Task t : Task.values()) {
            totalWeight += t.weight;
        }
        long periodNanos = (long) (1e9 / options.rate());
        long total = options.duration().isZero()
                ? Long.MAX_VALUE
                : (long) (options.rate() * options.duration().toNanos() / 1e9);
        ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
        ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
        long start = System.nanoTime();
        LongAdder issued = new LongAdder();
        int weights = totalWeight;
        ticks.scheduleAtFixedRate(
                () -> {
                    if (issued.sum() >= total || stopped) {
                        return;
                    }
                    issued.increment();
                    User user;
                    Task task;
                    long seed;
                    synchronized (random) {
                        user = users.get(random.nextInt(users.size()));
                        task = pick(random.nextInt(weights));
                        seed = random.nextLong();
                    }
                    workers.execute(() -> runTask(user, task, new SplittableRandom(seed)));
                },
                0,
                periodNanos,
                TimeUnit.NANOSECONDS);
        Interval current = new Interval();
        interval = current;
        if (reportEvery.isPositive()) {
            ticks.scheduleAtFixedRate(
                    current::report, reportEvery.toNanos(), reportEvery.toNanos(), TimeUnit.NANOSECONDS);
        }
        long limit = options.duration().isZero()
                ? Long.MAX_VALUE
                : options.duration().toNanos() * 2;
        while (issued.sum() < total && !stopped && System.nanoTime() - start < limit) {
            TimeUnit.MILLISECONDS.sleep(20); // the load runs on its own clock; this only waits for it to be issued
        }
        ticks.shutdownNow();
        workers.shutdown();
        // tasks still running end within their timeout; a stopped run waits only briefly for them
        workers.awaitTermination(stopped ? 5 : 60, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<Task, TaskResult> results = new EnumMap<>(Task.class);
        for (Task t : Task.values()) {
            Histogram h = java.util.Objects.requireNonNull(latency.get(t));
            results.put(
                    t,
                    new TaskResult(
                            h.getTotalCount(),
                            java.util.Objects.requireNonNull(errors.get(t)).sum(),
                            h.getValueAtPercentile(50) / 1000.0,
                            h.getValueAtPercentile(99) / 1000.0));
        }
        return new Result(
                results,
                seconds,
                Map.copyOf(versions),
                new RequestStats(
                        requestLatency.getTotalCount(),
                        requestErrors.sum(),
                        requestLatency.getValueAtPercentile(50) / 1000.0,
                        requestLatency.getValueAtPercentile(99) / 1000.0));
    }

    /** The figures of one {@code --report-every} interval. */
    private final class Interval {
        private final org.HdrHistogram.Recorder requests = new org.HdrHistogram.Recorder(60_000_000L, 2);
        private final LongAdder tasks = new LongAdder();
        private final LongAdder failed = new LongAdder();
        private final Map<String, LongAdder> answered = new ConcurrentHashMap<>();
        private long since = System.nanoTime();
        private @org.jspecify.annotations.Nullable Histogram recycled;

        void report() {
            long now = System.nanoTime();
            Histogram h = requests.getIntervalHistogram(recycled);
            recycled = h;
            double seconds = (now - since) / 1e9;
            since = now;
            Map<String, Long> served = new java.util.TreeMap<>();
            answered.forEach((v, n) -> served.put(v, n.sumThenReset()));
            reportTo.accept(String.format(
                    Locale.ROOT,
                    "load: %.1f tasks/s, %d errors, requests p50 %.1f ms p99 %.1f ms, served by %s",
                    tasks.sumThenReset() / seconds,
                    failed.sumThenReset(),
                    h.getValueAtPercentile(50) / 1000.0,
                    h.getValueAtPercentile(99) / 1000.0,
                    served));
        }
    }

    private volatile @org.jspecify.annotations.Nullable Interval interval;

    private static Task pick(int ticket) {
        int cumulative = 0;
        for (Task t : Task.values()) {
            cumulative += t.weight;
            if (ticket < cumulative) {
                return t;
            }
        }
        return Task.BROWSE_PRODUCT;
    }

    private void runTask(User user, Task task, SplittableRandom random) {
        synchronized (user) { // a user does one task at a time, as a locust user does
            runTaskOf(user, task, random);
        }
    }

    private void runTaskOf(User user, Task task, SplittableRandom random) {
        long start = System.nanoTime();
        boolean ok;
        try {
            String product = PRODUCTS.get(random.nextInt(PRODUCTS.size()));
            ok = switch (task) {
                case INDEX -> get(user, "/");
                case SET_CURRENCY ->
                    post(
                            user,
                            "/setCurrency",
                            Map.of("currency_code", CURRENCIES.get(random.nextInt(CURRENCIES.size()))));
                case BROWSE_PRODUCT -> get(user, "/product/" + product);
                case ADD_TO_CART ->
                    get(user, "/product/" + product)
                            && post(
                                    user,
                                    "/cart",
                                    Map.of("product_id", product, "quantity", "" + (1 + random.nextInt(10))));
                case VIEW_CART -> get(user, "/cart");
                case CHECKOUT ->
                    post(user, "/cart", Map.of("product_id", product, "quantity", "" + (1 + random.nextInt(10))))
                            && post(user, "/cart/checkout", checkoutForm());
            };
        } catch (Exception e) {
            ok = false;
        }
        java.util.Objects.requireNonNull(latency.get(task))
                .recordValue(Math.min(60_000_000L, (System.nanoTime() - start) / 1000));
        if (!ok) {
            java.util.Objects.requireNonNull(errors.get(task)).increment();
        }
        Interval i = interval;
        if (i != null) {
            i.tasks.increment();
            if (!ok) {
                i.failed.increment();
            }
        }
    }

    private static Map<String, String> checkoutForm() {
        return Map.of(
                "email",
                "someone@example.com",
                "street_address",
                "1600 Amphitheatre Parkway",
                "zip_code",
                "94043",
                "city",
                "Mountain View",
                "state",
                "CA",
                "country",
                "United States",
                "credit_card_number",
                "4432-8015-6152-0454",
                "credit_card_expiration_month",
                "1",
                "credit_card_expiration_year",
                "2039",
                "credit_card_cvv",
                "672");
    }

    private boolean get(User user, String path) throws Exception {
        return send(user, HttpRequest.newBuilder(options.target().resolve(path)).GET());
    }

    private boolean post(User user, String path, Map<String, String> form) throws Exception {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return send(
                user,
                HttpRequest.newBuilder(options.target().resolve(path))
                        .header("content-type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    private boolean send(User user, HttpRequest.Builder request) throws Exception {
        request.timeout(Duration.ofSeconds(30)).header(options.clientHeader(), user.client());
        if (!user.cookies().isEmpty()) {
            StringBuilder cookie = new StringBuilder();
            user.cookies()
                    .forEach((k, v) -> cookie.append(cookie.isEmpty() ? "" : "; ")
                            .append(k)
                            .append('=')
                            .append(v));
            request.header("cookie", cookie.toString());
        }
        long start = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            requestErrors.increment();
            throw e;
        }
        long micros = Math.min(60_000_000L, (System.nanoTime() - start) / 1000);
        requestLatency.recordValue(micros);
        if (response.statusCode() != 200) {
            requestErrors.increment();
            if (logged.getAndIncrement() < 5) { // the first few failures say why, once
                String body = response.body();
                reportTo.accept("failed: " + response.request().method() + " "
                        + response.request().uri().getPath() + " -> " + response.statusCode() + " "
                        + response.headers().firstValue("x-weft-version").orElse("") + ": "
                        + body.substring(0, Math.min(300, body.length())).strip());
            }
        }
        Interval i = interval;
        if (i != null) {
            i.requests.recordValue(micros);
            response.headers()
                    .firstValue("x-weft-version")
                    .ifPresent(v ->
                            i.answered.computeIfAbsent(v, k -> new LongAdder()).increment());
        }
        for (String set : response.headers().allValues("set-cookie")) {
            String[] kv = set.split(";", 2)[0].split("=", 2);
            if (kv.length == 2) {
                if (kv[1].isEmpty()) {
                    user.cookies().remove(kv[0]);
                } else {
                    user.cookies().put(kv[0], kv[1]);
                }
            }
        }
        response.headers().firstValue("x-weft-version").ifPresent(v -> versions.merge(v, 1L, Long::sum));
        return response.statusCode() == 200;
    }

    /** The result as a Markdown table. */
    public static String table(Result result) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                Locale.ROOT,
                "boutique load: %d tasks in %.1f s (%.1f tasks/s), %d errors%n%n",
                result.runs(),
                result.seconds(),
                result.runs() / result.seconds(),
                result.errors()));
        out.append("| task | weight | runs | errors | p50 ms | p99 ms |\n|---|---:|---:|---:|---:|---:|\n");
        result.tasks()
                .forEach((t, r) -> out.append(String.format(
                        Locale.ROOT,
                        "| %s | %d | %d | %d | %.2f | %.2f |%n",
                        t.name().toLowerCase(Locale.ROOT),
                        t.weight,
                        r.runs(),
                        r.errors(),
                        r.p50Ms(),
                        r.p99Ms())));
        RequestStats r = result.requests();
        out.append(String.format(
                Locale.ROOT,
                "| (every HTTP request) | | %d | %d | %.2f | %.2f |%n",
                r.requests(),
                r.errors(),
                r.p50Ms(),
                r.p99Ms()));
        if (!result.versions().isEmpty()) {
            out.append("\nversions served (X-Weft-Version): ")
                    .append(result.versions())
                    .append('\n');
        }
        return out.toString();
    }

    public static void main(String[] args) throws Exception {
        URI target = URI.create("http://127.0.0.1:8080");
        double rate = 50;
        Duration duration = Duration.ofSeconds(30);
        int users = 100;
        long seed = 1;
        String header = "X-Weft-Client";
        Duration every = Duration.ZERO;
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            String value = kv.length > 1 ? kv[1] : "";
            switch (kv[0]) {
                case "--target" -> target = URI.create(value);
                case "--rate" -> rate = Double.parseDouble(value);
                case "--duration" -> duration = Duration.ofSeconds(Long.parseLong(value));
                case "--users" -> users = Integer.parseInt(value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--client-header" -> header = value;
                case "--report-every" -> every = Duration.ofSeconds(Long.parseLong(value));
                default -> {
                    System.err.println(
                            "unknown option " + kv[0] + "; options: --target=URL --rate=TASKS_PER_S "
                                    + "--duration=S (0: until stopped) --users=N --seed=N --client-header=NAME --report-every=S");
                    System.exit(2);
                }
            }
        }
        BoutiqueLoad load = new BoutiqueLoad(new Options(target, rate, duration, users, seed, header));
        load.reportEvery(every, System.out::println);
        Thread main = Thread.currentThread();
        // SIGTERM or Ctrl-C (a demo stopping it, docker compose down) ends the run and still prints the table
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            load.stop();
            try {
                main.join(20_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        Result result = load.run();
        System.out.print(table(result));
        System.out.flush();
    }
}
