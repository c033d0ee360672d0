package dev.weft.scheduler.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Shared helpers of the registry tests: the example spec and a fingerprint of every stored row. */
final class RegistryTestSupport {

    static final List<String> TABLES = List.of(
            "applications",
            "versions",
            "components",
            "call_edges",
            "placement_constraints",
            "constraint_members",
            "traffic_splits",
            "rollouts",
            "events");

    private RegistryTestSupport() {}

    /** The online shop of examples/specs, the same file the README's walk-through registers. */
    static String exampleSpec() {
        try {
            return Files.readString(Path.of("..", "examples", "specs", "online-shop.json"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Row counts and an md5 of every row of every registry table: equal snapshots mean nothing changed. */
    static Map<String, String> snapshot(JdbcClient jdbc) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String table : TABLES) {
            out.put(
                    table,
                    jdbc.sql(
                                    "select count(*) || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') from "
                                            + table + " t")
                            .query(String.class)
                            .single());
        }
        return out;
    }
}
