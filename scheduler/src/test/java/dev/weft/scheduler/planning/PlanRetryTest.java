package dev.weft.scheduler.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.LoopAgent;
import dev.weft.scheduler.LoopIntegrationTest;
import dev.weft.scheduler.LoopSupport;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * A plan that fails to be stored is tried again by itself, with no further trigger: the database refuses the
 * version's plans for a while (a real constraint, not a stand-in) until three tries failed, and once it accepts them again the deploy's plan
 * is applied and the version placed. Before the retry a first deploy whose plan failed stayed PLACING until some agent
 * joined (the periodic check only re-plans versions that run a plan).
 */
@LoopIntegrationTest
class PlanRetryTest {

    @LocalServerPort
    int httpPort;

    @Autowired
    GrpcServerLifecycle grpcServer;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MeterRegistry meters;

    ManagedChannel channel;
    HttpApi api;
    List<LoopAgent> agents = new ArrayList<>();
    String app;

    @BeforeEach
    void connect() {
        channel = LoopSupport.channel(grpcServer.getPort());
        api = new HttpApi(httpPort);
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        jdbc.sql("alter table plans drop constraint if exists plan_retry_test_refuses")
                .update();
        if (app != null) {
            LoopSupport.undeploy(api, app, "v1");
        }
        agents.forEach(LoopAgent::close);
        LoopSupport.shutdown(channel);
    }

    @Test
    void aPlanTheDatabaseRefusedIsTriedAgainUntilItIsStored() {
        app = LoopSupport.shop(api, "v1");
        agents.addAll(LoopSupport.fleet(channel, "retry", 6, 3, 8000, 16384));
        long versionId = jdbc.sql("""
                        select v.id from versions v join applications a on a.id = v.application_id
                        where a.name = ? and v.name = 'v1'""").param(app).query(Long.class).single();
        // not valid: rows already stored are not checked, every new plan of this version is refused
        jdbc.sql("alter table plans add constraint plan_retry_test_refuses check (version_id <> " + versionId
                        + ") not valid")
                .update();

        double failedBefore = meters.counter("weft.planner.failures").count();
        assertThat(LoopSupport.deploy(api, app, "v1").status()).isEqualTo(201);
        // the deploy's plan and two retries fail: nothing is stored, the deployment waits
        LoopAgent.await(
                "three failed plans",
                () -> meters.counter("weft.planner.failures").count() >= failedBefore + 3);
        assertThat(api.get("/api/v1/applications/" + app + "/versions/v1/plan").status())
                .isEqualTo(404);
        assertThat(LoopSupport.deployment(api, app, "v1").get("state").asString())
                .isEqualTo("PLACING");

        jdbc.sql("alter table plans drop constraint plan_retry_test_refuses").update();
        // no agent joins, nobody asks: the next retry (at most check-interval, 200 ms here, after the last) plans it
        JsonNode plan = LoopSupport.awaitPlanAfter(api, app, "v1", 0);
        assertThat(plan.get("applied").asBoolean()).isTrue();
        assertThat(plan.get("triggers").toString()).contains("DEPLOYED");
        LoopSupport.awaitDeployment(api, app, "v1", "PLACED");
    }
}
