package dev.weft.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** A command that does something: it reaches the root's options, the API and the output through here. */
abstract class Leaf implements Callable<Integer> {

    @Spec
    @Nullable
    CommandSpec spec;

    abstract int run();

    @Override
    public final Integer call() {
        return run();
    }

    final Weft root() {
        return (Weft) Objects.requireNonNull(spec).root().userObject();
    }

    final Api api() {
        return root().api(Objects.requireNonNull(spec).commandLine());
    }

    final PrintWriter out() {
        return root().out;
    }

    final boolean json() {
        return root().format() == Output.Format.json;
    }

    /** Prints an object: JSON as the server sent it, or "key: value" lines. */
    final int show(JsonNode node) {
        if (json()) {
            Output.json(out(), node);
        } else {
            Output.fields(out(), node);
        }
        return Weft.OK;
    }

    /** Prints a list: JSON as the server sent it, or a table of these columns of its items. */
    final int list(JsonNode answer, JsonNode rows, List<Output.Column> columns) {
        if (json()) {
            Output.json(out(), answer);
        } else {
            Output.table(out(), rows, columns);
        }
        return Weft.OK;
    }

    /** A usage error (exit 2), printed with the command's name. */
    final picocli.CommandLine.ParameterException usage(String message) {
        return new picocli.CommandLine.ParameterException(
                Objects.requireNonNull(spec).commandLine(), message);
    }

    static String app(String app) {
        return "/api/v1/applications/" + Api.seg(app);
    }
}
