package dev.weft.bench.loadgen;

import dev.weft.api.agent.v1.ComponentLoad;
import dev.weft.api.agent.v1.EdgeLoad;
import dev.weft.api.agent.v1.LoadReport;

/** The simulated application: components c00..cNN, edge i from caller(i) to callee(i), and one report's figures. */
final class LoadShape {

    private LoadShape() {}

    static String component(int i) {
        return String.format("c%02d", i);
    }

    static int caller(int edge, int components) {
        return edge % components;
    }

    /** Edge i goes from c(i mod n) to the (1 + i div n)-th next component: distinct edges, no self-calls. */
    static int callee(int edge, int components) {
        return (caller(edge, components) + 1 + edge / components) % components;
    }

    /** A report template for one agent; the ticker fills in sequence, time and interval. */
    static LoadReport template(String application, String version, int components, int edges, int agent) {
        LoadReport.Builder report = LoadReport.newBuilder();
        double scale = 1 + (agent % 10) / 10.0;
        for (int i = 0; i < components; i++) {
            report.addComponents(ComponentLoad.newBuilder()
                    .setApplication(application)
                    .setVersion(version)
                    .setComponent(component(i))
                    .setCpuCores(0.05 * scale)
                    .setMemoryMib(200 + i)
                    .setRequestsPerSecond(50 * scale)
                    .setErrorsPerSecond(0.01 * scale)
                    .setInFlight(2));
        }
        for (int i = 0; i < edges; i++) {
            report.addEdges(EdgeLoad.newBuilder()
                    .setApplication(application)
                    .setCallerVersion(version)
                    .setCalleeVersion(version)
                    .setCaller(component(caller(i, components)))
                    .setCallee(component(callee(i, components)))
                    .setCallsPerSecond(25 * scale)
                    .setBytesPerSecond(25 * 2048 * scale)
                    .setLatencyP50Ms(1.5)
                    .setLatencyP99Ms(8 * scale)
                    .setErrorsPerSecond(0));
        }
        return report.build();
    }
}
