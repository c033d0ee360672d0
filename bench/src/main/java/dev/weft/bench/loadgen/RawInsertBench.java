package dev.weft.bench.loadgen;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.postgresql.PGConnection;

/**
 * This machine's raw PostgreSQL insert rate, to compare the ingestion path with: plain JDBC batches,
 * batches rewritten into multi-row inserts, COPY, and the two ways of merging into the real
 * {@code component_load} table (the writer's batched delete-safe upsert, and COPY into a temporary
 * table merged with one statement). Rows are shaped like {@code component_load}; the server is the one
 * the control plane uses. The upsert variants need the {@code loadgen} application registered (run the
 * load generator once first) and delete what they wrote.
 *
 * <pre>java -cp ... dev.weft.bench.loadgen.RawInsertBench [--jdbc URL] [--rows 200000] [--batch 1000]</pre>
 */
public final class RawInsertBench {

    /** The same statement as the scheduler's LoadWriter, so the comparison is with the real path. */
    private static final String UPSERT = """
            insert into component_load (version_id, component_id, bucket_start, bucket_seconds, samples,
                                        cpu_core_seconds, memory_mib_max, requests, errors, in_flight_max)
            select ?, ?, ?::timestamptz, ?, ?, ?, ?, ?, ?, ?
            where exists (select 1 from components c where c.version_id = ? and c.id = ?)
            on conflict (version_id, component_id, bucket_start) do update set
                samples = component_load.samples + excluded.samples,
                cpu_core_seconds = component_load.cpu_core_seconds + excluded.cpu_core_seconds,
                memory_mib_max = greatest(component_load.memory_mib_max, excluded.memory_mib_max),
                requests = component_load.requests + excluded.requests,
                errors = component_load.errors + excluded.errors,
                in_flight_max = greatest(component_load.in_flight_max, excluded.in_flight_max)""";

    private static final String MERGE_FROM_STAGE = """
            insert into component_load (version_id, component_id, bucket_start, bucket_seconds, samples,
                                        cpu_core_seconds, memory_mib_max, requests, errors, in_flight_max)
            select s.* from load_stage s
            where exists (select 1 from components c where c.version_id = s.version_id and c.id = s.component_id)
            on conflict (version_id, component_id, bucket_start) do update set
                samples = component_load.samples + excluded.samples,
                cpu_core_seconds = component_load.cpu_core_seconds + excluded.cpu_core_seconds,
                memory_mib_max = greatest(component_load.memory_mib_max, excluded.memory_mib_max),
                requests = component_load.requests + excluded.requests,
                errors = component_load.errors + excluded.errors,
                in_flight_max = greatest(component_load.in_flight_max, excluded.in_flight_max)""";

