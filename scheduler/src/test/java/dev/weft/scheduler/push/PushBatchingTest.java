package dev.weft.scheduler.push;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.api.agent.v1.Assignment;
import dev.weft.api.agent.v1.AssignmentSet;
import dev.weft.api.agent.v1.ControlMessage;
import dev.weft.api.agent.v1.Endpoint;
import dev.weft.api.agent.v1.Resources;
import dev.weft.api.agent.v1.Route;
import dev.weft.api.agent.v1.RoutingTable;
import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.LoopAgent;
import dev.weft.scheduler.LoopIntegrationTest;
import dev.weft.scheduler.LoopSupport;
import dev.weft.scheduler.push.PushStore.Ack;
import dev.weft.scheduler.push.PushStore.SetRow;
import dev.weft.scheduler.push.PushStore.TableRow;
import io.grpc.ManagedChannel;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The push side's batching rules, against the real PostgreSQL and real agents over gRPC: sets and acks written with one
 * statement store exactly what one statement per agent stored; a re-plan that changes some agents' sets sends sets to
 * those only; what a node sends from what it wrote is what is stored; an older table than one sent is not sent after
 * it.
 */
@LoopIntegrationTest
class PushBatchingTest {

    /** The statement {@link PushStore#writeSets} replaced, run once per agent: the reference. */
    private static final String SET_PER_AGENT = """
            insert into agent_assignment_sets (agent_id, generation, assignment_set, replicas, updated_at)
            values (?, ?, ?, ?, ?)
            on conflict (agent_id) do update set generation = excluded.generation,
                assignment_set = excluded.assignment_set, replicas = excluded.replicas, updated_at = excluded.updated_at""";

    /** The statement {@link PushStore#writeAcks} replaced, run once per ack: the reference. */
    private static final String ACK_PER_AGENT = """
            update agent_assignment_sets set acked_generation = ?, ack_applied = ?, ack_message = ?,
                failed_assignment_ids = ?, acked_at = ?
            where agent_id = ? and acked_generation <= ?""";

    @LocalServerPort
    int httpPort;

    @Autowired
    GrpcServerLifecycle grpcServer;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    PushStore store;

    @Autowired
    PushService push;

    @Autowired
    PushDispatcher dispatcher;

    ManagedChannel channel;
    HttpApi api;
    List<LoopAgent> agents = new ArrayList<>();

    @BeforeEach
    void connect() {
        channel = LoopSupport.channel(grpcServer.getPort());
        api = new HttpApi(httpPort);
    }

    @AfterEach
    void cleanUp() throws InterruptedException {
        agents.forEach(LoopAgent::close);
        LoopSupport.shutdown(channel);
    }

    private List<String> fleet(String prefix, int n) {
        agents.addAll(LoopSupport.fleet(channel, prefix, n, 0, 1000, 1024));
        return agents.subList(agents.size() - n, agents.size()).stream()
                .map(a -> a.id)
                .toList();
    }

    private static AssignmentSet set(long generation, String... assignmentIds) {
        AssignmentSet.Builder set = AssignmentSet.newBuilder().setGeneration(generation);
        for (String id : assignmentIds) {
            set.addAssignments(Assignment.newBuilder()
                    .setAssignmentId(id)
                    .setApplication("app")
                    .setVersion("v1")
                    .addComponents("svc")
                    .setArtifact("file:///tmp/a.jar")
                    .setResources(Resources.newBuilder().setCpuMillicores(10).setMemoryMib(16)));
        }
        return set.build();
    }

    /** Every column of the agents' rows, as text, in agent order. */
    private List<Map<String, Object>> rows(List<String> agentIds) {
        return jdbc.sql("""
                        select agent_id, generation, encode(assignment_set, 'hex') as assignment_set, replicas,
                            updated_at::text as updated_at, acked_generation, ack_applied, ack_message,
                            failed_assignment_ids::text as failed, acked_at::text as acked_at
                        from agent_assignment_sets where agent_id = any(?) order by agent_id""").param(agentIds.toArray(String[]::new)).query().listOfRows();
    }

    /** The rows after {@code change} ran in a transaction that is then rolled back. */
    private List<Map<String, Object>> after(List<String> agentIds, Runnable change) {
        List<List<Map<String, Object>>> out = new ArrayList<>();
        transactions.executeWithoutResult(tx -> {
            change.run();
            out.add(rows(agentIds));
            tx.setRollbackOnly();
        });
        return out.getFirst();
    }

