package dev.weft.scheduler.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.weft.api.agent.v1.AgentMessage;
import dev.weft.api.agent.v1.ComponentLoad;
import dev.weft.api.agent.v1.LoadReport;
import dev.weft.api.agent.v1.RunningReplica;
import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.LoopAgent;
import dev.weft.scheduler.LoopClock;
import dev.weft.scheduler.LoopIntegrationTest;
import dev.weft.scheduler.LoopSupport;
import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard in Debian's headless Chromium against a control plane with the example shop deployed on real agents:
 * every page loads without console errors, the plan graph has a node per component and the cost a row per baseline,
 * a cordon click changes the agent, an abort click (once confirmed) rolls a rollout back, a viewer sees no such
 * button and a forged write is refused, live events arrive without a reload.
 * Screenshots go to target/screenshots.
 */
@LoopIntegrationTest
class DashboardBrowserTest {

    static final Path SHOTS = Path.of("target", "screenshots");

    @LocalServerPort
    int port;

    @Autowired
    GrpcServerLifecycle grpcServer;

    @Autowired
    LoopClock clock;

    private static final AtomicLong SEQUENCE = new AtomicLong(7_000_000);

    ChromeDriverService service;
    WebDriver browser;
    ManagedChannel channel;
    HttpApi api;
    List<LoopAgent> agents = new ArrayList<>();
    String app;

    @BeforeAll
    static void screenshots() throws Exception {
        Files.createDirectories(SHOTS);
    }

