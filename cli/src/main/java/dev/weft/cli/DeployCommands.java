package dev.weft.cli;

import static dev.weft.cli.Output.col;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code weft deploy}, {@code weft undeploy}, {@code weft deployments}. */
final class DeployCommands {

    private DeployCommands() {}

    @Command(name = "deploy", description = "Deploy an application's first version (later ones: weft rollout start)")
    static final class Deploy extends Leaf {
        @Option(
                names = {"-a", "--app"},
                required = true)
        String app = "";

        @Parameters(paramLabel = "VERSION")
        String version = "";

        @Override
        int run() {
            return show(api().post(app(app) + "/deployments", Api.JSON.writeValueAsString(Map.of("version", version))));
        }
    }

    @Command(name = "undeploy", description = "Take a version's traffic away, then stop its replicas")
    static final class Undeploy extends Leaf {
        @Option(
                names = {"-a", "--app"},
                required = true)
        String app = "";

        @Parameters(paramLabel = "VERSION")
        String version = "";

        @Override
        int run() {
            return show(api().delete(app(app) + "/deployments/" + Api.seg(version)));
        }
    }

    @Command(name = "deployments", description = "What is deployed, and the traffic split")
    static final class Deployments extends Leaf {
        @Option(
                names = {"-a", "--app"},
                required = true)
        String app = "";

        @Override
        int run() {
            JsonNode answer = api().get(app(app) + "/deployments");
            int code = list(
                    answer,
                    answer.path("items"),
                    List.of(
                            col("VERSION", "/version"),
                            col("STATE", "/state"),
                            col("WEIGHT", "/weightBasisPoints"),
                            col("WANTED", "/replicasWanted"),
                            col("RUNNING", "/replicasRunning"),
                            col("REASON", "/reason")));
            if (!json()) {
                out().println();
                Output.table(
                        out(),
                        answer.path("trafficSplit"),
                        List.of(col("SPLIT VERSION", "/version"), col("BASIS POINTS", "/basisPoints")));
            }
            return code;
        }
    }
}
