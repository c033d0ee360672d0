package dev.weft.cli;

import static dev.weft.cli.Output.col;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code weft plan show|history|diff|what-if|replan}. */
@Command(
        name = "plan",
        description = "A version's colocation plan",
        subcommands = {
            PlanCommands.Show.class,
            PlanCommands.History.class,
            PlanCommands.Diff.class,
            PlanCommands.WhatIf.class,
            PlanCommands.Replan.class
        })
final class PlanCommands {

    /** The version a plan command is about. */
    abstract static class OfVersion extends Leaf {
        @Option(
                names = {"-a", "--app"},
                required = true)
        String app = "";

        @Parameters(index = "0", paramLabel = "VERSION")
        String version = "";

        String base() {
            return app(app) + "/versions/" + Api.seg(version);
        }

        /** A plan in brief: its decision and cost, then its groups with their replicas and agents. */
        int plan(JsonNode plan) {
            if (json()) {
                Output.json(out(), plan);
                return Weft.OK;
            }
            out().println("generation " + plan.path("generation").asString() + "  "
                    + plan.path("status").asString() + "  "
                    + plan.path("decision").asString() + (plan.path("active").asBoolean() ? "  (active)" : ""));
            out().println("why: " + plan.path("decisionReason").asString(""));
            out().println("score: " + Output.text(plan.path("score")));
            out().println("baselines: " + Output.text(plan.path("baselines")));
            List<Map<String, String>> groups = new ArrayList<>();
            for (JsonNode group : plan.path("groups")) {
                Map<String, String> row = new LinkedHashMap<>();
                row.put("group", group.path("name").asString());
                row.put("components", Output.text(group.path("components")));
                row.put("replicas", group.path("replicas").asString());
                List<String> agents = new ArrayList<>();
                group.path("assignments")
                        .forEach(a -> agents.add(a.path("agentId").asString()));
                row.put("agents", String.join(",", agents));
                groups.add(row);
            }
            out().println();
            Output.table(
                    out(),
                    Api.JSON.valueToTree(groups),
                    List.of(
                            col("GROUP", "/group"),
                            col("REPLICAS", "/replicas"),
                            col("AGENTS", "/agents"),
                            col("COMPONENTS", "/components")));
            if (!plan.path("unplaced").isEmpty()) {
                out().println();
                Output.table(
                        out(), plan.path("unplaced"), List.of(col("UNPLACED", "/subject"), col("WHY", "/message")));
            }
            return Weft.OK;
        }
    }

    @Command(name = "show", description = "The active plan (or one generation with --generation)")
    static final class Show extends OfVersion {
        @Option(names = "--generation")
        @Nullable
        Long generation;

        @Override
        int run() {
            return plan(api().get(base() + (generation == null ? "/plan" : "/plans/" + generation)));
        }
    }

    @Command(name = "history", description = "Every computed generation, newest first")
    static final class History extends OfVersion {
        @Override
        int run() {
            JsonNode page = api().get(base() + "/plans?size=500");
            return list(
                    page,
                    page.path("items"),
                    List.of(
                            col("GENERATION", "/generation"),
                            col("STATUS", "/status"),
                            col("DECISION", "/decision"),
                            col("APPLIED", "/applied"),
                            col("CREATED", "/createdAt"),
                            col("REASON", "/decisionReason")));
        }
    }

    @Command(name = "diff", description = "What changed between two generations")
    static final class Diff extends OfVersion {
        @Parameters(index = "1", paramLabel = "FROM")
        long from;

        @Parameters(index = "2", paramLabel = "TO")
        long to;

        @Override
        int run() {
            return show(api().get(base() + "/plans/" + from + "/diff/" + to));
        }
    }

    @Command(name = "what-if", description = "Plan under other load or agents, applying nothing")
    static final class WhatIf extends OfVersion {
        @Option(names = "--load-factor", description = "Multiply every component's load by this")
        @Nullable
        Double loadFactor;

        @Option(names = "--remove-agent", description = "Plan as if this agent were gone (repeatable)")
        List<String> removeAgents = new ArrayList<>();

        @Override
        int run() {
            Map<String, Object> body = new LinkedHashMap<>();
            if (loadFactor != null) {
                body.put("loadFactor", loadFactor);
            }
            if (!removeAgents.isEmpty()) {
                body.put("removeAgents", removeAgents);
            }
            JsonNode preview = api().post(base() + "/plan/preview", Api.JSON.writeValueAsString(body));
            if (json()) {
                Output.json(out(), preview);
                return Weft.OK;
            }
            for (var field : preview.properties()) {
                if (!field.getValue().isObject() || !field.getValue().has("groups")) {
                    out().println(field.getKey() + ": " + Output.text(field.getValue()));
                }
            }
            JsonNode plan = preview.path("plan");
            return plan.isObject() ? plan(plan) : Weft.OK;
        }
    }

    @Command(name = "replan", description = "Plan the deployed version now")
    static final class Replan extends OfVersion {
        @Override
        int run() {
            return show(api().post(base() + "/plan/replan", null));
        }
    }
}
