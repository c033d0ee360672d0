package dev.weft.cli;

import static dev.weft.cli.Output.col;

import java.io.PrintWriter;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Draws a rollout: its state, a progress bar of the new version's traffic, the steps and the current gates. */
final class RolloutView {

    private RolloutView() {}

    /** Clears the terminal's screen first, so a watched rollout is redrawn in place. */
    static void redraw(PrintWriter out, JsonNode rollout) {
        if (System.console() != null) {
            out.print("\u001b[H\u001b[2J");
        }
        draw(out, rollout);
    }

    static void draw(PrintWriter out, JsonNode rollout) {
        String to = rollout.path("to").asString("?");
        double total = 0;
        double toWeight = 0;
        StringBuilder split = new StringBuilder();
        for (JsonNode weight : rollout.path("weights")) {
            double w = weight.path("weight").asDouble();
            total += w;
            if (weight.path("version").asString("").equals(to)) {
                toWeight = w;
            }
            split.append("  ")
                    .append(weight.path("version").asString())
                    .append(' ')
                    .append(weight.path("weight").asString());
        }
        int steps = rollout.path("steps").size();
        out.println("rollout " + rollout.path("id").asString() + "  "
                + rollout.path("application").asString("")
                + "  " + rollout.path("from").asString("-") + " -> " + to + "  "
                + rollout.path("state").asString()
                + "  step " + rollout.path("step").asString("-") + "/" + steps
                + (rollout.path("holdLeft").isMissingNode()
                                || rollout.path("holdLeft").isNull()
                        ? ""
                        : "  hold left " + rollout.path("holdLeft").asString()));
        double fraction = total > 0 ? toWeight / total : 0;
        out.println(Output.bar(fraction, 30) + " " + Math.round(fraction * 100) + "% to " + to + split);
        if (steps > 0) {
            Output.table(
                    out,
                    rollout.path("steps"),
                    List.of(
                            col("STEP", "/index"),
                            col("WEIGHT", "/weight"),
                            col("HOLD", "/hold"),
                            col("OUTCOME", "/outcome"),
                            col("STARTED", "/startedAt"),
                            col("FINISHED", "/finishedAt")));
        }
        JsonNode current = current(rollout);
        if (current != null && !current.path("gates").isEmpty()) {
            out.println("gates of step " + current.path("index").asString() + ":");
            Output.table(
                    out,
                    current.path("gates"),
                    List.of(
                            col("METRIC", "/metric"),
                            col("COMPONENT", "/component"),
                            col("OLD", "/old"),
                            col("NEW", "/new"),
                            col("THRESHOLD", "/threshold"),
                            col("VERDICT", "/verdict")));
        }
    }

    /** The step the rollout is at, else the last one that has gates. */
    private static @org.jspecify.annotations.Nullable JsonNode current(JsonNode rollout) {
        JsonNode withGates = null;
        for (JsonNode step : rollout.path("steps")) {
            if (step.path("index").asString().equals(rollout.path("step").asString())) {
                return step;
            }
            if (!step.path("gates").isEmpty()) {
                withGates = step;
            }
        }
        return withGates;
    }
}
