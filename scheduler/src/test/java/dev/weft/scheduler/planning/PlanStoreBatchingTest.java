package dev.weft.scheduler.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.LoopAgent;
import dev.weft.scheduler.LoopIntegrationTest;
import dev.weft.scheduler.LoopSupport;
import io.grpc.ManagedChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A plan's assignments, written a few thousand a statement, are exactly what one insert per replica wrote, and read
 * back as the plan that was written: against the real PostgreSQL, with agents connected over gRPC (assignments name
 * agents that exist).
 */
@LoopIntegrationTest
class PlanStoreBatchingTest {

    /** The statement {@link PlanStore#write} replaced, run once per replica: the reference. */
    private static final String ASSIGNMENT_PER_REPLICA = """
            insert into assignments (id, plan_id, group_id, replica_index, agent_id, assignment_uid, cpu_millis, memory_mib)
            values (nextval('weft_id_seq'), ?, ?, ?, ?, ?, ?, ?)""";

    @LocalServerPort
    int httpPort;

    @Autowired
    GrpcServerLifecycle grpcServer;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    PlanStore store;

    ManagedChannel channel;
    List<LoopAgent> agents = new ArrayList<>();

    @BeforeEach
    void connect() {
        channel = LoopSupport.channel(grpcServer.getPort());
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        agents.forEach(LoopAgent::close);
        LoopSupport.shutdown(channel);
    }

    @Test
    void assignmentsWrittenAFewAStatementAreExactlyWhatOneInsertPerReplicaWrote() {
        agents.addAll(LoopSupport.fleet(channel, "plan-batch", 3, 0, 4000, 8192));
        List<String> ids = agents.stream().map(a -> a.id).toList();
        HttpApi api = new HttpApi(httpPort);
        String app = LoopSupport.unique("plan-batch");
        assertThat(api.post("/api/v1/applications", HttpApi.json(Map.of("name", app)))
                        .status())
                .isEqualTo(201);
        LoopSupport.register(api, app, """
                {"version":"v1","artifact":"file:///tmp/a.jar","components":[
                  {"name":"front","cpuMillis":100,"memoryMiB":64,"ingress":true},
                  {"name":"cart","cpuMillis":100,"memoryMiB":64},
                  {"name":"db","cpuMillis":100,"memoryMiB":64}]}""");
        long versionId = jdbc.sql("""
                        select v.id from versions v join applications a on a.id = v.application_id
                        where a.name = ? and v.name = 'v1'""").param(app).query(Long.class).single();
        Map<String, Long> componentIds = new HashMap<>();
        jdbc.sql("select name, id from components where version_id = ?")
                .param(versionId)
                .query()
                .listOfRows()
                .forEach(r -> componentIds.put((String) r.get("name"), ((Number) r.get("id")).longValue()));
        // seven replicas in two groups over three agents, with distinct resources, so any swap of columns shows
        PlanRecord.Group web = new PlanRecord.Group(
                0,
                "g0",
                List.of("cart", "front"),
                4,
                0.8,
                1.0,
                0.5,
                List.of(),
                List.of(
                        new PlanRecord.Assignment("web-0", ids.get(0), 0, 210, 64),
                        new PlanRecord.Assignment("web-1", ids.get(1), 1, 220, 65),
                        new PlanRecord.Assignment("web-2", ids.get(2), 2, 230, 66),
                        new PlanRecord.Assignment("web-3", ids.get(0), 3, 240, 67)));
        PlanRecord.Group data = new PlanRecord.Group(
                1,
                "g1",
                List.of("db"),
                3,
                0.3,
                0.5,
                0.25,
                List.of(),
                List.of(
                        new PlanRecord.Assignment("db-0", ids.get(2), 0, 310, 128),
                        new PlanRecord.Assignment("db-1", ids.get(1), 1, 320, 129),
                        new PlanRecord.Assignment("db-2", ids.get(0), 2, 330, 130)));
        PlanRecord plan = PlanRecordFixtures.plan(versionId, 1, List.of(web, data));

        List<Map<String, Object>> reference = new ArrayList<>();
        List<Map<String, Object>> batched = new ArrayList<>();
        List<Map<String, Object>> oneStatement = new ArrayList<>();
        transactions.executeWithoutResult(tx -> {
            long planId =
                    store.write(PlanRecordFixtures.plan(versionId, 1, List.of(bare(web), bare(data))), componentIds, 1);
            List<Long> groupIds = jdbc.sql("select id from plan_groups where plan_id = ? order by group_index")
                    .param(planId)
                    .query(Long.class)
                    .list();
            List<PlanRecord.Group> groups = List.of(web, data);
            for (int g = 0; g < groups.size(); g++) {
                for (PlanRecord.Assignment a : groups.get(g).assignments()) {
                    jdbc.sql(ASSIGNMENT_PER_REPLICA)
                            .params(
                                    planId,
                                    groupIds.get(g),
                                    a.replicaIndex(),
                                    a.agentId(),
                                    a.assignmentId(),
                                    a.cpuMillis(),
                                    a.memoryMiB())
                            .update();
                }
            }
            reference.addAll(rows(planId));
            tx.setRollbackOnly();
        });
        transactions.executeWithoutResult(tx -> {
            // three replicas a statement: three statements, the last with one replica, one crossing the groups
            batched.addAll(rows(store.write(plan, componentIds, 1, 3)));
            assertThat(store.generation(versionId, 1).orElseThrow().groups()).isEqualTo(plan.groups());
            tx.setRollbackOnly();
        });
        transactions.executeWithoutResult(tx -> {
            oneStatement.addAll(rows(store.write(plan, componentIds, 1)));
            tx.setRollbackOnly();
        });

        assertThat(reference).hasSize(7);
        assertThat(batched).isEqualTo(reference);
        assertThat(oneStatement).isEqualTo(reference);
        assertThat(store.generation(versionId, 1)).isEmpty(); // rolled back
    }

    private static PlanRecord.Group bare(PlanRecord.Group g) {
        return new PlanRecord.Group(
                g.index(),
                g.name(),
                g.components(),
                g.replicas(),
                g.cpu(),
                g.cores(),
                g.memoryGiB(),
                g.labels(),
                List.of());
    }

    /** Every column of the plan's assignments but the generated id, with the group's index, in row order. */
    private List<Map<String, Object>> rows(long planId) {
        return jdbc.sql("""
                        select g.group_index, a.replica_index, a.agent_id, a.assignment_uid, a.cpu_millis, a.memory_mib
                        from assignments a join plan_groups g on g.id = a.group_id
                        where a.plan_id = ? order by a.id""").param(planId).query().listOfRows();
    }
}
