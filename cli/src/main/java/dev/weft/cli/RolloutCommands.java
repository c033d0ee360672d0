package dev.weft.cli;

import static dev.weft.cli.Output.col;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * {@code weft rollout start|list|status|pause|resume|promote|abort|rollback}, over the rollouts API
 * ({@code /api/v1/applications/{app}/rollouts}). {@code status --watch} redraws the rollout until it ends: exit 0
 * when it is DONE, 1 when it was rolled back or aborted.
 */
@Command(
        name = "rollout",
        description = "Rollouts from one version to another",
        subcommands = {
            RolloutCommands.Start.class,
            RolloutCommands.ListRollouts.class,
            RolloutCommands.Status.class,
            RolloutCommands.Pause.class,
            RolloutCommands.Resume.class,
            RolloutCommands.Promote.class,
            RolloutCommands.Abort.class,
            RolloutCommands.Rollback.class
        })
final class RolloutCommands {

    /** States a rollout never leaves; DONE is success, the others failure. */
    static final Set<String> SUCCEEDED = Set.of("DONE");

    static final Set<String> FAILED = Set.of("ROLLED_BACK", "ABORTED", "FAILED");

    static String rollouts(String app) {
        return Leaf.app(app) + "/rollouts";
    }

    @Command(name = "start", description = "Start rolling out a version")
    static final class Start extends Leaf {
        @Option(
                names = {"-a", "--app"},
                required = true)
        String app = "";

        @Option(names = "--version", required = true, description = "The version to roll out")
        String version = "";

        @Option(names = "--policy", description = "A named policy (canary, blue-green, immediate; default canary)")
        @Nullable
        String policy;

        @Option(
                names = "--policy-file",
                paramLabel = "FILE",
                description = "An inline policy, a JSON file (README \"Rollouts\": steps, gates, minRequests, ...)")
        @Nullable
        Path policyFile;

        /** The policy file's JSON object; an unreadable file or one that is not a JSON object is a usage error. */
        private JsonNode inlinePolicy(Path file) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw usage("Cannot read the policy file " + file + ": "
                        + e.getClass().getSimpleName());
            }
            JsonNode policy;
            try {
                policy = Api.JSON.readTree(text);
            } catch (JacksonException e) {
                throw usage("The policy file " + file + " is not JSON: " + e.getOriginalMessage());
            }
            if (policy == null || !policy.isObject()) {
                throw usage("The policy file " + file + " must hold a JSON object (README \"Rollouts\")");
            }
            return policy;
        }

        @Override
        int run() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("version", version);
            if (policy != null && policyFile != null) {
                throw usage("--policy and --policy-file name two policies: give one");
            }
            if (policy != null) {
                body.put("policy", policy);
            }
            if (policyFile != null) {
                body.put("policy", inlinePolicy(policyFile));
            }
            JsonNode rollout = api().post(rollouts(app), Api.JSON.writeValueAsString(body));
            if (json()) {
                Output.json(out(), rollout);
            } else {
                RolloutView.draw(out(), rollout);
            }
            return Weft.OK;
        }
    }

    @Command(name = "list", description = "An application's rollouts, newest first")
    static final class ListRollouts extends Leaf {
        @Option(
                names = {"-a", "--app"},
                required = true)
        String app = "";

        @Override
        int run() {
            JsonNode answer = api().get(rollouts(app));
            JsonNode rows = answer.isArray() ? answer : answer.path("items");
            return list(
                    answer,
                    rows,
                    List.of(
                            col("ID", "/id"),
                            col("FROM", "/from"),
                            col("TO", "/to"),
                            col("STATE", "/state"),
                            col("STEP", "/step"),
                            col("UPDATED", "/updatedAt")));
        }
    }

    @Command(name = "status", description = "A rollout's steps, weights and gates; --watch redraws until it ends")
    static final class Status extends Leaf {
        @Option(
                names = {"-a", "--app"},
                required = true)
        String app = "";

        @Parameters(paramLabel = "ID")
        String id = "";

        @Option(
                names = {"-w", "--watch"},
                description = "Redraw until the rollout ends; exit 1 if it did not succeed")
        boolean watch;

        @Option(names = "--interval", description = "How often --watch reads the rollout (default 1s)")
        Duration interval = Duration.ofSeconds(1);

        @Override
        int run() {
            Api api = api();
            String path = rollouts(app) + "/" + Api.seg(id);
            JsonNode rollout = api.get(path);
            if (!watch) {
                if (json()) {
                    Output.json(out(), rollout);
                } else {
                    RolloutView.draw(out(), rollout);
                }
                return Weft.OK;
            }
            String last = "";
            while (true) {
                String state = rollout.path("state").asString("");
                String shown = rollout.toString();
                if (!shown.equals(last)) {
                    if (json()) {
                        out().println(rollout.toString());
                    } else {
                        RolloutView.redraw(out(), rollout);
                    }
                    out().flush();
                    last = shown;
                }
                if (SUCCEEDED.contains(state)) {
                    return Weft.OK;
                }
                if (FAILED.contains(state)) {
                    root().err.println("weft: rollout " + id + " ended " + state);
                    return Weft.FAILED;
                }
                try {
                    Thread.sleep(Math.max(50, interval.toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Weft.FAILED;
                }
                rollout = api.get(path);
            }
        }
    }

    /** {@code POST .../rollouts/{id}/<action>}, answered with the rollout. */
    abstract static class Action extends Leaf {
        @Option(
                names = {"-a", "--app"},
                required = true)
        String app = "";

        @Parameters(paramLabel = "ID")
        String id = "";

        abstract String action();

        @Override
        int run() {
            JsonNode rollout = api().post(rollouts(app) + "/" + Api.seg(id) + "/" + action(), null);
            if (json()) {
                Output.json(out(), rollout);
            } else {
                RolloutView.draw(out(), rollout);
            }
            return Weft.OK;
        }
    }

    @Command(name = "pause", description = "Hold the rollout at its step")
    static final class Pause extends Action {
        @Override
        String action() {
            return "pause";
        }
    }

    @Command(name = "resume", description = "Go on from where it was paused")
    static final class Resume extends Action {
        @Override
        String action() {
            return "resume";
        }
    }

    @Command(name = "promote", description = "Skip the remaining steps: all traffic to the new version")
    static final class Promote extends Action {
        @Override
        String action() {
            return "promote";
        }
    }

    @Command(name = "abort", description = "Stop and send all traffic back to the old version")
    static final class Abort extends Action {
        @Override
        String action() {
            return "abort";
        }
    }

    @Command(name = "rollback", description = "Roll a finished rollout back to the old version")
    static final class Rollback extends Action {
        @Override
        String action() {
            return "rollback";
        }
    }
}
