package dev.weft.scheduler.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.load.LoadSink.Admission;
import dev.weft.scheduler.registry.Registry;
import dev.weft.scheduler.registry.Registry.RegisteredVersion;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The database stops accepting writes (another session holds a lock on the load table): agents are
 * still answered at once, told to coalesce and then to slow down, memory stays under its bound, and
 * what was kept is all written once the lock is gone.
 */
@LoadIngestionTest
class LoadBackpressureTest {

    @LocalServerPort
    int port;

    @Autowired
    LoadSink sink;

    @Autowired
    BufferedLoadSink buffer;

    @Autowired
    LoadWriter writer;

    @Autowired
    LoadProperties properties;

    @Autowired
    Registry registry;

    @Autowired
    MutableClock clock;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    MeterRegistry meters;

    @Autowired
    LoadQueries queries;

    @Test
    void aBlockedWriterMakesOffersCoalesceThenSlowDownWithoutBlockingAndAllKeptLoadIsWrittenAfterwards()
            throws Exception {
        HttpApi api = new HttpApi(port);
        clock.set(Instant.parse("2030-04-01T00:00:00Z"));
        writer.flush(true);
        assertThat(buffer.pendingEntries()).isZero();
        RegisteredVersion version =
                LoadTestSupport.register(api, registry, LoadTestSupport.newApplication(api), "v1", 20, 40);
        int perReport = LoadReports.samples(version);
        // one quick write first, so the writer's health reflects this test and not an earlier one
        sink.offer(LoadReports.fullReport("agent-0", version, clock.instant(), 1));
        assertThat(writer.flush(true)).isEqualTo(perReport);
        clock.advance(Duration.ofSeconds(10));
        double droppedBefore = counter("weft.load.samples.dropped");
        double slowDownsBefore = counter("weft.load.slowdowns");
        double coalescedBefore = counter("weft.load.reports.coalesced");

        List<Admission> admissions = new ArrayList<>();
        long droppedInReceipts = 0;
        long slowestOfferNanos = 0;
        int maxPending = 0;
        int offered = 0;
        CompletableFuture<Integer> blockedFlush;
        try (Connection lock = dataSource.getConnection()) {
            lock.setAutoCommit(false);
            try (Statement statement = lock.createStatement()) {
                statement.execute("lock table component_load in exclusive mode");
            }
            admissions.add(sink.offer(LoadReports.fullReport("agent-0", version, clock.instant(), 1))
                    .admission());
            offered++;
            blockedFlush = CompletableFuture.supplyAsync(() -> writer.flush(true));
            awaitWriterWaitingOnLock();

            // each round opens a new bucket: 60 new entries per report, 40 rounds would need 2,400 > 2,000
            for (int round = 1; round <= 40; round++) {
                clock.advance(Duration.ofSeconds(10));
                for (int agent = 0; agent < 3; agent++) {
                    long started = System.nanoTime();
                    LoadSink.Receipt receipt =
                            sink.offer(LoadReports.fullReport("agent-" + agent, version, clock.instant(), 1));
                    admissions.add(receipt.admission());
                    droppedInReceipts += receipt.droppedSamples();
                    slowestOfferNanos = Math.max(slowestOfferNanos, System.nanoTime() - started);
                    offered++;
                    maxPending = Math.max(maxPending, buffer.pendingEntries());
                }
                Thread.sleep(10); // keep the writer blocked well past any one offer's allowance
            }
            assertThat(blockedFlush)
                    .as("the writer is still blocked by the lock")
                    .isNotDone();
            lock.rollback();
        }

        assertThat(slowestOfferNanos)
                .as("no offer waits for the database")
                .isLessThan(TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(maxPending).as("memory bound").isLessThanOrEqualTo(properties.maxPendingEntries());
        assertThat(admissions.getFirst()).isEqualTo(Admission.ACCEPTED);
        assertThat(admissions).contains(Admission.COALESCED);
        assertThat(admissions.getLast()).isEqualTo(Admission.SLOW_DOWN);
        assertThat(Set.copyOf(admissions)).isEqualTo(EnumSet.allOf(Admission.class));
        double dropped = counter("weft.load.samples.dropped") - droppedBefore;
        assertThat(dropped)
                .as("samples past the hard bound are dropped and counted")
                .isPositive();
        assertThat((double) droppedInReceipts)
                .as("each receipt says how many of its samples were dropped")
                .isEqualTo(dropped);
        assertThat(counter("weft.load.slowdowns") - slowDownsBefore)
                .isEqualTo(admissions.stream()
                        .filter(a -> a == Admission.SLOW_DOWN)
                        .count());
        assertThat(counter("weft.load.reports.coalesced") - coalescedBefore)
                .isEqualTo(admissions.stream()
                        .filter(a -> a == Admission.COALESCED)
                        .count());

        assertThat(blockedFlush.get(10, TimeUnit.SECONDS)).isEqualTo(perReport);
        writer.flush(true);
        assertThat(buffer.pendingEntries()).isZero();
        long stored = jdbc.sql("""
                select (select coalesce(sum(samples), 0) from component_load where version_id = ?)
                     + (select coalesce(sum(samples), 0) from edge_load where version_id = ?)""")
                .params(version.id(), version.id())
                .query(Long.class)
                .single();
        assertThat(stored)
                .as("every sample kept in memory reached the database")
                .isEqualTo((long) (offered + 1) * perReport - (long) dropped);
    }

    @ParameterizedTest(name = "the writer dies waiting for {0}")
    @ValueSource(strings = {"component_load", "edge_load"})
    void aFlushWhoseConnectionDiesPutsItsEntriesBackAndTheNextFlushWritesThemOnce(String lockedTable) throws Exception {
        HttpApi api = new HttpApi(port);
        Instant start =
                Instant.parse(lockedTable.equals("edge_load") ? "2030-04-03T00:00:00Z" : "2030-04-02T00:00:00Z");
        clock.set(start);
        writer.flush(true);
        RegisteredVersion version =
                LoadTestSupport.register(api, registry, LoadTestSupport.newApplication(api), "v1", 20, 40);
        for (int agent = 0; agent < 3; agent++) {
            sink.offer(LoadReports.fullReport("agent-" + agent, version, clock.instant(), 1));
        }
        double failuresBefore = counter("weft.load.write.failures");

        CompletableFuture<Integer> doomed;
        try (Connection lock = dataSource.getConnection()) {
            lock.setAutoCommit(false);
            try (Statement statement = lock.createStatement()) {
                // edge_load: the component rows are already merged in the writer's transaction when it dies
                statement.execute("lock table " + lockedTable + " in exclusive mode");
            }
            doomed = CompletableFuture.supplyAsync(() -> writer.flush(true));
            awaitWriterWaitingOnLock();
            // the database goes away under the writer, in the middle of its transaction
            jdbc.sql("select pg_terminate_backend(pid) from pg_stat_activity where wait_event_type = 'Lock'")
                    .query(Boolean.class)
                    .list();
            assertThat(doomed.get(10, TimeUnit.SECONDS))
                    .as("nothing was written")
                    .isZero();
            // more load arrives for the same buckets while the failed entries are back in memory
            sink.offer(LoadReports.fullReport("agent-3", version, clock.instant(), 1));
            lock.rollback();
        }

        assertThat(counter("weft.load.write.failures") - failuresBefore).isEqualTo(1);
        assertThat(buffer.pendingEntries()).isEqualTo(LoadReports.samples(version));
        assertThat(writer.flush(true)).isEqualTo(LoadReports.samples(version));
        var load = queries.window(version.id(), start, start.plusSeconds(10));
        assertThat(load.components()).allSatisfy(c -> assertThat(c.samples()).isEqualTo(4));
        assertThat(load.edges()).allSatisfy(e -> assertThat(e.samples()).isEqualTo(4));
    }

    private void awaitWriterWaitingOnLock() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (jdbc.sql("select count(*) from pg_stat_activity where wait_event_type = 'Lock'")
                        .query(Long.class)
                        .single()
                == 0) {
            assertThat(System.nanoTime())
                    .as("the writer should be waiting for the lock")
                    .isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    private double counter(String name) {
        return meters.get(name).counter().count();
    }
}
