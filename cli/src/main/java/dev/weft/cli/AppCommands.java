package dev.weft.cli;

import static dev.weft.cli.Output.col;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code weft apps list|create|get|delete}. */
@Command(
        name = "apps",
        description = "Applications",
        subcommands = {
            AppCommands.ListApps.class,
            AppCommands.Create.class,
            AppCommands.Get.class,
            AppCommands.Delete.class
        })
final class AppCommands {

    @Command(name = "list", description = "List applications by name")
    static final class ListApps extends Leaf {
        @Override
        int run() {
            JsonNode page = api().get("/api/v1/applications?size=500");
            return list(
                    page,
                    page.path("items"),
                    List.of(col("NAME", "/name"), col("VERSIONS", "/versions"), col("CREATED", "/createdAt")));
        }
    }

    @Command(name = "create", description = "Create an application")
    static final class Create extends Leaf {
        @Parameters(paramLabel = "NAME")
        String name = "";

        @Override
        int run() {
            return show(api().post("/api/v1/applications", Api.JSON.writeValueAsString(Map.of("name", name))));
        }
    }

    @Command(name = "get", description = "One application")
    static final class Get extends Leaf {
        @Parameters(paramLabel = "NAME")
        String name = "";

        @Override
        int run() {
            return show(api().get(app(name)));
        }
    }

    @Command(name = "delete", description = "Delete an application and all its versions (admin)")
    static final class Delete extends Leaf {
        @Parameters(paramLabel = "NAME")
        String name = "";

        @Override
        int run() {
            api().delete(app(name));
            out().println("deleted application " + name);
            return Weft.OK;
        }
    }
}
