package dev.weft.placement.cli;

import dev.weft.placement.PlanResult;
import dev.weft.placement.Planner;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code PlanCommand [problem.json | -]}: reads a problem (a file, or stdin when the argument is "-" or
 * absent) and prints the plan JSON. Exit code 0 feasible, 1 infeasible (reasons printed), 2 bad input.
 */
public final class PlanCommand {
    private PlanCommand() {}

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
        if (args.length > 1 || (args.length == 1 && (args[0].equals("-h") || args[0].equals("--help")))) {
            err.println("usage: PlanCommand [problem.json | -]   (reads stdin when no file is given)");
            return 2;
        }
        try {
            JsonNode root;
            if (args.length == 0 || args[0].equals("-")) {
                root = JsonMapper.builder().build().readTree(stdin);
            } else {
                try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
                    root = JsonMapper.builder().build().readTree(in);
                }
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
        } catch (IOException | JacksonException | IllegalArgumentException e) {
            err.println("invalid problem: " + e.getMessage());
            return 2;
        }
    }
}
