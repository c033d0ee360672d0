package dev.weft.scheduler.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.weft.scheduler.HttpApi;
import dev.weft.scheduler.WeftIntegrationTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Walks the OpenAPI document: every operation has a summary and a success answer, every error answer carries the
 * problem schema and names real codes of its own status, and the operations a client can make fail list what
 * they answer (the generator, {@link RestFuzzTest}, checks that each problem it meets is listed).
 */
@WeftIntegrationTest
class OpenApiDocumentTest {

    @LocalServerPort
    int port;

    @Test
    void everyOperationDocumentsItsAnswers() {
        JsonNode document = new HttpApi(port).get("/v3/api-docs").json();
        OpenApiOperations operations = OpenApiOperations.of(document);
        assertThat(operations.operations()).hasSizeGreaterThanOrEqualTo(16);
        List<String> wrong = new ArrayList<>();
        for (OpenApiOperations.Operation op : operations.operations()) {
            if (op.summary().isBlank()) {
                wrong.add(op + " has no summary");
            }
            if (op.responses().keySet().stream().noneMatch(status -> status.startsWith("2"))) {
                wrong.add(op + " documents no success");
            }
            boolean hasPathParameters = op.path().contains("{");
            if (hasPathParameters && !op.responses().containsKey("404")) {
                wrong.add(op + " takes a name in its path but documents no 404");
            }
            boolean hasQuery = op.parameters().stream().anyMatch(p -> p.in().equals("query"));
            if (hasQuery && !op.responses().containsKey("400")) {
                wrong.add(op + " takes query parameters but documents no 400");
            }
            for (var response : op.responses().entrySet()) {
                int status = Integer.parseInt(response.getKey());
                if (status < 400) {
                    continue;
                }
                List<String> codes = OpenApiOperations.codesIn(response.getValue());
                if (codes.isEmpty()) {
                    wrong.add(op + " " + status + " names no code: " + response.getValue());
                }
                for (String code : codes) {
                    if (!OpenApiOperations.CODES.get(code).contains(status)) {
                        wrong.add(op + " lists " + code + " under " + status + " but it is a "
                                + OpenApiOperations.CODES.get(code));
                    }
                }
                JsonNode schema = document.at("/paths/" + op.path().replace("/", "~1") + "/" + op.method()
                        + "/responses/" + status + "/content/application~1problem+json/schema/$ref");
                if (!"#/components/schemas/Problem".equals(schema.asString(""))) {
                    wrong.add(op + " " + status + " is not described as a Problem");
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void theAgentsStateParameterIsAnEnumAndTheLoadResponseIsDescribed() {
        JsonNode document = new HttpApi(port).get("/v3/api-docs").json();
        JsonNode state = null;
        for (JsonNode p : document.at("/paths/~1api~1v1~1agents/get/parameters")) {
            if (p.get("name").asString().equals("state")) {
                state = p;
            }
        }
        assertThat(state).isNotNull();
        assertThat(state.at("/schema/enum")
                        .valueStream()
                        .map(JsonNode::asString)
                        .toList())
                .containsExactly("connected", "disconnected", "lost", "released", "revoked");
        JsonNode component = document.at("/components/schemas/ComponentView/properties");
        for (String field : List.of(
                "cpuCores",
                "memoryMiB",
                "requestsPerSecond",
                "errorsPerSecond",
                "inFlight",
                "samples",
                "cpuCoresPerReplica",
                "memoryMiBPerReplica",
                "memoryMiBTotal",
                "inFlightTotal",
                "replicas",
                "coveredSeconds")) {
            assertThat(component.path(field).path("description").asString(""))
                    .as(field)
                    .isNotBlank();
        }
        JsonNode edge = document.at("/components/schemas/EdgeView/properties");
        for (var field : edge.properties()) {
            assertThat(field.getValue().path("description").asString(""))
                    .as(field.getKey())
                    .isNotBlank();
        }
    }
}