    @Test
    void setsWrittenInOneStatementAreExactlyWhatOneUpsertPerAgentWrote() {
        List<String> ids = fleet("batch-sets", 5);
        Instant before = Instant.parse("2032-06-01T07:00:00.123456Z");
        // three agents have a set and an ack already, two have none
        transactions.executeWithoutResult(tx -> store.writeSets(
                Map.of(ids.get(0), set(3, "a"), ids.get(1), set(7, "b", "c"), ids.get(2), set(1)), before));
        transactions.executeWithoutResult(tx -> store.writeAcks(List.of(
                new Ack(ids.get(0), 3, true, "", List.of(), before),
                new Ack(ids.get(1), 7, false, "could not start c", List.of("c"), before))));
        List<Map<String, Object>> untouched = rows(ids);

        Instant now = Instant.parse("2032-06-01T08:00:00.654321Z");
        Map<String, AssignmentSet> next = new LinkedHashMap<>();
        next.put(ids.get(4), set(1, "e1", "e2", "e3"));
        next.put(ids.get(1), set(8, "b"));
        next.put(ids.get(0), set(4));
        next.put(ids.get(3), set(1, "d"));
        next.put(ids.get(2), set(2, "x"));

        List<Map<String, Object>> reference = after(
                ids,
                () -> next.forEach((agent, s) -> jdbc.sql(SET_PER_AGENT)
                        .params(agent, s.getGeneration(), s.toByteArray(), s.getAssignmentsCount(), Timestamp.from(now))
                        .update()));
        // two agents a statement, so three statements, the last with one agent
        List<Map<String, Object>> batched = after(ids, () -> store.writeSets(next, now, 2));
        List<Map<String, Object>> oneStatement = after(ids, () -> store.writeSets(next, now));

        assertThat(reference).hasSize(5);
        assertThat(reference).isNotEqualTo(untouched);
        assertThat(batched).isEqualTo(reference);
        assertThat(oneStatement).isEqualTo(reference);
        // the ack columns survived the write
        assertThat(batched.getFirst().get("ack_applied")).isEqualTo(true);
        assertThat(batched.get(1).get("ack_message")).isEqualTo("could not start c");
        assertThat(store.sets(ids)).hasSize(3); // rolled back: only what was there before
    }

    @Test
    void acksWrittenInOneStatementAreExactlyWhatOneUpdatePerAckWrote() {
        List<String> ids = fleet("batch-acks", 4);
        Instant before = Instant.parse("2032-06-01T07:00:00.5Z");
        transactions.executeWithoutResult(tx -> store.writeSets(
                Map.of(ids.get(0), set(3, "a"), ids.get(1), set(5, "b"), ids.get(2), set(2, "c")), before));
        transactions.executeWithoutResult(
                tx -> store.writeAcks(List.of(new Ack(ids.get(1), 5, true, "", List.of(), before))));

        Instant now = Instant.parse("2032-06-01T08:00:00.000042Z");
        List<Ack> acks = List.of(
                new Ack(ids.get(0), 3, false, "failed: \"quotes\", commas, ünïcode", List.of("a", "x,y", "{z}"), now),
                new Ack(ids.get(1), 4, false, "older than the stored ack: ignored", List.of("b"), now),
                new Ack(ids.get(2), 2, true, "", List.of(), now),
                new Ack(ids.get(3), 9, true, "no set stored: nothing to update", List.of(), now));

        List<Map<String, Object>> reference = after(
                ids,
                () -> acks.forEach(ack -> jdbc.sql(ACK_PER_AGENT)
                        .params(
                                ack.generation(),
                                ack.applied(),
                                ack.message(),
                                ack.failed().toArray(String[]::new),
                                Timestamp.from(ack.at()),
                                ack.agentId(),
                                ack.generation())
                        .update()));
        List<Map<String, Object>> batched = after(ids, () -> store.writeAcks(acks));

        assertThat(reference).hasSize(3);
        assertThat(batched).isEqualTo(reference);
        assertThat(batched.getFirst().get("failed")).isEqualTo("{a,\"x,y\",\"{z}\"}");
        assertThat(batched.get(1).get("acked_generation")).isEqualTo(5L);
    }

    private Push.VersionReplicas replicas(
            long applicationId, String app, long versionId, Map<String, String> assignmentByAgent) {
        List<Push.Replica> replicas = new ArrayList<>();
        int index = 0;
        for (Map.Entry<String, String> e : assignmentByAgent.entrySet()) {
            replicas.add(new Push.Replica(
                    e.getValue(), e.getKey(), e.getKey() + ".test:7000", 0, List.of("svc"), index++, 10, 16));
        }
        return new Push.VersionReplicas(
                applicationId, app, versionId, "v1", "file:///tmp/a.jar", List.of("svc", "db"), Set.of(), replicas);
    }

