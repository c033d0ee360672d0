package dev.weft.scheduler.hostile;

import dev.weft.scheduler.system.ErrorCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The operations of the OpenAPI document ({@code /v3/api-docs}) as the hostile-request generator sees them: what
 * to call, which parameters it takes, a valid example body, and which problems it says it answers with. An
 * endpoint joins the generator by being in the document; one with a body must give an example of a valid body.
 */
record OpenApiOperations(List<Operation> operations) {

    /** A parameter of an operation. */
    record Parameter(String name, String in, String type, List<String> allowed) {}

    /** One operation: method, path template, parameters, an example body, and its documented responses. */
    record Operation(
            String method,
            String path,
            String summary,
            List<Parameter> parameters,
            boolean takesBody,
            @Nullable JsonNode example,
            Map<String, String> responses) {

        /** Whether the document says this operation answers {@code status} with {@code code}. */
        boolean documents(int status, String code) {
            String description = responses.get(String.valueOf(status));
            return description != null
                    && Pattern.compile("\\b" + code + "\\b")
                            .matcher(description)
                            .find();
        }

        @Override
        public String toString() {
            return method.toUpperCase(java.util.Locale.ROOT) + " " + path;
        }
    }

    /** Every error code there is, with its HTTP status. */
    static final Map<String, java.util.Set<Integer>> CODES = codes();

    private static Map<String, java.util.Set<Integer>> codes() {
        // every enum of error codes there is, as ErrorCodesTest finds them, so a new feature's codes count too
        var scanner = new org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new org.springframework.core.type.filter.AssignableTypeFilter(ErrorCode.class));
        Map<String, java.util.Set<Integer>> codes = new HashMap<>();
        for (var candidate : scanner.findCandidateComponents("dev.weft.scheduler")) {
            Class<?> type;
            try {
                type = Class.forName(candidate.getBeanClassName());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            if (type.isEnum()
                    && type.getName().startsWith("dev.weft.scheduler")
                    && !type.getName().contains("Test")) {
                for (Object constant : type.getEnumConstants()) {
                    ErrorCode code = (ErrorCode) constant;
                    try {
                        codes.computeIfAbsent(code.name(), k -> new java.util.HashSet<>())
                                .add(code.httpStatus().value());
                    } catch (IllegalStateException unannotated) {
                        // a test's deliberately unannotated enum
                    }
                }
            }
        }
        return Map.copyOf(codes);
    }

    /** The codes a description names: words in capitals with underscores that are error codes. */
    static List<String> codesIn(String description) {
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile("\\b[A-Z][A-Z0-9]*(_[A-Z0-9]+)+\\b|\\b[A-Z]{4,}\\b")
                .matcher(description);
        while (m.find()) {
            if (CODES.containsKey(m.group())) {
                found.add(m.group());
            }
        }
        return found;
    }

    static OpenApiOperations of(JsonNode document) {
        List<Operation> operations = new ArrayList<>();
        for (var path : document.get("paths").properties()) {
            for (var entry : path.getValue().properties()) {
                JsonNode op = entry.getValue();
                List<Parameter> parameters = new ArrayList<>();
                for (JsonNode p : op.path("parameters")) {
                    JsonNode schema = p.path("schema");
                    List<String> allowed = new ArrayList<>();
                    schema.path("enum").forEach(v -> allowed.add(v.asString()));
                    parameters.add(new Parameter(
                            p.get("name").asString(),
                            p.get("in").asString(),
                            schema.path("type").asString("string"),
                            allowed));
                }
                JsonNode body = op.get("requestBody");
                JsonNode example = null;
                if (body != null) {
                    JsonNode media = body.path("content").path("application/json");
                    example = media.has("example") ? media.get("example") : null;
                    if (example == null && media.has("examples")) {
                        for (JsonNode named : media.get("examples")) {
                            example = named.get("value");
                            break;
                        }
                    }
                    if (example == null) {
                        String ref = media.path("schema").path("$ref").asString("");
                        JsonNode schema = ref.isEmpty()
                                ? null
                                : document.at("/components/schemas/" + ref.substring(ref.lastIndexOf('/') + 1));
                        example = schema == null || !schema.has("example") ? null : schema.get("example");
                    }
                    if (example != null && example.isString()) {
                        example = tools.jackson.databind.json.JsonMapper.builder()
                                .build()
                                .readTree(example.asString());
                    }
                }
                Map<String, String> responses = new HashMap<>();
                for (var response : op.path("responses").properties()) {
                    responses.put(
                            response.getKey(),
                            response.getValue().path("description").asString(""));
                }
                operations.add(new Operation(
                        entry.getKey(),
                        path.getKey(),
                        op.path("summary").asString(""),
                        parameters,
                        body != null,
                        example,
                        responses));
            }
        }
        return new OpenApiOperations(List.copyOf(operations));
    }
}