    private static final String PLAIN_INSERT = """
            insert into bench_load (version_id, component_id, bucket_start, bucket_seconds, samples,
                                    cpu_core_seconds, memory_mib_max, requests, errors, in_flight_max)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private RawInsertBench() {}

    public static void main(String[] args) throws Exception {
        String jdbcFlag = "jdbc:postgresql://127.0.0.1:54329/postgres?user=postgres";
        int rowsFlag = 200_000;
        int batchFlag = 1_000;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--jdbc" -> jdbcFlag = args[i + 1];
                case "--rows" -> rowsFlag = Integer.parseInt(args[i + 1]);
                case "--batch" -> batchFlag = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown flag " + args[i]);
            }
        }
        String jdbc = jdbcFlag;
        int rows = rowsFlag;
        int batch = batchFlag;
        System.out.printf(
                Locale.ROOT,
                "raw PostgreSQL insert rate, %d rows per variant, %d rows per batch/statement, one "
                        + "transaction per 10 batches, JDK %s%n%n",
                rows,
                batch,
                Runtime.version());
        System.out.println("| variant | rows/s | ms per 1,000 rows |");
        System.out.println("|---|---:|---:|");
        try (Connection c = DriverManager.getConnection(jdbc)) {
            System.out.println("<!-- server: " + single(c, "select version()") + " -->");
            try (Statement s = c.createStatement()) {
                s.execute("drop table if exists bench_load");
                s.execute(
                        "create table bench_load (like component_load including defaults including constraints including indexes)");
            }
            measure(
                    "JDBC batch insert (one statement per row in a batch)",
                    rows,
                    () -> plain(c, rowsFor(rows, 0, 0), batch));
            truncate(c);
            measure(
                    "COPY FROM STDIN (CopyManager)",
                    rows,
                    () -> copy(c, "bench_load", rowsFor(rows, 0, 0), batch * 10));
            truncate(c);
            long[] version = loadgenVersion(c);
            if (version.length == 0) {
                System.out.println("| (upsert variants skipped: register the loadgen application first) | | |");
            } else {
                measure(
                        "writer's upsert into component_load (JDBC batch, where exists, on conflict add)",
                        rows,
                        () -> upsert(c, rowsFor(rows, version[0], version[1]), batch));
                cleanup(c, version[0]);
                measure(
                        "COPY into temp table + one merge statement into component_load",
                        rows,
                        () -> copyMerge(c, rowsFor(rows, version[0], version[1]), batch * 10));
                cleanup(c, version[0]);
            }
            try (Statement s = c.createStatement()) {
                s.execute("drop table bench_load");
            }
        }
        try (Connection rewritten = DriverManager.getConnection(jdbc + "&reWriteBatchedInserts=true")) {
            try (Statement s = rewritten.createStatement()) {
                s.execute(
                        "create table bench_load (like component_load including defaults including constraints including indexes)");
            }
            measure(
                    "JDBC batch insert, reWriteBatchedInserts=true (multi-row VALUES)",
                    rows,
                    () -> plain(rewritten, rowsFor(rows, 0, 0), batch));
            try (Statement s = rewritten.createStatement()) {
                s.execute("drop table bench_load");
            }
        }
    }

    /** Rows of one version: 20 components x as many 10 s buckets as needed, in the far future so nothing collides. */
    private static List<Object[]> rowsFor(int count, long versionId, long firstComponentId) {
        List<Object[]> out = new ArrayList<>(count);
        Instant start = Instant.parse("2099-01-01T00:00:00Z");
        for (int i = 0; i < count; i++) {
            long component = firstComponentId == 0 ? i % 20 : firstComponentId + (i % 20);
            out.add(new Object[] {
                versionId,
                component,
                Timestamp.from(start.plusSeconds(10L * (i / 20))),
                10,
                3,
                0.5 * i,
                128.0,
                10.0 * i,
                0.1,
                2.0
            });
        }
        return out;
    }

    /** The loadgen version's id and its first component id (components are numbered consecutively by the registry). */
    private static long[] loadgenVersion(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                select v.id, min(co.id), count(*), max(co.id) - min(co.id) from versions v
                join applications a on a.id = v.application_id join components co on co.version_id = v.id
                where a.name = 'loadgen' and v.name = 'v1' group by v.id""");
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next() || rs.getLong(3) != 20 || rs.getLong(4) != 19) {
                return new long[0];
            }
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    private static void plain(Connection c, List<Object[]> rows, int batch) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement(PLAIN_INSERT)) {
            int n = 0;
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    ps.setObject(i + 1, row[i]);
                }
                ps.addBatch();
                if (++n % batch == 0) {
                    ps.executeBatch();
                    if (n % (batch * 10) == 0) {
                        c.commit();
                    }
                }
            }
            ps.executeBatch();
            c.commit();
        }
        c.setAutoCommit(true);
    }

    private static void upsert(Connection c, List<Object[]> rows, int batch) throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement(UPSERT)) {
            int n = 0;
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    ps.setObject(i + 1, row[i]);
                }
                ps.setObject(11, row[0]);
                ps.setObject(12, row[1]);
                ps.addBatch();
                if (++n % batch == 0) {
                    ps.executeBatch();
                    if (n % (batch * 10) == 0) {
                        c.commit();
                    }
                }
            }
            ps.executeBatch();
            c.commit();
        }
        c.setAutoCommit(true);
    }

    private static void copy(Connection c, String table, List<Object[]> rows, int perCopy) throws Exception {
        var copier = c.unwrap(PGConnection.class).getCopyAPI();
        for (int from = 0; from < rows.size(); from += perCopy) {
            copier.copyIn(
                    "copy " + table + " from stdin (format csv)",
                    new StringReader(csv(rows.subList(from, Math.min(rows.size(), from + perCopy)))));
        }
    }

    private static void copyMerge(Connection c, List<Object[]> rows, int perCopy) throws Exception {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("create temp table if not exists load_stage (like component_load) on commit delete rows");
        }
        var copier = c.unwrap(PGConnection.class).getCopyAPI();
        for (int from = 0; from < rows.size(); from += perCopy) {
            copier.copyIn(
                    "copy load_stage from stdin (format csv)",
                    new StringReader(csv(rows.subList(from, Math.min(rows.size(), from + perCopy)))));
            try (Statement s = c.createStatement()) {
                s.executeUpdate(MERGE_FROM_STAGE);
            }
            c.commit();
        }
        c.setAutoCommit(true);
    }

    private static String csv(List<Object[]> rows) {
        StringBuilder out = new StringBuilder(rows.size() * 96);
        for (Object[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    out.append(',');
                }
                out.append(row[i] instanceof Timestamp t ? t.toInstant().toString() : row[i]);
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static void truncate(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("truncate bench_load");
        }
    }

    private static void cleanup(Connection c, long versionId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "delete from component_load where version_id = ? and bucket_start >= '2099-01-01'")) {
            ps.setLong(1, versionId);
            ps.executeUpdate();
        }
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void measure(String name, int rows, Work work) throws Exception {
        long start = System.nanoTime();
        work.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                Locale.ROOT, "| %s | %,.0f | %.2f |%n", name, rows / seconds, seconds * 1000 / (rows / 1000.0));
    }

    @FunctionalInterface
    private interface Work {
        void run() throws Exception;
    }
}