    private static List<ControlMessage> since(LoopAgent agent, int mark, ControlMessage.BodyCase kind) {
        List<ControlMessage> all = agent.received();
        return all.subList(mark, all.size()).stream()
                .filter(m -> m.getBodyCase() == kind)
                .toList();
    }

    @Test
    void aReplanThatChangesSomeAgentsSendsSetsToThoseOnlyAndWhatIsSentIsWhatIsStored() {
        String app = LoopSupport.shop(api, "v1");
        long versionId = store.versionId(app, "v1").orElseThrow();
        long applicationId = jdbc.sql("select id from applications where name = ?")
                .param(app)
                .query(Long.class)
                .single();
        List<String> ids = fleet("replan-some", 4);
        LoopAgent a = agents.get(0);
        LoopAgent b = agents.get(1);
        LoopAgent c = agents.get(2);
        LoopAgent d = agents.get(3);

        Map<String, String> first = new LinkedHashMap<>();
        first.put(a.id, "r-a");
        first.put(b.id, "r-b");
        first.put(c.id, "r-c");
        transactions.executeWithoutResult(tx -> push.place(replicas(applicationId, app, versionId, first)));
        for (LoopAgent agent : List.of(a, b, c)) {
            agent.awaitAssignments("runs its replica", s -> s.getAssignmentsCount() == 1);
        }
        assertSentIsStored(List.of(a, b, c), app, versionId);
        int[] marks = agents.stream().mapToInt(x -> x.received().size()).toArray();
        long generationA = a.assignments().getGeneration();
        long generationB = b.assignments().getGeneration();

        // c's replica moves to d; a and b keep theirs
        Map<String, String> second = new LinkedHashMap<>();
        second.put(a.id, "r-a");
        second.put(b.id, "r-b");
        second.put(d.id, "r-d");
        transactions.executeWithoutResult(tx -> push.place(replicas(applicationId, app, versionId, second)));
        d.awaitAssignments("runs the moved replica", s -> s.getAssignmentsCount() == 1);
        c.awaitAssignments("runs nothing", s -> s.getAssignmentsCount() == 0);
        // the table changed (c's endpoint became d's): a and b get it, and no set
        assertSentIsStored(List.of(a, b, d), app, versionId);
        assertThat(store.tables(List.of(versionId)).get(versionId).table().getRoutesList().stream()
                        .filter(r -> r.getComponent().equals("svc"))
                        .flatMap(r -> r.getEndpointsList().stream())
                        .map(Endpoint::getAssignmentId))
                .containsExactly("r-a", "r-b", "r-d");
        assertThat(since(a, marks[0], ControlMessage.BodyCase.ASSIGNMENTS)).isEmpty();
        assertThat(since(b, marks[1], ControlMessage.BodyCase.ASSIGNMENTS)).isEmpty();
        assertThat(since(c, marks[2], ControlMessage.BodyCase.ASSIGNMENTS)).hasSize(1);
        assertThat(since(d, marks[3], ControlMessage.BodyCase.ASSIGNMENTS)).hasSize(1);
        assertThat(store.set(a.id).orElseThrow().set().getGeneration()).isEqualTo(generationA);
        assertThat(store.set(b.id).orElseThrow().set().getGeneration()).isEqualTo(generationB);
        assertSentIsStored(List.of(a, b, d), app, versionId);
        assertThat(c.assignments()).isEqualTo(store.set(c.id).orElseThrow().set());

        // the same replicas again: nothing changed, nothing is written or sent
        Map<String, Long> stored = new LinkedHashMap<>();
        store.sets(ids).forEach((agent, row) -> stored.put(agent, row.set().getGeneration()));
        long table = store.tables(List.of(versionId)).get(versionId).table().getGeneration();
        transactions.executeWithoutResult(tx -> push.place(replicas(applicationId, app, versionId, second)));
        Map<String, Long> again = new LinkedHashMap<>();
        store.sets(ids).forEach((agent, row) -> again.put(agent, row.set().getGeneration()));
        assertThat(again).isEqualTo(stored);
        assertThat(store.tables(List.of(versionId)).get(versionId).table().getGeneration())
                .isEqualTo(table);

        transactions.executeWithoutResult(tx -> push.place(replicas(applicationId, app, versionId, Map.of())));
        for (LoopAgent agent : List.of(a, b, d)) {
            agent.awaitAssignments("runs nothing", s -> s.getAssignmentsCount() == 0);
        }
    }

