package dev.weft.scheduler.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.registry.Registry;
import dev.weft.scheduler.registry.Registry.RegisteredVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Registers versions through the REST API, the way an operator would, and returns their ids. */
final class LoadTestSupport {

    private LoadTestSupport() {}

    static String newApplication(HttpApi api) {
        String app = "load-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(api.post("/api/v1/applications", HttpApi.json(Map.of("name", app)))
                        .status())
                .isEqualTo(201);
        return app;
    }

    /** A version of {@code components} components c0..cN-1 and edges ci -> c(i+1), then ci -> c(i+2), ... */
    static RegisteredVersion register(
            HttpApi api, Registry registry, String app, String version, int components, int edges) {
        List<Map<String, Object>> componentSpecs = new ArrayList<>();
        for (int i = 0; i < components; i++) {
            componentSpecs.add(Map.of("name", "c" + i, "cpuMillis", 100, "memoryMiB", 64));
        }
        List<Map<String, Object>> edgeSpecs = new ArrayList<>();
        for (int i = 0; i < edges; i++) {
            int caller = i % components;
            int callee = (caller + 1 + i / components) % components;
            edgeSpecs.add(Map.of("caller", "c" + caller, "callee", "c" + callee));
        }
        var response = api.post(
                "/api/v1/applications/" + app + "/versions",
                HttpApi.json(Map.of(
                        "version",
                        version,
                        "artifact",
                        "file:///tmp/" + app + ".jar",
                        "components",
                        componentSpecs,
                        "edges",
                        edgeSpecs)));
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return registry.version(app, version).orElseThrow();
    }

    static long id(RegisteredVersion version, String component) {
        return version.component(component).orElseThrow().id();
    }
}
