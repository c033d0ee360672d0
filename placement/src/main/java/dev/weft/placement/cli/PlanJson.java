package dev.weft.placement.cli;

import dev.weft.placement.PlanResult;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Writes a {@link PlanResult} as the plan JSON documented in placement/README.md. */
public final class PlanJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private PlanJson() {}

    public static ObjectNode tree(PlanResult result) {
        return switch (result) {
            case PlanResult.Feasible f -> {
                ObjectNode n = MAPPER.createObjectNode();
                n.put("status", "FEASIBLE");
                n.setAll((ObjectNode) MAPPER.valueToTree(f.plan()));
                yield n;
            }
            case PlanResult.Infeasible i -> {
                ObjectNode n = MAPPER.createObjectNode();
                n.put("status", "INFEASIBLE");
                n.set("reasons", MAPPER.valueToTree(i.reasons()));
                n.set("baselines", MAPPER.valueToTree(i.baselines()));
                yield n;
            }
        };
    }

    public static String write(PlanResult result) {
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(tree(result));
    }
}