    @BeforeEach
    void setUp() {
        channel = LoopSupport.channel(grpcServer.getPort());
        api = new HttpApi(port);
        app = LoopSupport.shop(api, "v1");
        LoopSupport.register(api, app, LoopSupport.shopSpec().replace("\"version\": \"v1\"", "\"version\": \"v2\""));
        // room for v2 placed in full beside v1 during a rollout
        agents.addAll(LoopSupport.fleet(channel, "ui", 8, 4, 8000, 16384));
        assertThat(LoopSupport.deploy(api, app, "v1").status()).isEqualTo(201);
        LoopSupport.awaitDeployment(api, app, "v1", "PLACED");
        // a driver service per test: Selenium's HTTP client does not outlive the first driver's quit otherwise
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile())
                .usingAnyFreePort()
                .build();
        browser = chrome(1280, 800);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.stop();
        }
        for (JsonNode r :
                api.get("/api/v1/applications/" + app + "/rollouts").json().get("items")) {
            api.post("/api/v1/applications/" + app + "/rollouts/" + r.get("id").asLong() + "/abort", "");
        }
        LoopSupport.undeploy(api, app, "v2");
        LoopSupport.undeploy(api, app, "v1");
        agents.forEach(LoopAgent::close);
        LoopSupport.shutdown(channel);
    }

    private WebDriver chrome(int width, int height) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-dev-shm-usage",
                "--window-size=" + width + "," + height);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        return new ChromeDriver(service, options);
    }

    private void signIn(String name, String password) {
        browser.get(base() + "/login");
        if (name.isEmpty()) {
            browser.findElement(By.id("token")).sendKeys(password);
            browser.findElement(By.xpath("//button[text()='Sign in with token']"))
                    .click();
        } else {
            browser.findElement(By.id("username")).sendKeys(name);
            browser.findElement(By.id("password")).sendKeys(password);
            browser.findElement(By.xpath("//button[text()='Sign in']")).click();
        }
        waitFor(d -> d.getCurrentUrl().equals(base() + "/"));
    }

    private void open(String hash, String heading) {
        browser.get(base() + "/" + hash);
        // read in one step in the page: a view may still be redrawn between two WebDriver calls
        waitFor(d -> String.valueOf(((org.openqa.selenium.JavascriptExecutor) d)
                        .executeScript("const h = document.querySelector('h1'); return h ? h.innerText : '';"))
                .startsWith(heading));
    }

    private void waitFor(java.util.function.Function<WebDriver, Boolean> condition) {
        // the views redraw on live updates: an element read between two WebDriver calls may have been replaced
        new WebDriverWait(browser, Duration.ofSeconds(20))
                .ignoring(StaleElementReferenceException.class)
                .withMessage(() -> "the page shows: "
                        + browser.findElement(By.tagName("body")).getText())
                .until(condition::apply);
    }

    private void shoot(String name) throws Exception {
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    private List<String> consoleErrors() {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }

    @Test
    void everyPageLoadsWithoutConsoleErrorsAndThePlanGraphHasANodePerComponent() throws Exception {
        signIn("admin", "weft-local-dev-admin");
        open("#/overview", "Overview");
        assertThat(text("view")).contains(app, "v1", "100 %");
        shoot("overview");
        open("#/agents", "Agents");
        assertThat(browser.findElements(By.cssSelector("tr[data-agent]"))).hasSizeGreaterThanOrEqualTo(6);
        shoot("agents");
        open("#/plan/" + app + "/v1", "Plan of");
        JsonNode spec = api.get("/api/v1/applications/" + app + "/versions/v1").json();
        assertThat(browser.findElements(By.cssSelector("svg circle.node")))
                .hasSize(spec.get("components").size());
        JsonNode plan = LoopSupport.plan(api, app, "v1");
        assertThat(text("view")).contains("Generation " + plan.get("generation").asLong());
        // the cost against both baselines, as a table with the plan's figures formatted
        List<String> costRows = texts("#cost tbody tr");
        assertThat(costRows).hasSize(3);
        assertThat(costRows.get(0))
                .startsWith("this plan")
                .contains(money(plan.get("score").get("costPerHour").asDouble()));
        assertThat(costRows.get(1))
                .startsWith("one process per component")
                .contains(money(plan.get("baselines")
                        .get("onePerProcess")
                        .get("costPerHour")
                        .asDouble()));
        assertThat(costRows.get(2))
                .startsWith("single process")
                .contains(money(plan.get("baselines")
                        .get("singleProcess")
                        .get("costPerHour")
                        .asDouble()));
        assertThat(text("view")).doesNotContain("costPerHour");
        shoot("plan");
        open("#/rollouts", "Rollouts");
        assertThat(text("view")).contains(app);
        shoot("rollouts");
        open("#/events", "Events");
        shoot("events");
        assertThat(consoleErrors()).isEmpty();

        // readable on a phone-sized screen too
        browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        open("#/agents", "Agents");
        shoot("agents-phone");
        assertThat(consoleErrors()).isEmpty();
    }

    @Test
    void anOperatorsCordonClickCordonsTheAgent() throws Exception {
        signIn("admin", "weft-local-dev-admin");
        open("#/agents", "Agents");
        String agent = agents.getFirst().id;
        // find and click in one attempt, again if a redraw replaced the row in between
        waitFor(d -> {
            d.findElement(By.cssSelector("tr[data-agent='" + agent + "'] button[data-action='cordon']"))
                    .click();
            return true;
        });
        browser.switchTo().alert().accept();
        waitFor(d -> text("agent-result").contains("cordon " + agent + ": done"));
        assertThat(api.get("/api/v1/agents/" + agent).json().get("cordoned").asBoolean())
                .isTrue();
        waitFor(d -> d.findElements(By.cssSelector("tr[data-agent='" + agent + "'] button[data-action='uncordon']"))
                        .size()
                == 1);
        shoot("agents-cordoned");
        api.post("/api/v1/agents/" + agent + "/uncordon", "");
    }

    private static String money(double perHour) {
        return "$" + String.format(java.util.Locale.ROOT, "%.4f", perHour) + "/h";
    }

    /** Starts a canary rollout of v2 and waits until it ramps (1 % for 5 m: it holds there, the clock stands still). */
    private long rampingRollout() {
        HttpApi.Response started = api.post(
                "/api/v1/applications/" + app + "/rollouts", HttpApi.json(Map.of("version", "v2", "policy", "canary")));
        assertThat(started.status()).as(started.body()).isEqualTo(201);
        long id = started.json().get("id").asLong();
        LoopAgent.await(
                "rollout " + id + " ramps",
                () -> "RAMPING".equals(rollout(id).get("state").asString()));
        return id;
    }

    /**
     * Every agent running the version reports load for its components over the last 10 s, observed now: {@code rps}
     * requests per second per component, none failing.
     */
    private void report(String version, double rps) {
        for (LoopAgent agent : agents) {
            Set<String> components = new TreeSet<>();
            for (RunningReplica r : agent.running()) {
                if (r.getApplication().equals(app) && r.getVersion().equals(version)) {
                    components.addAll(r.getComponentsList());
                }
            }
            if (components.isEmpty()) {
                continue;
            }
            java.time.Instant now = clock.instant();
            LoadReport.Builder report = LoadReport.newBuilder()
                    .setSequence(SEQUENCE.incrementAndGet())
                    .setObservedAt(Timestamp.newBuilder()
                            .setSeconds(now.getEpochSecond())
                            .setNanos(now.getNano()))
                    .setInterval(com.google.protobuf.Duration.newBuilder().setSeconds(10));
            for (String component : components) {
                report.addComponents(ComponentLoad.newBuilder()
                        .setApplication(app)
                        .setVersion(version)
                        .setComponent(component)
                        .setCpuCores(0.1)
                        .setMemoryMib(128)
                        .setRequestsPerSecond(rps)
                        .setInFlight(1));
            }
            long sequence = report.getSequence();
            agent.send(AgentMessage.newBuilder().setLoadReport(report).build());
            LoopAgent.await(
                    agent.id + " had report " + sequence + " accepted",
                    () -> agent.received().stream()
                            .anyMatch(m -> m.hasReportAck() && m.getReportAck().getSequence() == sequence));
        }
    }

    private JsonNode rollout(long id) {
        return api.get("/api/v1/applications/" + app + "/rollouts/" + id).json();
    }

    @Test
    void anAbortClickAfterConfirmingRollsTheRolloutBack() throws Exception {
        long id = rampingRollout();
        // both versions serve a little: the gates read both sides (too few requests for a verdict; the step holds)
        LoopSupport.advance(clock, api, agents, Duration.ofSeconds(15));
        report("v1", 100);
        report("v2", 2);
        LoopAgent.await(
                "the gates read both versions",
                () -> rollout(id)
                        .get("steps")
                        .get(0)
                        .get("gates")
                        .valueStream()
                        .anyMatch(g -> g.get("oldRequests").asLong() > 0));
        signIn("admin", "weft-local-dev-admin");
        open("#/rollouts/" + app, "Rollouts of " + app);
        // the errorRate row shows the requests the API read on each side (re-read: a move may read again)
        waitFor(d -> {
            JsonNode gate = rollout(id).get("steps").get(0).get("gates").get(0);
            return text("rollout-state").equals("RAMPING")
                    && text("r-gates")
                            .contains(gate.get("newRequests").asLong() + " / "
                                    + gate.get("oldRequests").asLong());
        });
        // the chart: what it did (0 % while placing, then 1 %) and the steps to come; the gates new and old
        assertThat(browser.findElements(By.cssSelector("svg#weights-chart path.actual")))
                .hasSize(1);
        assertThat(browser.findElements(By.cssSelector("svg#weights-chart path.planned")))
                .hasSize(1);
        assertThat(text("r-chart")).contains("Weight of v2 over time");
        assertThat(text("r-gates")).contains("errorRate", "latencyP99Ratio", "new (v2)", "old (v1)");
        assertThat(text("r-head")).contains("time left in the hold", "v2 1 %", "v1 99 %");
        assertThat(text("r-actions")).contains("Pause", "Promote", "Abort");
        shoot("rollout-ramping");

        // a dismissed confirmation asks nothing
        browser.findElement(By.cssSelector("button[data-rollout-action='abort']"))
                .click();
        assertThat(browser.switchTo().alert().getText()).contains("Abort rollout " + id + " of " + app);
        browser.switchTo().alert().dismiss();
        assertThat(rollout(id).get("state").asString()).isEqualTo("RAMPING");

        browser.findElement(By.cssSelector("button[data-rollout-action='abort']"))
                .click();
        browser.switchTo().alert().accept();
        waitFor(d -> text("rollout-result").startsWith("abort rollout " + id + ": "));
        JsonNode aborted = rollout(id);
        assertThat(aborted.get("state").asString()).isIn("ABORTING", "ROLLED_BACK");
        assertThat(aborted.get("abortCause").asString()).isEqualTo("OPERATOR_ABORT");
        waitFor(d -> List.of("ABORTING", "ROLLED_BACK").contains(text("rollout-state")));
        assertThat(browser.findElements(By.cssSelector("button[data-rollout-action='abort']")))
                .isEmpty();
        assertThat(api.get("/api/v1/events?application=" + app + "&size=100")
                        .json()
                        .get("items")
                        .valueStream()
                        .anyMatch(e -> e.get("kind").asString().equals("ROLLOUT_ABORTED")
                                && e.get("details").get("actor").asString().equals("admin")))
                .as("the abort is recorded as the signed-in admin's")
                .isTrue();
        shoot("rollout-aborted");
        assertThat(consoleErrors()).isEmpty();
    }

    @Test
    void aViewerSeesNoButtonsAndAForgedWriteIsRefused() throws Exception {
        String token = api.post(
                        "/api/v1/tokens",
                        HttpApi.json(Map.of("name", LoopSupport.unique("ui-viewer"), "role", "viewer")))
                .json()
                .get("token")
                .asString();
        signIn("", token);
        open("#/agents", "Agents");
        assertThat(browser.findElements(By.cssSelector("button[data-action]"))).isEmpty();
        open("#/plan/" + app + "/v1", "Plan of");
        assertThat(browser.findElements(By.id("whatif-form"))).isEmpty();
        shoot("viewer-agents");
        long id = rampingRollout();
        open("#/rollouts/" + app, "Rollouts of " + app);
        waitFor(d -> text("rollout-state").equals("RAMPING"));
        assertThat(browser.findElements(By.cssSelector("button[data-rollout-action]")))
                .isEmpty();
        shoot("viewer-rollout");
        String agent = agents.getFirst().id;
        Object status = ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeAsyncScript("const done = arguments[arguments.length - 1];"
                        + "const h = {}; h[document.querySelector('meta[name=csrf-header]').content] ="
                        + " document.querySelector('meta[name=csrf-token]').content;"
                        + "fetch('/api/v1/agents/" + agent + "/cordon', {method: 'POST', headers: h})"
                        + ".then(r => r.json().then(j => done(r.status + ' ' + j.code)));");
        assertThat(status).isEqualTo("403 FORBIDDEN");
        assertThat(api.get("/api/v1/agents/" + agent).json().get("cordoned").asBoolean())
                .isFalse();
        Object abort = ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeAsyncScript("const done = arguments[arguments.length - 1];"
                        + "const h = {}; h[document.querySelector('meta[name=csrf-header]').content] ="
                        + " document.querySelector('meta[name=csrf-token]').content;"
                        + "fetch('/api/v1/applications/" + app + "/rollouts/" + id
                        + "/abort', {method: 'POST', headers: h})"
                        + ".then(r => r.json().then(j => done(r.status + ' ' + j.code)));");
        assertThat(abort).isEqualTo("403 FORBIDDEN");
        assertThat(rollout(id).get("state").asString()).isEqualTo("RAMPING");
    }

    @Test
    void newEventsArriveLiveWithoutAReload() throws Exception {
        signIn("admin", "weft-local-dev-admin");
        open("#/events", "Events");
        waitFor(d -> text("live").contains("connected"));
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("window.noReload = true;");
        String other = LoopSupport.unique("live");
        assertThat(api.post("/api/v1/applications", HttpApi.json(Map.of("name", other)))
                        .status())
                .isEqualTo(201);
        waitFor(d -> text("events").contains("Application '" + other + "' created"));
        assertThat(((org.openqa.selenium.JavascriptExecutor) browser).executeScript("return window.noReload"))
                .isEqualTo(true);
        shoot("events-live");
        assertThat(consoleErrors()).isEmpty();
    }

    /** An element's text read in one step in the page: the live view redraws itself between two WebDriver calls. */
    /** The text of every element the selector matches, read in one step in the page. */
    private List<String> texts(String selector) {
        Object texts = ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript(
                        "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.innerText);", selector);
        List<String> result = new ArrayList<>();
        for (Object t : (List<?>) java.util.Objects.requireNonNull(texts)) {
            result.add(String.valueOf(t));
        }
        return result;
    }

    private String text(String id) {
        Object text = ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript("const e = document.getElementById(arguments[0]); return e ? e.innerText : '';", id);
        return String.valueOf(text);
    }

    private String base() {
        return "http://localhost:" + port;
    }
}