    /** Each agent runs the set stored for it, and got the stored table as its replicas need it. */
    private void assertSentIsStored(List<LoopAgent> hosts, String app, long versionId) {
        TableRow table = store.tables(List.of(versionId)).get(versionId);
        for (LoopAgent agent : hosts) {
            SetRow row = store.set(agent.id).orElseThrow();
            assertThat(agent.assignments()).as(agent.id).isEqualTo(row.set());
            RoutingTable expected = PushDispatcher.viewFor(table.table(), row.set());
            LoopAgent.await(
                    agent.id + " has table generation " + expected.getGeneration(),
                    () -> agent.routingTable(app, "v1").getGeneration() == expected.getGeneration());
            assertThat(agent.routingTable(app, "v1")).as(agent.id).isEqualTo(expected);
        }
    }

    @Test
    void aTableOlderThanOneSentIsNotSentAfterIt() {
        String app = LoopSupport.shop(api, "v1");
        long versionId = store.versionId(app, "v1").orElseThrow();
        long applicationId = jdbc.sql("select id from applications where name = ?")
                .param(app)
                .query(Long.class)
                .single();
        fleet("older-table", 1);
        LoopAgent a = agents.getFirst();
        transactions.executeWithoutResult(
                tx -> push.place(replicas(applicationId, app, versionId, Map.of(a.id, "r-a"))));
        transactions.executeWithoutResult(
                tx -> push.place(replicas(applicationId, app, versionId, Map.of(a.id, "r-a2"))));
        a.awaitAssignments(
                "runs its second replica",
                s -> s.getAssignments(0).getAssignmentId().equals("r-a2"));
        TableRow current = store.tables(List.of(versionId)).get(versionId);
        long generation = current.table().getGeneration();
        assertThat(generation).isEqualTo(2);
        LoopAgent.await("table sent", () -> {
            RoutingTable sent = a.routingTable(app, "v1"); // null until the first one arrives
            return sent != null && sent.getGeneration() == generation;
        });
        int mark = a.received().size();

        // a batch committed earlier but dispatched late, with the previous generation of the table
        RoutingTable stale = RoutingTable.newBuilder()
                .setApplication(app)
                .setVersion("v1")
                .setGeneration(generation - 1)
                .addRoutes(Route.newBuilder()
                        .setComponent("db")
                        .addEndpoints(Endpoint.newBuilder().setAddress("stale.test:7000")))
                .build();
        dispatcher.deliver(new PushBatch(
                Set.of(),
                Set.of(versionId),
                Set.of(),
                false,
                new PushBatch.Written(
                        Map.of(),
                        Map.of(versionId, new TableRow(versionId, stale, Set.of(a.id), Set.of(), List.of())),
                        Map.of(),
                        true)));
        // then one read back from the database (as from another node): the current generation again
        dispatcher.deliver(new PushBatch(Set.of(), Set.of(versionId), Set.of()));
        LoopAgent.await(
                "the current table sent again",
                () -> since(a, mark, ControlMessage.BodyCase.ROUTING_TABLE).size() == 1);
        assertThat(since(a, mark, ControlMessage.BodyCase.ROUTING_TABLE))
                .extracting(m -> m.getRoutingTable().getGeneration())
                .containsExactly(generation);

        transactions.executeWithoutResult(tx -> push.place(replicas(applicationId, app, versionId, Map.of())));
        a.awaitAssignments("runs nothing", s -> s.getAssignmentsCount() == 0);
    }

    @Test
    void writtenBatchesMergeToTheNewestAndForgetWhatTheyWroteWhenMergedWithAnotherNodes() {
        PushBatch.Written older = new PushBatch.Written(Map.of("x", set(2), "y", set(5)), Map.of(), Map.of(), true);
        PushBatch.Written newer = new PushBatch.Written(Map.of("x", set(3), "y", set(4)), Map.of(), Map.of(), true);
        PushBatch.Written merged = older.plus(newer);
        assertThat(merged.sets().get("x").getGeneration()).isEqualTo(3);
        assertThat(merged.sets().get("y").getGeneration()).isEqualTo(5);
        assertThat(merged.local()).isTrue();
        assertThat(older.plus(PushBatch.Written.NONE)).isEqualTo(PushBatch.Written.NONE);
        assertThat(PushBatch.Written.NONE.plus(newer)).isEqualTo(PushBatch.Written.NONE);
    }
}
