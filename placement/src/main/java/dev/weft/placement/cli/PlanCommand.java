package dev.weft.placement.cli;

import dev.weft.placement.PlanResult;
import dev.weft.placement.Planner;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code java -jar weft-placement-cli.jar [problem.json | -]}: reads a problem (a file, or stdin when the argument is
 * "-" or absent) and prints the plan JSON. Exit code 0 feasible, 1 infeasible (reasons printed), 2 bad input (the
 * message names the field by its JSON path); {@code --help} prints the usage.
 */
public final class PlanCommand {
    // A key given twice (the last would silently win) and anything after the problem are refused, like unknown fields.
    private static final ObjectMapper READER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private static final String USAGE = "usage: java -jar weft-placement-cli.jar [problem.json | -]\n"
            + "Reads a problem (the file, or stdin when the argument is \"-\" or absent; the format is in"
            + " placement/README.md) and prints the plan JSON.\n"
            + "Exit codes: 0 a plan, 1 infeasible (the reasons are printed), 2 invalid input (the message names the"
            + " field by its JSON path).";

    private PlanCommand() {}

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
        if (args.length == 1 && (args[0].equals("-h") || args[0].equals("--help"))) {
            out.println(USAGE);
            return 0;
        }
        if (args.length > 1 || (args.length == 1 && args[0].startsWith("-") && !args[0].equals("-"))) {
            err.println(USAGE);
            return 2;
        }
        try {
            JsonNode root;
            if (args.length == 0 || args[0].equals("-")) {
                root = READER.readTree(stdin);
            } else {
                try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
                    root = READER.readTree(in);
                }
            }
            if (root == null || root.isMissingNode()) {
                err.println("invalid problem: the input is empty (expected a problem JSON object)");
                return 2;
            }
            PlanResult result = new Planner(ProblemJson.options(root)).plan(ProblemJson.problem(root));
            out.println(PlanJson.write(result));
            return switch (result) {
                case PlanResult.Feasible f -> 0;
                case PlanResult.Infeasible i -> 1;
            };
        } catch (java.nio.file.NoSuchFileException e) {
            err.println("no such file: " + e.getFile());
            return 2;
        } catch (JacksonException e) {
            var at = e.getLocation();
            err.println("invalid problem: not valid JSON: " + e.getOriginalMessage()
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
            return 2;
        } catch (IOException | IllegalArgumentException e) {
            err.println("invalid problem: " + e.getMessage());
            return 2;
        }
    }
}
