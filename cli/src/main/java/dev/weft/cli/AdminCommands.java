package dev.weft.cli;

import static dev.weft.cli.Output.col;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code weft events}, {@code weft tokens create|list|revoke}, {@code weft whoami}. */
final class AdminCommands {

    private AdminCommands() {}

    @Command(name = "events", description = "The audit log, newest first: who did what")
    static final class Events extends Leaf {
        @Option(names = {"-a", "--app"})
        @Nullable
        String app;

        @Option(names = "--size", description = "How many (1..500, default 50)")
        int size = 50;

        @Override
        int run() {
            JsonNode page =
                    api().get("/api/v1/events?size=" + size + (app == null ? "" : "&application=" + Api.seg(app)));
            return list(
                    page,
                    page.path("items"),
                    List.of(
                            col("ID", "/id"),
                            col("AT", "/occurredAt"),
                            col("ACTOR", "/actor"),
                            col("KIND", "/kind"),
                            col("MESSAGE", "/message")));
        }
    }

    @Command(
            name = "tokens",
            description = "Operator API tokens (admin)",
            subcommands = {Tokens.Create.class, Tokens.ListTokens.class, Tokens.Revoke.class})
    static final class Tokens {

        @Command(name = "create", description = "Issue a token; its secret is printed once")
        static final class Create extends Leaf {
            @Parameters(paramLabel = "NAME")
            String name = "";

            @Option(names = "--role", required = true, description = "viewer, operator or admin")
            String role = "";

            @Option(names = "--expires-in-days")
            @Nullable
            Integer days;

            @Override
            int run() {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("name", name);
                body.put("role", role);
                if (days != null) {
                    body.put("expiresInDays", days);
                }
                JsonNode issued = api().post("/api/v1/tokens", Api.JSON.writeValueAsString(body));
                if (json()) {
                    Output.json(out(), issued);
                } else {
                    out().println("token " + issued.path("name").asString() + " ("
                            + issued.path("role").asString()
                            + "), id " + issued.path("id").asString() + ", expires "
                            + issued.path("expiresAt").asString());
                    out().println(issued.path("token").asString());
                    root().err.println("weft: this is the only time the token is shown; keep it");
                }
                return Weft.OK;
            }
        }

        @Command(name = "list", description = "Tokens, without their secrets")
        static final class ListTokens extends Leaf {
            @Override
            int run() {
                JsonNode answer = api().get("/api/v1/tokens");
                return list(
                        answer,
                        answer.path("items"),
                        List.of(
                                col("ID", "/id"),
                                col("NAME", "/name"),
                                col("ROLE", "/role"),
                                col("HINT", "/hint"),
                                col("STATE", "/state"),
                                col("EXPIRES", "/expiresAt"),
                                col("LAST USED", "/lastUsedAt")));
            }
        }

        @Command(name = "revoke", description = "Revoke a token at once")
        static final class Revoke extends Leaf {
            @Parameters(paramLabel = "ID")
            long id;

            @Override
            int run() {
                return show(api().delete("/api/v1/tokens/" + id));
            }
        }
    }

    @Command(name = "whoami", description = "Who the token belongs to and its role")
    static final class WhoAmI extends Leaf {
        @Override
        int run() {
            JsonNode me = api().get("/api/v1/me");
            if (json()) {
                Output.json(out(), me);
            } else {
                out().println(me.path("name").asString() + " ("
                        + me.path("role").asString() + ")");
            }
            return Weft.OK;
        }
    }
}
