package dev.weft.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Prints answers as aligned tables (the default) or as the server's JSON, pretty-printed. */
final class Output {

    enum Format {
        table,
        json
    }

    /** One column: its heading and the JSON pointer of its value in each row (e.g. {@code /capacity/cpuMillis}). */
    record Column(String heading, String pointer) {}

    private Output() {}

    static Column col(String heading, String pointer) {
        return new Column(heading, pointer);
    }

    static void json(PrintWriter out, JsonNode node) {
        out.println(Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
    }

    /** Rows as a table; an empty list prints its headings and "(none)". */
    static void table(PrintWriter out, JsonNode rows, List<Column> columns) {
        List<List<String>> cells = new ArrayList<>();
        cells.add(columns.stream().map(Column::heading).toList());
        for (JsonNode row : rows) {
            cells.add(columns.stream().map(c -> text(row.at(c.pointer()))).toList());
        }
        int[] widths = new int[columns.size()];
        for (List<String> line : cells) {
            for (int i = 0; i < line.size(); i++) {
                widths[i] = Math.max(widths[i], line.get(i).length());
            }
        }
        for (List<String> line : cells) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < line.size(); i++) {
                text.append(i == line.size() - 1 ? line.get(i) : pad(line.get(i), widths[i] + 2));
            }
            out.println(text.toString().stripTrailing());
        }
        if (rows.isEmpty()) {
            out.println("(none)");
        }
    }

    /** One object as "key: value" lines, nested objects and arrays as compact JSON. */
    static void fields(PrintWriter out, JsonNode node) {
        int width = 0;
        for (String name : node.propertyNames()) {
            width = Math.max(width, name.length());
        }
        for (var field : node.properties()) {
            out.println(pad(field.getKey() + ":", width + 2) + text(field.getValue()));
        }
    }

    static String text(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return "-";
        }
        if (value.isValueNode()) {
            return value.asString();
        }
        if (value.isArray() && value.valueStream().allMatch(JsonNode::isValueNode)) {
            return String.join(",", value.valueStream().map(JsonNode::asString).toList());
        }
        if (value.isObject() && value.valueStream().allMatch(JsonNode::isValueNode)) {
            List<String> pairs = new ArrayList<>();
            value.properties()
                    .forEach(e -> pairs.add(e.getKey() + "=" + e.getValue().asString()));
            return String.join(",", pairs);
        }
        return value.toString();
    }

    static String pad(String text, int width) {
        return text.length() >= width ? text + " " : text + " ".repeat(width - text.length());
    }

    /** A bar of {@code width} cells filled to {@code fraction} (0..1). */
    static String bar(double fraction, int width) {
        double clamped = Math.max(0, Math.min(1, Double.isFinite(fraction) ? fraction : 0));
        int filled = (int) Math.round(clamped * width);
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
    }
}
