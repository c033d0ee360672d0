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
            out().println();
            groups(plan.path("groups"));
            if (!plan.path("unplaced").isEmpty()) {
                out().println();
                Output.table(
                        out(), plan.path("unplaced"), List.of(col("UNPLACED", "/subject"), col("WHY", "/message")));
            }
            return Weft.OK;
        }

        /** Groups as a table: name, replicas, the agents of their replicas, components. */
        void groups(JsonNode planned) {
            List<Map<String, String>> groups = new ArrayList<>();
            for (JsonNode group : planned) {
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
            Output.table(
                    out(),
                    Api.JSON.valueToTree(groups),
                    List.of(
                            col("GROUP", "/group"),
                            col("REPLICAS", "/replicas"),
                            col("AGENTS", "/agents"),
                            col("COMPONENTS", "/components")));
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
            JsonNode diff = api().get(base() + "/plans/" + from + "/diff/" + to);
            if (json()) {
                Output.json(out(), diff);
                return Weft.OK;
            }
            JsonNode counts = diff.path("diff");
            out().println("generation " + from + " -> " + to + ": moved "
                    + counts.path("moved").asString("0")
                    + ", added " + counts.path("added").asString("0") + ", removed "
                    + counts.path("removed").asString("0") + ", unchanged "
                    + counts.path("unchanged").asString("0")
                    + ", restarted " + counts.path("restarted").asString("0"));
            out().println("cost per hour: " + diff.path("fromCostPerHour").asString("-") + " -> "
                    + diff.path("toCostPerHour").asString("-"));
            if (!counts.path("regrouped").isEmpty()) {
                out().println("regrouped: " + Output.text(counts.path("regrouped")));
            }
            if (!counts.path("moves").isEmpty()) {
                Output.table(
                        out(),
                        counts.path("moves"),
                        List.of(col("GROUP", "/group"), col("FROM", "/from"), col("TO", "/to")));
            }
            return Weft.OK;
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
                if (field.getValue().isValueNode()) {
                    out().println(field.getKey() + ": " + field.getValue().asString());
                }
            }
            out().println("baselines: " + Output.text(preview.path("baselines")));
            out().println("moves: " + Output.text(preview.path("diff")));
            out().println();
            groups(preview.path("groups"));
            return Weft.OK;
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
