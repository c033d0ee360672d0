package dev.weft.cli;

import static dev.weft.cli.Output.col;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code weft version register|list|get|delete}. */
@Command(
        name = "version",
        description = "Versions of an application",
        subcommands = {
            VersionCommands.Register.class,
            VersionCommands.ListVersions.class,
            VersionCommands.Get.class,
            VersionCommands.Delete.class
        })
final class VersionCommands {

    @Command(name = "register", description = "Register a version from its spec (JSON, README \"The version spec\")")
    static final class Register extends Leaf {
        @Option(
                names = {"-a", "--app"},
                required = true,
                description = "Application")
        String app = "";

        @Option(
                names = {"-f", "--file"},
                required = true,
                description = "The version spec, a JSON file")
        Path file = Path.of("");

        @Override
        int run() {
            String body;
            try {
                body = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw usage("Cannot read the spec file " + file + ": "
                        + e.getClass().getSimpleName());
            }
            JsonNode stored = api().post(app(app) + "/versions", body);
            if (json()) {
                Output.json(out(), stored);
            } else {
                out().println("registered " + app + " " + stored.path("version").asString() + " ("
                        + stored.path("components").size() + " components, specHash "
                        + stored.path("specHash").asString() + ")");
            }
            return Weft.OK;
        }
    }

    @Command(name = "list", description = "Versions of an application, newest first")
    static final class ListVersions extends Leaf {
        @Option(
                names = {"-a", "--app"},
                required = true)
        String app = "";

        @Override
        int run() {
            JsonNode page = api().get(app(app) + "/versions?size=500");
            return list(
                    page,
                    page.path("items"),
                    List.of(
                            col("VERSION", "/version"),
                            col("COMPONENTS", "/components"),
                            col("WEIGHT", "/servingWeightBasisPoints"),
                            col("CREATED", "/createdAt")));
        }
    }

    @Command(name = "get", description = "One version's spec and deployment")
    static final class Get extends Leaf {
        @Option(
                names = {"-a", "--app"},
                required = true)
        String app = "";

        @Parameters(paramLabel = "VERSION")
        String version = "";

        @Override
        int run() {
            return show(api().get(app(app) + "/versions/" + Api.seg(version)));
        }
    }

    @Command(name = "delete", description = "Delete a version (admin)")
    static final class Delete extends Leaf {
        @Option(
                names = {"-a", "--app"},
                required = true)
        String app = "";

        @Parameters(paramLabel = "VERSION")
        String version = "";

        @Override
        int run() {
            api().delete(app(app) + "/versions/" + Api.seg(version));
            out().println("deleted " + app + " " + version);
            return Weft.OK;
        }
    }
}
