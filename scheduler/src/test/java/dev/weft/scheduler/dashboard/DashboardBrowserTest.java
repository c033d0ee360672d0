package dev.weft.scheduler.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.LoopAgent;
import dev.weft.scheduler.LoopIntegrationTest;
import dev.weft.scheduler.LoopSupport;
import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
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
 * every page loads without console errors, the plan graph has a node per component, a cordon click changes the
 * agent, a viewer sees no such button and a forged write is refused, live events arrive without a reload.
 * Screenshots go to target/screenshots.
 */
@LoopIntegrationTest
class DashboardBrowserTest {

    static final Path SHOTS = Path.of("target", "screenshots");

    @LocalServerPort
    int port;

    @Autowired
    GrpcServerLifecycle grpcServer;

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
        agents.addAll(LoopSupport.fleet(channel, "ui", 6, 3, 4000, 8192));
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
        new WebDriverWait(browser, Duration.ofSeconds(20))
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
        assertThat(browser.findElement(By.id("view")).getText()).contains(app, "v1", "100 %");
        shoot("overview");
        open("#/agents", "Agents");
        assertThat(browser.findElements(By.cssSelector("tr[data-agent]"))).hasSizeGreaterThanOrEqualTo(6);
        shoot("agents");
        open("#/plan/" + app + "/v1", "Plan of");
        JsonNode spec = api.get("/api/v1/applications/" + app + "/versions/v1").json();
        assertThat(browser.findElements(By.cssSelector("svg circle.node")))
                .hasSize(spec.get("components").size());
        JsonNode plan = LoopSupport.plan(api, app, "v1");
        assertThat(browser.findElement(By.id("view")).getText())
                .contains("Generation " + plan.get("generation").asLong());
        shoot("plan");
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
        WebElement cordon =
                browser.findElement(By.cssSelector("tr[data-agent='" + agent + "'] button[data-action='cordon']"));
        cordon.click();
        browser.switchTo().alert().accept();
        waitFor(d -> d.findElement(By.id("agent-result")).getText().contains("cordon " + agent + ": done"));
        assertThat(api.get("/api/v1/agents/" + agent).json().get("cordoned").asBoolean())
                .isTrue();
        shoot("agents-cordoned");
        assertThat(browser.findElements(
                        By.cssSelector("tr[data-agent='" + agent + "'] button[data-action='uncordon']")))
                .hasSize(1);
        api.post("/api/v1/agents/" + agent + "/uncordon", "");
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
    private String text(String id) {
        Object text = ((org.openqa.selenium.JavascriptExecutor) browser)
                .executeScript("const e = document.getElementById(arguments[0]); return e ? e.innerText : '';", id);
        return String.valueOf(text);
    }

    private String base() {
        return "http://localhost:" + port;
    }
}
