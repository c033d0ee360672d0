package dev.weft.cli;

import static dev.weft.cli.Output.col;

import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code weft agents list|get|cordon|uncordon|drain|revoke}. */
@Command(
        name = "agents",
        description = "The agents that run replicas",
        subcommands = {
            AgentCommands.ListAgents.class,
            AgentCommands.Get.class,
            AgentCommands.Cordon.class,
            AgentCommands.Uncordon.class,
            AgentCommands.Drain.class,
            AgentCommands.Revoke.class
        })
final class AgentCommands {

    @Command(name = "list", description = "Agents by id")
    static final class ListAgents extends Leaf {
        @Option(names = "--state", description = "connected, disconnected, lost, released or revoked")
        @Nullable
        String state;

        @Override
        int run() {
            JsonNode page = api().get("/api/v1/agents?size=500" + (state == null ? "" : "&state=" + Api.seg(state)));
            return list(
                    page,
                    page.path("items"),
                    List.of(
                            col("ID", "/id"),
                            col("STATE", "/state"),
                            col("CORDONED", "/cordoned"),
                            col("DRAINING", "/draining"),
                            col("ZONE", "/zone"),
                            col("CPU", "/usage/cpuMillis"),
                            col("OF", "/capacity/cpuMillis"),
                            col("MEM", "/usage/memoryMiB"),
                            col("OF", "/capacity/memoryMiB"),
                            col("LABELS", "/labels"),
                            col("HEARTBEAT", "/lastHeartbeatAt")));
        }
    }

    @Command(name = "get", description = "One agent, with its assignments")
    static final class Get extends Leaf {
        @Parameters(paramLabel = "ID")
        String id = "";

        @Override
        int run() {
            return show(api().get("/api/v1/agents/" + Api.seg(id)));
        }
    }

    /** An operator action on one agent: {@code POST /api/v1/agents/{id}/<action>}. */
    abstract static class Action extends Leaf {
        @Parameters(paramLabel = "ID")
        String id = "";

        abstract String action();

        @Override
        int run() {
            JsonNode agent = api().post("/api/v1/agents/" + Api.seg(id) + "/" + action(), null);
            if (json()) {
                Output.json(out(), agent);
            } else {
                out().println(action() + " " + id + ": state "
                        + agent.path("state").asString() + ", cordoned "
                        + agent.path("cordoned").asString() + ", draining "
                        + agent.path("draining").asString());
            }
            return Weft.OK;
        }
    }

    @Command(name = "cordon", description = "No new replicas on it; it keeps the ones it has")
    static final class Cordon extends Action {
        @Override
        String action() {
            return "cordon";
        }
    }

    @Command(name = "uncordon", description = "Back in service (also ends a drain)")
    static final class Uncordon extends Action {
        @Override
        String action() {
            return "uncordon";
        }
    }

    @Command(name = "drain", description = "Move its replicas elsewhere, then release it")
    static final class Drain extends Action {
        @Override
        String action() {
            return "drain";
        }
    }

    @Command(name = "revoke", description = "End its stream and never let it connect again (admin)")
    static final class Revoke extends Action {
        @Override
        String action() {
            return "revoke";
        }
    }
}
