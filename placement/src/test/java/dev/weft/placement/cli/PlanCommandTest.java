package dev.weft.placement.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The documented CLI: the README example plans, stdin works, bad input exits 2 with the field named. */
class PlanCommandTest {
    private record Run(int code, String out, String err) {}

    private static Run run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PlanCommand.run(
                args,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theReadmeExamplePlansFromAFile() throws Exception {
        Run r = run("", Path.of("examples/shop.json").toString());
        assertThat(r.code()).isZero();
        JsonNode plan = JsonMapper.builder().build().readTree(r.out());
        assertThat(plan.get("status").asString()).isEqualTo("FEASIBLE");
        assertThat(plan.get("groups").size()).isEqualTo(2);
        assertThat(plan.get("diff").get("unchanged").asInt()).isEqualTo(2);
        assertThat(plan.get("baselines").get("singleProcess").get("feasible").asBoolean())
                .isFalse();
    }

    @Test
    void theOutputIsExactlyTheDocumentedExample() throws Exception {
        // README.md shows examples/shop.plan.json; any change to the plan or its format shows up here first.
        Run r = run("", "examples/shop.json");
        assertThat(r.out().strip())
                .isEqualTo(Files.readString(Path.of("examples/shop.plan.json")).strip());
        String readme = Files.readString(Path.of("README.md"));
        assertThat(readme)
                .contains(Files.readString(Path.of("examples/shop.plan.json")).strip());
    }

    @Test
    void stdinCarriesInfeasibleProblemsToo() throws Exception {
        String json = Files.readString(Path.of("examples/shop.json"));
        Run r = run(json.replace("\"pci\"]", "\"none\"]"), "-");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out())
                .contains("INFEASIBLE")
                .contains("NO_AGENT_WITH_LABEL")
                .contains("pci");
    }

    @Test
    void malformedInputExitsTwoNamingTheField() {
        Run r = run("{\"components\": [{\"name\": \"a\", \"cpu\": \"lots\"}]}");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("cpu");
    }

    /** A small problem on two agents, from its components, constraints and (optional) previous plan JSON. */
    private static String problem(String components, String constraints, String previous) {
        return "{\"components\": " + components + ", \"edges\": [], \"constraints\": " + constraints + ","
                + " \"agents\": [{\"id\": \"x\", \"zone\": \"z\", \"cpuCapacity\": 8, \"memCapacity\": 32},"
                + " {\"id\": \"y\", \"zone\": \"z\", \"cpuCapacity\": 8, \"memCapacity\": 32}]"
                + (previous.isEmpty() ? "" : ", \"previous\": " + previous) + "}";
    }

    private static final String AB =
            "[{\"name\": \"a\", \"cpu\": 0.5, \"mem\": 1}, {\"name\": \"b\", \"cpu\": 0.5, \"mem\": 1}]";

    @Test
    void aFractionalReplicaBoundIsRefusedNamingTheField() {
        for (String field : new String[] {"minReplicas", "maxReplicas"}) {
            Run r = run(problem("[{\"name\": \"a\", \"cpu\": 0.5, \"mem\": 1, \"" + field + "\": 2.5}]", "{}", ""));
            assertThat(r.code()).as(field).isEqualTo(2);
            assertThat(r.err()).contains(field).contains("whole number").contains("2.5");
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void aWholeReplicaBoundWrittenWithAFractionPointIsAccepted() {
        Run r = run(problem("[{\"name\": \"a\", \"cpu\": 0.5, \"mem\": 1, \"minReplicas\": 2.0}]", "{}", ""));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"replicas\" : 2");
    }

    @Test
    void aComponentSeparatedFromItselfIsAContradictionNotAMalformedPair() {
        Run r = run(problem(AB, "{\"mustSeparate\": [[\"a\", \"a\"]]}", ""));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("CONTRADICTORY_CONSTRAINTS").contains("a cannot be separated from itself");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void aMustSeparateEntryThatIsNotAPairIsRefused() {
        Run r = run(problem(AB, "{\"mustSeparate\": [[\"a\", \"b\", \"a\"]]}", ""));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("mustSeparate").contains("pairs");
    }

    @Test
    void aComponentInTwoPreviousGroupsIsRefusedNamingIt() {
        Run r = run(problem(
                AB,
                "{}",
                "{\"groups\": [{\"components\": [\"a\", \"b\"], \"agents\": [\"x\"]},"
                        + " {\"components\": [\"b\"], \"agents\": [\"y\"]}]}"));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("previous plan").contains("component b").contains("two groups");
    }

    @Test
    void withoutAnyArgumentTheProblemIsReadFromStdin() throws Exception {
        Run r = run(Files.readString(Path.of("examples/shop.json")));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().strip())
                .isEqualTo(Files.readString(Path.of("examples/shop.plan.json")).strip());
    }

    @Test
    void aDashReadsTheProblemFromStdin() throws Exception {
        Run r = run(Files.readString(Path.of("examples/shop.json")), "-");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().strip())
                .isEqualTo(Files.readString(Path.of("examples/shop.plan.json")).strip());
    }
}
