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

    /** The two-agent problem of {@link #problem} with {@code extra} spliced into the root object. */
    private static String withRoot(String components, String extra) {
        String p = problem(components, "{}", "");
        return p.substring(0, p.length() - 1) + ", " + extra + "}";
    }

    private static void refused(Run r, String... inMessage) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("invalid problem: ").contains(inMessage);
    }

    @Test
    void aMisspeltComponentFieldIsRefusedByItsPathNotIgnored() {
        Run r = run(problem("[{\"name\": \"a\", \"cpu\": 0.5, \"memGiB\": 1}]", "{}", ""));
        refused(r, "unknown field $.components[0].memGiB", "allowed: name, cpu, mem, minReplicas, maxReplicas");
    }

    @Test
    void aMisspeltEdgeFieldIsRefused() {
        String p = problem(AB, "{}", "")
                .replace(
                        "\"edges\": []",
                        "\"edges\": [{\"caller\": \"a\", \"callee\": \"b\", \"callsPerSec\": 100,"
                                + " \"bytesPerSecond\": 0}]");
        refused(run(p), "unknown field $.edges[0].callsPerSec");
    }

    @Test
    void aMissingRequiredNumberIsRefusedNotTakenAsZero() {
        refused(
                run(problem("[{\"name\": \"a\", \"cpu\": 0.5}]", "{}", "")),
                "missing required field $.components[0].mem");
        String noBytes = problem(AB, "{}", "")
                .replace(
                        "\"edges\": []",
                        "\"edges\": [{\"caller\": \"a\", \"callee\": \"b\", \"callsPerSecond\": 100}]");
        refused(run(noBytes), "missing required field $.edges[0].bytesPerSecond");
        refused(
                run(problem(AB, "{}", "").replace("\"cpuCapacity\": 8, ", "")),
                "missing required field $.agents[0].cpuCapacity");
    }

    @Test
    void anEmptyProblemIsRefusedRatherThanPlannedAsNothing() {
        refused(run("{}"), "missing required field $.components");
        refused(run("{\"components\": [], \"agents\": []}"), "$.components must list at least one component");
        refused(
                run("{\"components\": [{\"name\": \"a\", \"cpu\": 1, \"mem\": 1}]}"),
                "missing required field $.agents");
        refused(run(""), "invalid problem");
    }

    @Test
    void aBadPreferenceListsTheAllowedValues() {
        Run r = run(withRoot(AB, "\"costModel\": {\"preference\": \"pack\"}"));
        refused(r, "$.costModel.preference must be one of PACK, SPREAD, was \"pack\"");
        assertThat(r.err()).doesNotContain("No enum constant").doesNotContain("Preference.");
    }

    @Test
    void unknownFieldsAreRefusedAtEveryLevel() {
        refused(run(withRoot(AB, "\"option\": {}")), "unknown field $.option");
        refused(run(withRoot(AB, "\"options\": {\"sead\": 1}")), "unknown field $.options.sead");
        refused(run(withRoot(AB, "\"costModel\": {\"callCPU\": 1}")), "unknown field $.costModel.callCPU");
        refused(run(problem(AB, "{\"mustColocat\": []}", "")), "unknown field $.constraints.mustColocat");
        refused(
                run(problem(AB, "{}", "{\"groups\": [{\"components\": [\"a\"], \"agent\": [\"x\"]}]}")),
                "unknown field $.previous.groups[0].agent");
        refused(
                run(problem(AB, "{}", "").replace("\"zone\": \"z\"", "\"zone\": \"z\", \"gpu\": true")),
                "unknown field $.agents[0].gpu");
    }

    @Test
    void wrongTypesNullsAndDuplicateKeysAreRefused() {
        refused(
                run(problem("[{\"name\": \"a\", \"cpu\": null, \"mem\": 1}]", "{}", "")),
                "$.components[0].cpu must be a number, was null");
        refused(
                run(problem("[{\"name\": 7, \"cpu\": 1, \"mem\": 1}]", "{}", "")),
                "$.components[0].name must be a string, was 7");
        refused(run(problem(AB, "{\"pins\": {\"a\": 3}}", "")), "$.constraints.pins.a must be a string");
        refused(
                run(problem(AB, "{\"mustColocate\": [[\"a\", 2]]}", "")),
                "$.constraints.mustColocate[0][1] must be a string");
        refused(run(problem("[{\"name\": \"a\", \"cpu\": 1, \"cpu\": 2, \"mem\": 1}]", "{}", "")), "cpu");
        refused(run(problem(AB, "{}", "") + " {}"), "invalid problem");
    }

    @Test
    void theSearchBudgetIsAnOption() {
        Run r = run(withRoot(AB, "\"options\": {\"searchBudget\": 0, \"seed\": 3}"));
        assertThat(r.code()).as(r.err()).isZero();
        refused(run(withRoot(AB, "\"options\": {\"searchBudget\": -1}")), "searchBudget must be >= 0");
    }

    @Test
    void helpPrintsTheUsageAndAnUnknownFlagIsRefused() {
        Run help = run("", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("java -jar weft-placement-cli.jar").contains("Exit codes");
        Run bad = run("", "--verbose");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("usage");
    }
}
