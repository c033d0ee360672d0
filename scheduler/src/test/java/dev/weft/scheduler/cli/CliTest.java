package dev.weft.scheduler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.cli.Weft;
import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.LoopAgent;
import dev.weft.scheduler.LoopIntegrationTest;
import dev.weft.scheduler.LoopSupport;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code weft} CLI against a running control plane with real agents over gRPC: register and deploy the
 * example shop, read its plan, act on agents, and see each refusal's problem and exit code.
 */
@LoopIntegrationTest
class CliTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int httpPort;

    @Autowired
    GrpcServerLifecycle grpcServer;

    @TempDir
    Path home;

    ManagedChannel channel;
    HttpApi api;
    List<LoopAgent> agents = new ArrayList<>();
    String app;

    record Run(int code, String out, String err) {}

    @BeforeEach
    void setUp() {
        channel = LoopSupport.channel(grpcServer.getPort());
        api = new HttpApi(httpPort);
        app = LoopSupport.unique("cli");
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        LoopSupport.undeploy(api, app, "v1");
        agents.forEach(LoopAgent::close);
        LoopSupport.shutdown(channel);
    }

    Run weft(String token, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Weft.run(
                args,
                new PrintWriter(out),
                new PrintWriter(err),
                Map.of("WEFT_SERVER", "http://localhost:" + httpPort, "WEFT_TOKEN", token),
                home);
        return new Run(code, out.toString(), err.toString());
    }

    Run admin(String... args) {
        return weft(HttpApi.ADMIN_TOKEN, args);
    }

    @Test
    void theShopIsRegisteredDeployedAndInspectedFromTheCli() throws Exception {
        Run created = admin("apps", "create", app);
        assertThat(created.code()).as(created.err()).isZero();
        Run registered = admin("version", "register", "--app", app, "-f", "../examples/specs/online-shop.json");
        assertThat(registered.code()).as(registered.err()).isZero();
        assertThat(registered.out()).contains("registered " + app + " v1 (11 components");
        assertThat(admin("version", "list", "-a", app).out()).containsPattern("(?m)^v1\\s+11\\s");

        agents.addAll(LoopSupport.fleet(channel, "cli", 10, 3, 4000, 8192));
        Run deployed = admin("deploy", "-a", app, "v1");
        assertThat(deployed.code()).as(deployed.err()).isZero();
        assertThat(deployed.out()).contains("state:").contains("v1");
        LoopSupport.awaitDeployment(api, app, "v1", "PLACED");
        assertThat(admin("deployments", "-a", app).out()).containsPattern("(?m)^v1\\s+PLACED\\s+10000");

        JsonNode plan = LoopSupport.plan(api, app, "v1");
        Run shown = admin("plan", "show", "-a", app, "v1");
        assertThat(shown.code()).as(shown.err()).isZero();
        assertThat(shown.out())
                .startsWith("generation " + plan.get("generation").asLong() + "  FEASIBLE");
        for (JsonNode group : plan.get("groups")) {
            assertThat(shown.out()).contains(group.get("name").asString());
            group.get("assignments")
                    .forEach(a ->
                            assertThat(shown.out()).contains(a.get("agentId").asString()));
        }
        JsonNode asJson = JSON.readTree(
                admin("-o", "json", "plan", "show", "-a", app, "v1").out());
        assertThat(asJson.get("groups")).isEqualTo(plan.get("groups"));
        assertThat(admin("plan", "history", "-a", app, "v1").out()).contains("GENERATION", "APPLIED_FIRST");
        long generation = plan.get("generation").asLong();
        Run diff = admin("plan", "diff", "-a", app, "v1", "" + generation, "" + generation);
        assertThat(diff.code()).as(diff.err()).isZero();
        int replicas = 0;
        for (JsonNode group : plan.get("groups")) {
            replicas += group.get("assignments").size();
        }
        assertThat(diff.out())
                .contains("generation " + generation + " -> " + generation + ": moved 0", "unchanged " + replicas);
        Run whatIf = admin("plan", "what-if", "-a", app, "v1", "--load-factor", "3");
        assertThat(whatIf.code()).as(whatIf.err()).isZero();
        assertThat(whatIf.out()).contains("GROUP");

        String agent = agents.getFirst().id;
        assertThat(admin("agents", "list").out()).contains(agent);
        Run cordoned = admin("agents", "cordon", agent);
        assertThat(cordoned.code()).as(cordoned.err()).isZero();
        assertThat(cordoned.out()).contains("cordoned true");
        assertThat(api.get("/api/v1/agents/" + agent).json().get("cordoned").asBoolean())
                .isTrue();
        assertThat(admin("agents", "uncordon", agent).out()).contains("cordoned false");
        assertThat(admin("events", "-a", app).out()).containsPattern("(?m)\\sadmin\\s+APPLICATION_CREATED");
    }

    @Test
    void everyRefusalShowsTheServersProblemAndExitsOne() throws Exception {
        admin("apps", "create", app);
        Path bad = home.resolve("bad.json");
        Files.writeString(bad, """
                {"version":"v2","artifact":"x","components":[{"name":"a","cpuMillis":100,"memoryMiB":64}],
                 "edges":[{"caller":"a","callee":"b"}]}""");
        Run refused = admin("version", "register", "-a", app, "-f", bad.toString());
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err())
                .contains(
                        "400 UNKNOWN_COMPONENT: edges[0].callee names component 'b', which this version does not declare");
        assertThat(api.get("/api/v1/applications/" + app + "/versions/v2").status())
                .isEqualTo(404);

        Run missing = admin("plan", "show", "-a", app, "v9");
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).contains("404 VERSION_NOT_FOUND");

        String viewer = issue("viewer");
        Run forbidden = weft(viewer, "agents", "drain", "anything");
        assertThat(forbidden.code()).isEqualTo(1);
        assertThat(forbidden.err()).contains("403 FORBIDDEN", "role viewer", "needs operator");
        Run wrong = weft("weft_not-a-real-token-at-all", "apps", "list");
        assertThat(wrong.code()).isEqualTo(1);
        assertThat(wrong.err()).contains("401 UNAUTHENTICATED");
        assertThat(weft(viewer, "whoami").out()).contains("(viewer)");
    }

    @Test
    void anAdminIssuesATokenThatWorksAtOnceAndIsShownOnce() {
        Run issued = admin("tokens", "create", app + "-ci", "--role", "operator", "--expires-in-days", "7");
        assertThat(issued.code()).as(issued.err()).isZero();
        String token = issued.out().lines().toList().get(1);
        assertThat(token).startsWith("weft_");
        assertThat(issued.err()).contains("only time");
        assertThat(weft(token, "whoami").out()).isEqualTo(app + "-ci (operator)\n");
        assertThat(admin("tokens", "list").out()).contains(app + "-ci").doesNotContain(token.substring(9));
        Run json = admin("-o", "json", "apps", "list");
        assertThat(json.code()).isZero();
    }

    private String issue(String role) {
        return api.post("/api/v1/tokens", HttpApi.json(Map.of("name", LoopSupport.unique(role), "role", role)))
                .json()
                .get("token")
                .asString();
    }
}
